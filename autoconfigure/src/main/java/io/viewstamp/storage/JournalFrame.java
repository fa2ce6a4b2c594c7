package io.viewstamp.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

import io.viewstamp.vsr.LogEntryCodec;
import org.jspecify.annotations.Nullable;

/**
 * The frame of one journal record: a fixed header, then the payload.
 *
 * <pre>
 * offset  0  magic          u32  "VSJF"
 * offset  4  kind           u8   1 = entry (payload: LogEntryCodec), 2 = truncate (no payload)
 * offset  5  reserved       3 bytes, zero
 * offset  8  op             i64  the entry's op, or the op after which the journal is truncated
 * offset 16  truncated after i64 the op of the newest truncate record written before this frame, -1 if none
 * offset 24  payload length u32
 * offset 28  payload crc    u32  CRC32C of the payload
 * offset 32  reserved       u32  zero
 * offset 36  header crc     u32  CRC32C of the cluster id (8 bytes) and bytes 0..35
 * </pre>
 *
 * The header checksum covers the cluster id, which is not stored: a frame of another cluster's
 * journal never looks intact, and bytes inside a payload that imitate a header (a command may hold
 * any bytes) pass only if their author knew the cluster id.
 *
 * <p>"Truncated after" repeats the last truncation in every frame. Should a truncate record in the
 * middle of the journal rot, the next intact frame still says where the journal was cut, so the
 * entries that the truncation discarded do not come back: they would chain to the committed
 * prefix just as well as the entries that replaced them, so the hash chain could not tell.
 */
final class JournalFrame {

	static final int HEADER_SIZE_BYTES = 40;

	/** The value of "truncated after" before the journal's first truncation. */
	static final long NEVER_TRUNCATED = -1;

	/** "VSJF" in little-endian order. */
	static final int MAGIC = 'V' | ('S' << 8) | ('J' << 16) | ('F' << 24);

	static final byte KIND_ENTRY = 1;

	static final byte KIND_TRUNCATE = 2;

	static final int PAYLOAD_SIZE_BYTES_MAX = LogEntryCodec.ENTRY_SIZE_BYTES_MAX;

	static final int MAGIC_OFFSET = 0;

	static final int KIND_OFFSET = 4;

	static final int OP_OFFSET = 8;

	static final int TRUNCATED_AFTER_OFFSET = 16;

	static final int PAYLOAD_LENGTH_OFFSET = 24;

	static final int PAYLOAD_CRC_OFFSET = 28;

	static final int RESERVED_OFFSET = 32;

	static final int HEADER_CRC_OFFSET = 36;

	private JournalFrame() {
	}

	/** Writes a header at {@code offset} of {@code buffer} (little-endian); positions are untouched. */
	static void writeHeader(ByteBuffer buffer, int offset, long clusterId, byte kind, long op, long truncatedAfter,
			int payloadLength, int payloadCrc) {
		ByteBuffer out = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
		out.putInt(offset + MAGIC_OFFSET, MAGIC);
		out.put(offset + KIND_OFFSET, kind);
		for (int reserved = 1; reserved <= 3; reserved++) {
			out.put(offset + KIND_OFFSET + reserved, (byte) 0);
		}
		out.putLong(offset + OP_OFFSET, op);
		out.putLong(offset + TRUNCATED_AFTER_OFFSET, truncatedAfter);
		out.putInt(offset + PAYLOAD_LENGTH_OFFSET, payloadLength);
		out.putInt(offset + PAYLOAD_CRC_OFFSET, payloadCrc);
		out.putInt(offset + RESERVED_OFFSET, 0);
		out.putInt(offset + HEADER_CRC_OFFSET, headerCrc(out, offset, clusterId));
	}

	/**
	 * Reads the header at {@code offset}, which must have {@link #HEADER_SIZE_BYTES} bytes.
	 * @return the header, or {@code null} when those bytes are not an intact header of this cluster
	 */
	static @Nullable Header readHeader(ByteBuffer buffer, int offset, long clusterId) {
		ByteBuffer in = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
		if (in.getInt(offset + MAGIC_OFFSET) != MAGIC
				|| in.getInt(offset + HEADER_CRC_OFFSET) != headerCrc(in, offset, clusterId)) {
			return null;
		}
		int payloadLength = in.getInt(offset + PAYLOAD_LENGTH_OFFSET);
		boolean reservedZero = in.get(offset + KIND_OFFSET + 1) == 0 && in.get(offset + KIND_OFFSET + 2) == 0
				&& in.get(offset + KIND_OFFSET + 3) == 0 && in.getInt(offset + RESERVED_OFFSET) == 0;
		if (!reservedZero || payloadLength < 0 || payloadLength > PAYLOAD_SIZE_BYTES_MAX) {
			// The checksum matches, so this release did not write it: a newer format.
			return new Header((byte) -1, in.getLong(offset + OP_OFFSET), NEVER_TRUNCATED, 0, 0);
		}
		return new Header(in.get(offset + KIND_OFFSET), in.getLong(offset + OP_OFFSET),
				in.getLong(offset + TRUNCATED_AFTER_OFFSET), payloadLength, in.getInt(offset + PAYLOAD_CRC_OFFSET));
	}

	/** Whether the four bytes at {@code offset} are the magic number, the cheap test before a full read. */
	static boolean startsWithMagic(ByteBuffer buffer, int offset) {
		return buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(offset) == MAGIC;
	}

	private static int headerCrc(ByteBuffer littleEndian, int offset, long clusterId) {
		CRC32C crc = new CRC32C();
		crc.update(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(0, clusterId));
		crc.update(littleEndian.duplicate().limit(offset + HEADER_CRC_OFFSET).position(offset));
		return (int) crc.getValue();
	}

	/**
	 * An intact header.
	 * @param kind {@link #KIND_ENTRY}, {@link #KIND_TRUNCATE}, or another value for a format this
	 * release does not know
	 * @param op the op
	 * @param truncatedAfter the op of the newest truncate record before this frame, or {@link #NEVER_TRUNCATED}
	 * @param payloadLength the payload's length in bytes
	 * @param payloadCrc the payload's CRC32C
	 */
	record Header(byte kind, long op, long truncatedAfter, int payloadLength, int payloadCrc) {

		boolean isKnownKind() {
			return this.kind == KIND_ENTRY || this.kind == KIND_TRUNCATE;
		}

	}

}
