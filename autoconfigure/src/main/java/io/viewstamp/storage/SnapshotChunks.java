package io.viewstamp.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

import io.viewstamp.vsr.Snapshot;

/**
 * A snapshot cut into chunks for state transfer to a peer, each with its own CRC32C, and put back
 * together on the other side. A corrupt or foreign chunk is refused on arrival, so only that chunk
 * needs sending again; the whole snapshot is checked once more (its own CRC32C) when complete.
 * Pure code: no I/O.
 *
 * <pre>
 * offset  0  magic          u32  "VSCH"
 * offset  4  version        u8   1
 * offset  5  reserved       3 bytes, zero
 * offset  8  snapshot op    i64
 * offset 16  total bytes    u32  of the encoded snapshot
 * offset 20  chunk bytes    u32  the data every chunk but the last carries
 * offset 24  index          u32  this chunk's place: its data starts at index * chunk bytes
 * offset 28  data crc       u32  CRC32C of the data
 * offset 32  header crc     u32  CRC32C of bytes 0..31
 * offset 36  data
 * </pre>
 */
public final class SnapshotChunks {

	/** The bytes of a chunk before its data. */
	public static final int CHUNK_HEADER_SIZE_BYTES = 36;

	/** The smallest chunk size {@link #split} accepts. */
	public static final int CHUNK_SIZE_BYTES_MIN = 256;

	/** The largest chunk size {@link #split} accepts, and the largest chunk an assembly takes. */
	public static final int CHUNK_SIZE_BYTES_MAX = 16 << 20;

	/** The largest snapshot, encoded, that is split or assembled. */
	public static final int SNAPSHOT_SIZE_BYTES_MAX = SnapshotFormat.SNAPSHOT_SIZE_BYTES_MAX;

	/** "VSCH" in little-endian order. */
	static final int MAGIC = 'V' | ('S' << 8) | ('C' << 16) | ('H' << 24);

	static final byte VERSION = 1;

	private SnapshotChunks() {
	}

	/**
	 * Encodes {@code snapshot} and cuts it into chunks of at most {@code chunkSizeBytes} bytes each,
	 * header included.
	 * @param snapshot the snapshot
	 * @param chunkSizeBytes the largest chunk, from {@link #CHUNK_SIZE_BYTES_MIN} to {@link #CHUNK_SIZE_BYTES_MAX}
	 * @return the chunks, in order (any order arrives just as well)
	 */
	public static List<byte[]> split(Snapshot snapshot, int chunkSizeBytes) {
		if (chunkSizeBytes < CHUNK_SIZE_BYTES_MIN || chunkSizeBytes > CHUNK_SIZE_BYTES_MAX) {
			throw new IllegalArgumentException("Snapshot chunk size " + chunkSizeBytes + " bytes is outside "
					+ CHUNK_SIZE_BYTES_MIN + ".." + CHUNK_SIZE_BYTES_MAX + " bytes");
		}
		byte[] image = SnapshotFormat.encodeToArray(snapshot);
		int dataBytes = chunkSizeBytes - CHUNK_HEADER_SIZE_BYTES;
		int count = countChunks(image.length, dataBytes);
		List<byte[]> chunks = new ArrayList<>(count);
		for (int index = 0; index < count; index++) {
			int offset = index * dataBytes;
			int length = Math.min(dataBytes, image.length - offset);
			ByteBuffer chunk = ByteBuffer.allocate(CHUNK_HEADER_SIZE_BYTES + length).order(ByteOrder.LITTLE_ENDIAN);
			chunk.putInt(MAGIC)
				.put(VERSION)
				.put((byte) 0)
				.put((byte) 0)
				.put((byte) 0)
				.putLong(snapshot.op())
				.putInt(image.length)
				.putInt(dataBytes)
				.putInt(index)
				.putInt(Crc32c.of(ByteBuffer.wrap(image), offset, length));
			chunk.putInt(Crc32c.of(chunk, 0, CHUNK_HEADER_SIZE_BYTES - Integer.BYTES));
			chunk.put(image, offset, length);
			chunks.add(chunk.array());
		}
		return chunks;
	}

	/** A new, empty assembly; it takes the snapshot of the first chunk it is given. */
	public static Assembly assemble() {
		return new Assembly();
	}

	private static int countChunks(long totalBytes, int dataBytes) {
		return (int) ((totalBytes + dataBytes - 1) / dataBytes);
	}

	/**
	 * The chunks of one snapshot as they arrive, in any order, duplicates included. Not thread-safe.
	 */
	public static final class Assembly {

		private long snapshotOp = -1;

		private byte[] image;

		private int dataBytes;

		private int chunkCount;

		private final BitSet received = new BitSet();

		private Snapshot snapshot;

		private Assembly() {
		}

