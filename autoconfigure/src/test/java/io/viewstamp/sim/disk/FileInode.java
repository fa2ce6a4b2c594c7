package io.viewstamp.sim.disk;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A regular file: its bytes now, its bytes as durable, and the sectors written since the last
 * {@code fsync}. Only {@link #persist} makes data and length durable. A crash rebuilds the file
 * from its durable bytes: the length is the durable or the current one, and every sector written
 * since the last sync independently keeps its new or its durable content, which is how a real
 * disk tears a write and reorders writes it had not been told to flush.
 */
final class FileInode extends Inode {

	/** The largest file, as the bytes are held in one array. */
	static final int FILE_SIZE_BYTES_MAX = Integer.MAX_VALUE - 8;

	/** Current content; bytes at and beyond {@link #length} are always zero. */
	private byte[] bytes = new byte[0];

	private int length;

	/** Durable content, {@link #durableLength} bytes of it; zeros beyond, so that a sync copies only what changed. */
	private byte[] durable = new byte[0];

	private int durableLength;

	/** Sectors written or cut off since the last sync, by index. */
	private final TreeSet<Long> dirtySectors = new TreeSet<>();

	/** Reads still to fail, as a failing sector's would. */
	private int readFailures;

	FileInode(long id) {
		super(id);
	}

	@Override
	boolean isDirectory() {
		return false;
	}

	long size() {
		return this.length;
	}

	/**
	 * Reads into {@code target} from {@code position}.
	 * @return the bytes read, -1 at or beyond the end of the file
	 */
	int read(ByteBuffer target, long position) {
		if (position >= this.length) {
			return -1;
		}
		int count = (int) Math.min(target.remaining(), this.length - position);
		target.put(this.bytes, (int) position, count);
		return count;
	}

	/**
	 * Writes all of {@code source} at {@code position}, growing the file when needed; a gap
	 * between the end of the file and {@code position} reads as zeros.
	 * @return the bytes written
	 */
	int write(ByteBuffer source, long position) {
		int count = source.remaining();
		if (count == 0) {
			return 0;
		}
		int end = Math.toIntExact(position + count);
		if (end > this.bytes.length) {
			int doubled = (int) Math.min(FILE_SIZE_BYTES_MAX, 2L * this.bytes.length);
			this.bytes = Arrays.copyOf(this.bytes, Math.max(end, doubled));
		}
		source.get(this.bytes, (int) position, count);
		this.length = Math.max(this.length, end);
		markDirty(position, end);
		return count;
	}

	/** Cuts the file to {@code size} bytes; a larger size changes nothing, as {@code ftruncate} in Java. */
	void truncate(long size) {
		if (size >= this.length) {
			return;
		}
		// The cut-off sectors are changed too: a crash may keep them or not.
		markDirty(size, this.length);
		Arrays.fill(this.bytes, (int) size, this.length, (byte) 0);
		this.length = (int) size;
	}

	@Override
	void persist() {
		if (this.durable.length < this.length) {
			int doubled = (int) Math.min(FILE_SIZE_BYTES_MAX, 2L * this.durable.length);
			this.durable = Arrays.copyOf(this.durable, Math.max(this.length, doubled));
		}
		// Only the sectors written since the last sync differ; everything else is durable already.
		for (long sector : this.dirtySectors) {
			int from = (int) (sector * SimFileSystem.SECTOR_SIZE_BYTES);
			if (from >= this.durable.length) {
				// Cut off before it was ever synced: beyond the new length, where durable bytes are zeros already.
				continue;
			}
			int to = (int) Math.min(from + (long) SimFileSystem.SECTOR_SIZE_BYTES, this.durable.length);
			System.arraycopy(this.bytes, from, this.durable, from, Math.max(0, Math.min(to, this.bytes.length) - from));
		}
		if (this.durableLength > this.length) {
			Arrays.fill(this.durable, this.length, this.durableLength, (byte) 0);
		}
		this.durableLength = this.length;
		this.dirtySectors.clear();
	}

	@Override
	boolean hasUnsyncedChanges() {
		return this.length != this.durableLength || !this.dirtySectors.isEmpty();
	}

	/**
	 * A power loss: rebuilds the file from its durable content, taking the durable or the current
	 * length, and for each sector changed since the last sync its durable or its current content,
	 * all drawn from {@code random} in sector order. Afterwards everything is durable.
	 */
	void crash(SplittableRandom random) {
		int survivingLength = (this.length == this.durableLength || random.nextBoolean()) ? this.length
				: this.durableLength;
		// Bytes beyond the durable length that keep no current content read as zeros (durable ones are).
		byte[] rebuilt = Arrays.copyOf(this.durable, Math.max(survivingLength, this.durableLength));
		Arrays.fill(rebuilt, survivingLength, rebuilt.length, (byte) 0);
		for (long sector : this.dirtySectors) {
			boolean written = random.nextBoolean();
			long start = sector * SimFileSystem.SECTOR_SIZE_BYTES;
			if (written && start < survivingLength) {
				int from = (int) start;
				int to = (int) Math.min(start + SimFileSystem.SECTOR_SIZE_BYTES, survivingLength);
				// The sector's current content is zeros beyond the current length (cut off, not yet rewritten).
				int copiedTo = Math.max(from, Math.min(to, this.length));
				System.arraycopy(this.bytes, from, rebuilt, from, copiedTo - from);
				Arrays.fill(rebuilt, copiedTo, to, (byte) 0);
			}
		}
		this.bytes = rebuilt;
		this.length = survivingLength;
		this.durable = rebuilt.clone();
		this.durableLength = survivingLength;
		this.dirtySectors.clear();
	}

	/** Flips a bit of the byte at {@code offset} now and, where the durable content reaches it, durably. */
	void flipBit(long offset, int bit) {
		this.bytes[(int) offset] ^= (byte) (1 << bit);
		if (offset < this.durableLength) {
			this.durable[(int) offset] ^= (byte) (1 << bit);
		}
	}

	/** The current content. */
	byte[] contents() {
		return Arrays.copyOf(this.bytes, this.length);
	}

	void failReads(int count) {
		this.readFailures = count;
	}

	/** Whether the next read fails; counts it when it does. */
	boolean takeReadFailure() {
		if (this.readFailures == 0) {
			return false;
		}
		this.readFailures--;
		return true;
	}

	private void markDirty(long start, long end) {
		long sectorSize = SimFileSystem.SECTOR_SIZE_BYTES;
		for (long sector = start / sectorSize; sector * sectorSize < end; sector++) {
			this.dirtySectors.add(sector);
		}
	}

}
