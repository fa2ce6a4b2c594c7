package io.viewstamp.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.viewstamp.transport.Handshake.Accepted;
import io.viewstamp.transport.Handshake.Hello;
import io.viewstamp.transport.Handshake.Refused;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

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
		bytes[4] = 3;
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> HandshakeCodec.decode(bytes))
			.withMessageContaining("handshake version 3")
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
			.isThrownBy(() -> HandshakeCodec.decode(Arrays.copyOf(hello, hello.length - 3)))
			.withMessageContaining("fewer than the 36 of its format before its commands");
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> HandshakeCodec.decode(Arrays.copyOf(hello, hello.length + 1)))
			.withMessageContaining("advertises 0 commands (at most 4096), and 1 bytes follow, not 0");
		byte[] refusal = HandshakeCodec.encode(new Refused("short"));
		ByteBuffer.wrap(refusal).order(ByteOrder.LITTLE_ENDIAN).putShort(HandshakeCodec.PREFIX_SIZE_BYTES, (short) 900);
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> HandshakeCodec.decode(refusal))
			.withMessageContaining("claims a reason of 900 bytes");
	}

	@Test
	void aHandshakeCarriesTheCommandsItsApplicationKnows() {
		CommandCatalog commands = CommandCatalog.of(List.of("tally#record(java.lang.String)", "tally#recordMany(java.lang.String,int)"));
		Hello hello = new Hello(42, 0, 1, false, new byte[PeerSecret.NONCE_SIZE_BYTES], true, commands);
		byte[] bytes = HandshakeCodec.encode(hello);
		Hello decoded = (Hello) HandshakeCodec.decode(bytes);
		assertThat(decoded).isEqualTo(hello);
		assertThat(decoded.commands().knows("tally#recordMany(java.lang.String,int)")).isTrue();
		assertThat(decoded.commands().knows("tally#record(java.lang.String,int)")).isFalse();
		Accepted accepted = new Accepted(42, 1, new byte[PeerSecret.NONCE_SIZE_BYTES], new byte[PeerSecret.PROOF_SIZE_BYTES],
				true, commands);
		assertThat(HandshakeCodec.decode(HandshakeCodec.encode(accepted))).isEqualTo(accepted);
	}

	@Test
	void aCatalogOutOfOrderOrLargerThanAllowedIsRefused() {
		Hello hello = new Hello(42, 0, 1, false, new byte[PeerSecret.NONCE_SIZE_BYTES], true,
				CommandCatalog.of(List.of("a#x()", "a#y()")));
		byte[] bytes = HandshakeCodec.encode(hello);
		// Swap the two fingerprints, the last sixteen bytes.
		byte[] swapped = bytes.clone();
		System.arraycopy(bytes, bytes.length - 16, swapped, bytes.length - 8, 8);
		System.arraycopy(bytes, bytes.length - 8, swapped, bytes.length - 16, 8);
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> HandshakeCodec.decode(swapped))
			.withMessageContaining("command fingerprints are not in ascending order");
		byte[] tooMany = bytes.clone();
		ByteBuffer.wrap(tooMany).order(ByteOrder.LITTLE_ENDIAN).putShort(bytes.length - 18, (short) 5000);
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> HandshakeCodec.decode(tooMany))
			.withMessageContaining("advertises 5000 commands (at most 4096)");
		List<String> names = new ArrayList<>();
		for (int i = 0; i <= CommandCatalog.COMMANDS_MAX; i++) {
			names.add("bean#command" + i + "()");
		}
		assertThatIllegalArgumentException().isThrownBy(() -> CommandCatalog.of(names))
			.withMessageContaining("4097 replicated commands, more than the 4096");
		byte[] largest = HandshakeCodec.encode(new Accepted(42, 1, new byte[PeerSecret.NONCE_SIZE_BYTES],
				new byte[PeerSecret.PROOF_SIZE_BYTES], true, CommandCatalog.of(names.subList(0, CommandCatalog.COMMANDS_MAX))));
		assertThat(largest).hasSize(HandshakeCodec.HANDSHAKE_SIZE_BYTES_MAX);
	}

	@Test
	void aHandshakeSaysWhetherItsReplicaHoldsDataAndAnotherFlagByteIsRefused() {
		byte[] empty = HandshakeCodec.encode(new Hello(42, 0, 1, false, new byte[PeerSecret.NONCE_SIZE_BYTES], false, CommandCatalog.EMPTY));
		// The holds-data flag comes just before the catalog's count, here 0 (two bytes).
		assertThat(empty[empty.length - 3]).isZero();
		assertThat(((Hello) HandshakeCodec.decode(empty)).holdsData()).isFalse();
		assertThat(((Hello) HandshakeCodec.decode(HandshakeCodec.encode(new Hello(42, 0, 1)))).holdsData()).isTrue();
		Accepted accepted = new Accepted(42, 1, new byte[PeerSecret.NONCE_SIZE_BYTES], new byte[PeerSecret.PROOF_SIZE_BYTES],
				false, CommandCatalog.EMPTY);
		assertThat(((Accepted) HandshakeCodec.decode(HandshakeCodec.encode(accepted))).holdsData()).isFalse();
		empty[empty.length - 3] = 2;
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
