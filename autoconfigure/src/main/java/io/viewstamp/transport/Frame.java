package io.viewstamp.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The unit on a connection between replicas: {@code [u32 length][u32 crc32c of payload][payload]},
 * little-endian. The length lets a reader cut a byte stream into messages; the checksum catches
 * corruption that TCP's own weak checksum lets through, so a flipped bit closes the connection
 * instead of reaching the replica. A frame with an empty payload is a ping ({@link ConnectionLiveness}).
 * Pure functions, no I/O: the caller owns the buffers.
 */
public final class Frame {

	/** The length and checksum before each payload. */
	public static final int HEADER_SIZE_BYTES = 2 * Integer.BYTES;

	/** The largest payload: one message of the largest size. */
	public static final int PAYLOAD_SIZE_BYTES_MAX = MessageCodec.MESSAGE_SIZE_BYTES_MAX;

	/** The largest frame, header included. */
	public static final int FRAME_SIZE_BYTES_MAX = HEADER_SIZE_BYTES + PAYLOAD_SIZE_BYTES_MAX;

	private Frame() {
	}

	/**
	 * Frames {@code payload}.
	 * @param payload the bytes of one message
	 * @return the frame, positioned at its start and ready to be written
	 * @throws IllegalArgumentException when the payload is larger than {@link #PAYLOAD_SIZE_BYTES_MAX}
	 */
	public static ByteBuffer encode(byte[] payload) {
		if (payload.length > PAYLOAD_SIZE_BYTES_MAX) {
			throw new IllegalArgumentException("Cannot frame a payload of " + payload.length + " bytes, more than the "
					+ PAYLOAD_SIZE_BYTES_MAX + " bytes a frame may carry");
		}
		ByteBuffer frame = ByteBuffer.allocate(HEADER_SIZE_BYTES + payload.length).order(ByteOrder.LITTLE_ENDIAN);
		frame.putInt(payload.length).putInt(checksum(payload)).put(payload);
		return frame.flip();
	}

	/**
	 * Takes one frame from the start of {@code buffer}'s remaining bytes, which may hold less than a
	 * frame (a partial read) or more (the start of the next one).
	 * @param buffer bytes received so far; its byte order is ignored and left as it was
	 * @return the payload, with the buffer's position advanced past the frame; or empty when the
	 * buffer does not yet hold a whole frame, with the position unchanged
	 * @throws MalformedMessageException when the length is larger than {@link #PAYLOAD_SIZE_BYTES_MAX}
	 * (reported as soon as the header is there, so nothing waits for or buffers an impossible
	 * payload) or when the payload does not match its checksum
	 */
	public static Optional<byte[]> decode(ByteBuffer buffer) {
		ByteBuffer in = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
		if (in.remaining() < HEADER_SIZE_BYTES) {
			return Optional.empty();
		}
		int length = in.getInt();
		if (length < 0 || length > PAYLOAD_SIZE_BYTES_MAX) {
			throw new MalformedMessageException("Malformed frame at offset 0: length " + Integer.toUnsignedString(length)
					+ " is more than the " + PAYLOAD_SIZE_BYTES_MAX + " bytes a frame may carry");
		}
		int expectedChecksum = in.getInt();
		if (in.remaining() < length) {
			return Optional.empty();
		}
		byte[] payload = new byte[length];
		in.get(payload);
		int actualChecksum = checksum(payload);
		if (actualChecksum != expectedChecksum) {
			throw new MalformedMessageException("Malformed frame at offset " + Integer.BYTES + ": checksum "
					+ Integer.toHexString(expectedChecksum) + " does not match the " + length
					+ "-byte payload, whose checksum is " + Integer.toHexString(actualChecksum));
		}
		buffer.position(buffer.position() + in.position());
		return Optional.of(payload);
	}

	private static int checksum(byte[] payload) {
		CRC32C crc = new CRC32C();
		crc.update(payload);
		return (int) crc.getValue();
	}

}