		/**
		 * Adds one chunk.
		 * @param chunk the chunk's bytes, as {@link #split} made them
		 * @return whether the snapshot is now complete; then {@link #snapshot()} has it
		 * @throws IllegalArgumentException when the chunk is corrupt, malformed, or of another snapshot
		 * than the chunks before it; the assembly is unchanged and the chunk may be sent again
		 */
		public boolean add(byte[] chunk) {
			if (chunk.length < CHUNK_HEADER_SIZE_BYTES || chunk.length > CHUNK_HEADER_SIZE_BYTES + CHUNK_SIZE_BYTES_MAX) {
				throw new IllegalArgumentException("A snapshot chunk of " + chunk.length + " bytes is impossible: a chunk has "
						+ CHUNK_HEADER_SIZE_BYTES + " to " + (CHUNK_HEADER_SIZE_BYTES + CHUNK_SIZE_BYTES_MAX) + " bytes");
			}
			ByteBuffer in = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
			if (in.getInt(0) != MAGIC || in.getInt(32) != Crc32c.of(in, 0, CHUNK_HEADER_SIZE_BYTES - Integer.BYTES)) {
				throw new IllegalArgumentException("Snapshot chunk header is corrupt (magic number or header checksum)");
			}
			if (in.get(4) != VERSION) {
				throw new IllegalArgumentException("Snapshot chunk has format version " + in.get(4) + ", this release reads only "
						+ VERSION);
			}
			long op = in.getLong(8);
			int totalBytes = in.getInt(16);
			int chunkDataBytes = in.getInt(20);
			int index = in.getInt(24);
			checkHeader(op, totalBytes, chunkDataBytes, index);
			int offset = index * chunkDataBytes;
			int length = Math.min(chunkDataBytes, totalBytes - offset);
			if (chunk.length != CHUNK_HEADER_SIZE_BYTES + length) {
				throw new IllegalArgumentException("Snapshot chunk " + index + " of op " + op + " has " + (chunk.length
						- CHUNK_HEADER_SIZE_BYTES) + " bytes of data, " + length + " expected");
			}
			if (in.getInt(28) != Crc32c.of(in, CHUNK_HEADER_SIZE_BYTES, length)) {
				throw new IllegalArgumentException("Snapshot chunk " + index + " of op " + op + " fails its data checksum");
			}
			if (this.image == null) {
				this.snapshotOp = op;
				this.image = new byte[totalBytes];
				this.dataBytes = chunkDataBytes;
				this.chunkCount = countChunks(totalBytes, chunkDataBytes);
			}
			if (!this.received.get(index)) {
				System.arraycopy(chunk, CHUNK_HEADER_SIZE_BYTES, this.image, offset, length);
				this.received.set(index);
			}
			if (this.snapshot == null && this.received.cardinality() == this.chunkCount) {
				complete();
			}
			return this.snapshot != null;
		}

		/** The op of the snapshot being assembled, -1 before the first chunk. */
		public long snapshotOp() {
			return this.snapshotOp;
		}

		/** The chunks received so far, duplicates counted once. */
		public int chunksReceived() {
			return this.received.cardinality();
		}

		/** The number of chunks the snapshot has, 0 before the first chunk. */
		public int chunkCount() {
			return this.chunkCount;
		}

		/** The snapshot, once every chunk arrived and it passed its own checksum. */
		public Optional<Snapshot> snapshot() {
			return Optional.ofNullable(this.snapshot);
		}

		private void checkHeader(long op, int totalBytes, int chunkDataBytes, int index) {
			if (totalBytes < SnapshotFormat.OVERHEAD_BYTES || totalBytes > SNAPSHOT_SIZE_BYTES_MAX
					|| chunkDataBytes < 1 || chunkDataBytes > CHUNK_SIZE_BYTES_MAX) {
				throw new IllegalArgumentException("Snapshot chunk of op " + op + " claims " + Integer.toUnsignedString(totalBytes)
						+ " snapshot bytes in chunks of " + Integer.toUnsignedString(chunkDataBytes) + " bytes, outside the limits ("
						+ SNAPSHOT_SIZE_BYTES_MAX + " and " + CHUNK_SIZE_BYTES_MAX + " bytes)");
			}
			int count = countChunks(totalBytes, chunkDataBytes);
			if (index < 0 || index >= count) {
				throw new IllegalArgumentException("Snapshot chunk of op " + op + " has index " + index + ", outside 0.."
						+ (count - 1));
			}
			if (this.image != null
					&& (op != this.snapshotOp || totalBytes != this.image.length || chunkDataBytes != this.dataBytes)) {
				throw new IllegalArgumentException("Snapshot chunk of op " + op + " (" + totalBytes
						+ " bytes) belongs to another snapshot than the one being assembled, of op " + this.snapshotOp + " ("
						+ this.image.length + " bytes); start a new assembly for it");
			}
		}

		private void complete() {
			Snapshot decoded;
			try {
				decoded = SnapshotFormat.decode(this.image);
			}
			catch (IllegalArgumentException ex) {
				// Every chunk passed its checksum, so the sender encoded a bad snapshot: start over.
				this.received.clear();
				throw new IllegalArgumentException("Assembled snapshot of op " + this.snapshotOp + " is not intact: "
						+ ex.getMessage(), ex);
			}
			if (decoded.op() != this.snapshotOp) {
				this.received.clear();
				throw new IllegalArgumentException("Assembled snapshot holds op " + decoded.op() + ", its chunks said op "
						+ this.snapshotOp);
			}
			this.snapshot = decoded;
		}

	}

}
