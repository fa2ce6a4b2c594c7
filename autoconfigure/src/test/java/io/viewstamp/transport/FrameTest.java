package io.viewstamp.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;

import io.viewstamp.vsr.ReplicaMessage.Commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Tests for {@link Frame}: round trips, partial reads, and frames refused for size or checksum. */
class FrameTest {

	private static final byte[] PAYLOAD = "a frame's payload".getBytes(StandardCharsets.UTF_8);

	@Test
	void payloadSurvivesTheRoundTrip() {
		ByteBuffer frame = Frame.encode(PAYLOAD);
		assertThat(Frame.decode(frame)).hasValueSatisfying((payload) -> assertThat(payload).isEqualTo(PAYLOAD));
		assertThat(frame.hasRemaining()).isFalse();
	}

	@Test
	void encodedMessageSurvivesFramingAndDecoding() {
		Commit commit = new Commit(7, 1, 1204, 0x1234);
		byte[] payload = Frame.decode(Frame.encode(MessageCodec.encode(commit))).orElseThrow();
		assertThat(MessageCodec.decode(ByteBuffer.wrap(payload))).isEqualTo(commit);
	}

	@Test
	void emptyPayloadIsAFrame() {
		assertThat(Frame.decode(Frame.encode(new byte[0]))).hasValueSatisfying((payload) -> assertThat(payload).isEmpty());
	}

	@Test
	void headerIsLittleEndianLengthThenCrc32c() {
		ByteBuffer frame = Frame.encode(PAYLOAD).order(ByteOrder.LITTLE_ENDIAN);
		CRC32C crc = new CRC32C();
		crc.update(PAYLOAD);
		assertThat(frame.remaining()).isEqualTo(Frame.HEADER_SIZE_BYTES + PAYLOAD.length);
		assertThat(frame.getInt(0)).isEqualTo(PAYLOAD.length);
		assertThat(frame.getInt(Integer.BYTES)).isEqualTo((int) crc.getValue());
	}

	@Test
	void partialFrameNeedsMoreBytesAndIsLeftUnread() {
		byte[] frame = bytes(Frame.encode(PAYLOAD));
		for (int available = 0; available < frame.length; available++) {
			ByteBuffer partial = ByteBuffer.wrap(frame, 0, available);
			assertThat(Frame.decode(partial)).as("%d of %d bytes", available, frame.length).isEmpty();
			assertThat(partial.position()).isZero();
		}
		ByteBuffer whole = ByteBuffer.wrap(frame);
		assertThat(Frame.decode(whole)).isPresent();
	}

	@Test
	void framesBackToBackAreTakenOneAtATime() {
		byte[] first = bytes(Frame.encode(PAYLOAD));
		byte[] second = bytes(Frame.encode(new byte[] { 1, 2, 3 }));
		ByteBuffer stream = ByteBuffer.allocate(first.length + second.length - 1).put(first).put(second, 0, second.length - 1);
		stream.flip();
		assertThat(Frame.decode(stream)).hasValueSatisfying((payload) -> assertThat(payload).isEqualTo(PAYLOAD));
		assertThat(Frame.decode(stream)).isEmpty();
		assertThat(stream.remaining()).isEqualTo(second.length - 1);
	}

	@Test
	void oversizedLengthIsRefusedBeforeThePayloadArrives() {
		ByteBuffer header = header(Frame.PAYLOAD_SIZE_BYTES_MAX + 1, 0);
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> Frame.decode(header))
			.withMessageContaining("offset 0")
			.withMessageContaining("length " + (Frame.PAYLOAD_SIZE_BYTES_MAX + 1));
	}

	@Test
	void lengthWithTheSignBitIsRefused() {
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> Frame.decode(header(-1, 0)))
			.withMessageContaining("length " + Integer.toUnsignedString(-1));
	}

	@Test
	void flippedPayloadBitFailsTheChecksum() {
		byte[] frame = bytes(Frame.encode(PAYLOAD));
		frame[Frame.HEADER_SIZE_BYTES + 3] ^= 0x10;
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> Frame.decode(ByteBuffer.wrap(frame)))
			.withMessageContaining("offset 4")
			.withMessageContaining("checksum");
	}

	@Test
	void flippedChecksumBitFailsTheChecksum() {
		byte[] frame = bytes(Frame.encode(PAYLOAD));
		frame[Integer.BYTES] ^= 0x01;
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> Frame.decode(ByteBuffer.wrap(frame)))
			.withMessageContaining("does not match");
	}

	@Test
	void byteOrderOfTheCallersBufferDoesNotMatter() {
		ByteBuffer frame = Frame.encode(PAYLOAD).order(ByteOrder.BIG_ENDIAN);
		Optional<byte[]> payload = Frame.decode(frame);
		assertThat(payload).isPresent();
		assertThat(frame.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
	}

	private static ByteBuffer header(int length, int checksum) {
		return ByteBuffer.allocate(Frame.HEADER_SIZE_BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt(length).putInt(checksum).flip();
	}

	private static byte[] bytes(ByteBuffer buffer) {
		byte[] bytes = new byte[buffer.remaining()];
		buffer.get(bytes);
		return bytes;
	}

}
