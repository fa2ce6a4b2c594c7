package io.viewstamp.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

import io.viewstamp.vsr.Snapshot;

/**
 * The bytes of a snapshot, as stored in a snapshot file.
 *
 * <pre>
 * offset  0  magic                u32  "VSSN"
 * offset  4  version              u8   1
 * offset  5  reserved             3 bytes, zero
 * offset  8  op                   i64
 * offset 16  checksum             i64  of the log entry at op
 * offset 24  timestamp            i64  of the log entry at op
 * offset 32  state machine length u32, then the state machine's bytes
 *            client table length  u32, then the client table's bytes
 *            crc                  u32  CRC32C of every byte before it
 * </pre>
 */
final class SnapshotFormat {

	/** "VSSN" in little-endian order. */
	static final int MAGIC = 'V' | ('S' << 8) | ('S' << 16) | ('N' << 24);

	static final byte VERSION = 1;

	static final int HEADER_SIZE_BYTES = 32;

	/** The header, both lengths and the trailing CRC. */
	static final int OVERHEAD_BYTES = HEADER_SIZE_BYTES + 2 * Integer.BYTES + Integer.BYTES;

	/** The largest snapshot, all of it; what a replica accepts from a peer, too. */
	static final int SNAPSHOT_SIZE_BYTES_MAX = 1 << 30;

	private SnapshotFormat() {
	}

	/** The encoded size of {@code snapshot}. */
	static long sizeBytes(Snapshot snapshot) {
		return (long) OVERHEAD_BYTES + snapshot.stateMachine().length + snapshot.clientTable().length;
	}

	/** Refuses a snapshot too large to store or send. */
	static void checkSize(Snapshot snapshot) {
		if (sizeBytes(snapshot) > SNAPSHOT_SIZE_BYTES_MAX) {
			throw new IllegalArgumentException("Snapshot of op " + snapshot.op() + " is " + sizeBytes(snapshot)
					+ " bytes, more than the " + SNAPSHOT_SIZE_BYTES_MAX + " bytes a snapshot may have");
		}
	}

	/**
	 * The snapshot as buffers to write in order, the last one holding the CRC; the byte arrays of
	 * the snapshot are wrapped, not copied.
	 */
	static ByteBuffer[] encode(Snapshot snapshot) {
		checkSize(snapshot);
		ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE_BYTES + Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
		header.putInt(MAGIC)
			.put(VERSION)
			.put((byte) 0)
			.put((byte) 0)
			.put((byte) 0)
			.putLong(snapshot.op())
			.putLong(snapshot.checksum())
			.putLong(snapshot.timestamp())
			.putInt(snapshot.stateMachine().length)
			.flip();
		ByteBuffer stateMachine = ByteBuffer.wrap(snapshot.stateMachine());
		ByteBuffer clientTableLength = ByteBuffer.allocate(Integer.BYTES)
			.order(ByteOrder.LITTLE_ENDIAN)
			.putInt(snapshot.clientTable().length)
			.flip();
		ByteBuffer clientTable = ByteBuffer.wrap(snapshot.clientTable());
		CRC32C crc = new CRC32C();
		for (ByteBuffer part : new ByteBuffer[] { header, stateMachine, clientTableLength, clientTable }) {
			crc.update(part.duplicate());
		}
		ByteBuffer trailer = ByteBuffer.allocate(Integer.BYTES)
			.order(ByteOrder.LITTLE_ENDIAN)
			.putInt((int) crc.getValue())
			.flip();
		return new ByteBuffer[] { header, stateMachine, clientTableLength, clientTable, trailer };
	}

	/** The snapshot as one array. */
	static byte[] encodeToArray(Snapshot snapshot) {
		ByteBuffer image = ByteBuffer.allocate((int) sizeBytes(snapshot));
		for (ByteBuffer part : encode(snapshot)) {
			image.put(part);
		}
		return image.array();
	}

	/**
	 * Decodes a whole snapshot image.
	 * @throws IllegalArgumentException when the bytes are not an intact snapshot: the message says why
	 */
	static Snapshot decode(byte[] image) {
		if (image.length < OVERHEAD_BYTES) {
			throw new IllegalArgumentException("snapshot has " + image.length + " bytes, fewer than its " + OVERHEAD_BYTES
					+ " bytes of header and checksum: it is truncated");
		}
		ByteBuffer in = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
		int crcOffset = image.length - Integer.BYTES;
		if (in.getInt(crcOffset) != Crc32c.of(in, 0, crcOffset)) {
			throw new IllegalArgumentException("snapshot fails its checksum: it is corrupt or truncated");
		}
		if (in.getInt(0) != MAGIC) {
			throw new IllegalArgumentException("snapshot does not start with the snapshot magic number");
		}
		if (in.get(4) != VERSION) {
			throw new IllegalArgumentException("snapshot has format version " + in.get(4) + ", this release reads only "
					+ VERSION);
		}
		long op = in.getLong(8);
		long checksum = in.getLong(16);
		long timestamp = in.getLong(24);
		in.position(HEADER_SIZE_BYTES).limit(crcOffset);
		byte[] stateMachine = lengthPrefixed(in, "state machine");
		byte[] clientTable = lengthPrefixed(in, "client table");
		if (in.hasRemaining()) {
			throw new IllegalArgumentException("snapshot has " + in.remaining() + " bytes after its content");
		}
		try {
			return new Snapshot(op, checksum, timestamp, stateMachine, clientTable);
		}
		catch (IllegalStateException ex) {
			throw new IllegalArgumentException("snapshot holds values no snapshot can have: " + ex.getMessage(), ex);
		}
	}

	private static byte[] lengthPrefixed(ByteBuffer in, String what) {
		if (in.remaining() < Integer.BYTES) {
			throw new IllegalArgumentException("snapshot is truncated before the length of its " + what);
		}
		int length = in.getInt();
		if (length < 0 || length > in.remaining()) {
			throw new IllegalArgumentException("snapshot claims " + Integer.toUnsignedString(length) + " bytes of " + what
					+ " but has " + in.remaining() + " left");
		}
		byte[] bytes = new byte[length];
		in.get(bytes);
		return bytes;
	}

}
