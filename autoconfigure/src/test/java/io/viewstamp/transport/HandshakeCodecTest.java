package io.viewstamp.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.viewstamp.transport.Handshake.Accepted;
import io.viewstamp.transport.Handshake.Hello;
import io.viewstamp.transport.Handshake.Refused;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Tests for {@link HandshakeCodec}: the documented bytes, and handshakes refused with a reason. */
class HandshakeCodecTest {

	@Test
	void helloHasTheDocumentedBytes() {
		byte[] bytes = HandshakeCodec.encode(new Hello(42, 0, 2));
		assertThat(bytes).isEqualTo(RawPeer.hello(42, 0, 2));
		assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("VSTR");
		assertThat(HandshakeCodec.decode(bytes)).isEqualTo(new Hello(42, 0, 2));
	}

	@Test
	void acceptanceHasTheDocumentedBytes() {
		byte[] bytes = HandshakeCodec.encode(new Accepted(Long.MIN_VALUE, 15));
		assertThat(bytes).isEqualTo(RawPeer.accepted(Long.MIN_VALUE, 15));
		assertThat(HandshakeCodec.decode(bytes)).isEqualTo(new Accepted(Long.MIN_VALUE, 15));
	}

	@Test
	void refusalCarriesItsReason() {
		Refused refused = new Refused("the peer claims cluster id 7 — check it");
		assertThat(HandshakeCodec.decode(HandshakeCodec.encode(refused))).isEqualTo(refused);
	}

	@Test
	void longReasonIsCutToTheLimit() {
		byte[] bytes = HandshakeCodec.encode(new Refused("é".repeat(5000)));
		assertThat(bytes.length).isLessThanOrEqualTo(HandshakeCodec.HANDSHAKE_SIZE_BYTES_MAX);
		assertThat(((Refused) HandshakeCodec.decode(bytes)).reason()).startsWith("ééé");
	}

	@Test
	void controlCharactersOfAReasonCannotForgeLogLines() {
		Refused decoded = (Refused) HandshakeCodec.decode(HandshakeCodec.encode(new Refused("bad\nWARNING: forged")));
		assertThat(decoded.reason()).isEqualTo("bad?WARNING: forged");
	}

	@Test
	void refusalIsReadWhateverTheVersions() {
		byte[] bytes = HandshakeCodec.encode(new Refused("from the future"));
		bytes[4] = 9;
		bytes[5] = 9;
		assertThat(HandshakeCodec.decode(bytes)).isEqualTo(new Refused("from the future"));
	}

	@Test
	void otherVersionsAreRefusedNamingThem() {
		byte[] bytes = HandshakeCodec.encode(new Hello(42, 0, 1));
		bytes[4] = 4;
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> HandshakeCodec.decode(bytes))
			.withMessageContaining("handshake version 4")
			.withMessageContaining("run the same Viewstamp release on every replica");
		byte[] otherMessages = HandshakeCodec.encode(new Hello(42, 0, 1));
		otherMessages[5] = 7;
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> HandshakeCodec.decode(otherMessages))
			.withMessageContaining("message version 7");
	}

	@Test
	void bytesWithoutTheMagicAreNotAHandshake() {
		byte[] message = MessageCodec.encode(SampleMessages.all().get(0));
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> HandshakeCodec.decode(message))
			.withMessageContaining("not a Viewstamp handshake");
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> HandshakeCodec.decode(new byte[3]))
			.withMessageContaining("not a Viewstamp handshake");
	}

	@Test
	void truncatedOrLongerBodiesAreRefused() {
		byte[] hello = HandshakeCodec.encode(new Hello(42, 0, 1));
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> HandshakeCodec.decode(Arrays.copyOf(hello, hello.length - 1)))
			.withMessageContaining("not the 34 of its format");
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> HandshakeCodec.decode(Arrays.copyOf(hello, hello.length + 1)))
			.withMessageContaining("35 bytes after its kind");
		byte[] refusal = HandshakeCodec.encode(new Refused("short"));
		ByteBuffer.wrap(refusal).order(ByteOrder.LITTLE_ENDIAN).putShort(HandshakeCodec.PREFIX_SIZE_BYTES, (short) 900);
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> HandshakeCodec.decode(refusal))
			.withMessageContaining("claims a reason of 900 bytes");
	}

	@Test
	void aHandshakeSaysWhetherItsReplicaHoldsDataAndAnotherFlagByteIsRefused() {
		byte[] empty = HandshakeCodec.encode(new Hello(42, 0, 1, false, new byte[PeerSecret.NONCE_SIZE_BYTES], false));
		assertThat(empty[empty.length - 1]).isZero();
		assertThat(((Hello) HandshakeCodec.decode(empty)).holdsData()).isFalse();
		assertThat(((Hello) HandshakeCodec.decode(HandshakeCodec.encode(new Hello(42, 0, 1)))).holdsData()).isTrue();
		Accepted accepted = new Accepted(42, 1, new byte[PeerSecret.NONCE_SIZE_BYTES], new byte[PeerSecret.PROOF_SIZE_BYTES],
				false);
		assertThat(((Accepted) HandshakeCodec.decode(HandshakeCodec.encode(accepted))).holdsData()).isFalse();
		empty[empty.length - 1] = 2;
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> HandshakeCodec.decode(empty))
			.withMessageContaining("hello's holds-data flag is 2, not 0 or 1");
	}

	@Test
	void unknownKindIsRefused() {
		byte[] bytes = HandshakeCodec.encode(new Hello(42, 0, 1));
		bytes[6] = 9;
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> HandshakeCodec.decode(bytes))
			.withMessageContaining("unknown kind 9");
	}

}
