package io.viewstamp.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.LogEntryCodec;
import org.jspecify.annotations.Nullable;

/**
 * The journal as it is written: frames appended to the newest segment file, a new segment begun
 * when the next frame would make the current one larger than the segment size.
 *
 * <p>Nothing is ever overwritten. An entry for an op the journal already holds replaces it because
 * the reader takes the newest frame; {@code truncateAfter} is a truncate record. So every change
 * of the journal is one more append, and the order of the appends is the order of the requests
 * both before and after a crash: a crash can only lose, or tear, a suffix.
 *
 * <p>Frames collect in a buffer and reach the file on {@link #sync}, which writes them and forces
 * the file once for all of them (group commit), and the directory when a segment was created.
 *
 * <p>Each sync first pads the segment with zeros to the next multiple of
 * {@link #SECTOR_SIZE_BYTES}, so every batch begins on a sector of its own: a crash that tears the
 * batch can only damage the batch's own frames, none of which was acknowledged yet, never the last
 * frames of the batch before. The padding counts in the segment's size, so a segment may end up to
 * a sector minus one byte beyond the segment size; a new segment starts at 0, already aligned.
 * Used by the storage's I/O thread only.
 */
final class Journal {

	static final int WRITE_BUFFER_SIZE_BYTES = 1 << 20;

	/**
	 * The unit a disk is assumed to write atomically, or to tear at. Frames are appended back to
	 * back, so without padding a batch would begin in the middle of the sector that holds the end of
	 * the batch before it, already synced and acknowledged; a crash during the batch may tear that
	 * sector and take the acknowledged frames with it. 4 KiB is the sector of current disks
	 * (advanced format, NVMe) and a multiple of the older 512 bytes.
	 */
	static final int SECTOR_SIZE_BYTES = 4096;

	/** Zeros to pad a segment with, at most a sector less one byte at a time. */
	private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(SECTOR_SIZE_BYTES).asReadOnlyBuffer();

	private final Path directory;

	private final long clusterId;

	private final long segmentSizeBytes;

	private final Disk disk;

	/** In write order; the last is the one appended to. */
	private final List<Segment> segments;

	private final ByteBuffer buffer = ByteBuffer.allocateDirect(WRITE_BUFFER_SIZE_BYTES).order(ByteOrder.LITTLE_ENDIAN);

	/** The last segment, open for appending, or {@code null} when no segment is open. */
	private @Nullable FileChannel active;

	private boolean activeUnsynced;

	private boolean directoryUnsynced;

	private long nextSequence;

	/** The op of the newest truncate record, repeated in every frame's header. */
	private long truncatedAfter;

	private volatile long firstOp;

	private volatile long lastOp;

	/** Bytes of every segment file, as written (buffered frames included); read by monitoring. */
	private volatile long sizeBytes;

	Journal(Path directory, long clusterId, long segmentSizeBytes, Disk disk, JournalRecovery.Result recovered,
			long firstOp, long lastOp) throws IOException {
		List<Segment> segments = recovered.segments();
		this.directory = directory;
		this.clusterId = clusterId;
		this.segmentSizeBytes = segmentSizeBytes;
		this.disk = disk;
		this.segments = new ArrayList<>(segments);
		this.nextSequence = segments.isEmpty() ? 1 : segments.get(segments.size() - 1).sequence + 1;
		this.truncatedAfter = recovered.truncatedAfter();
		this.firstOp = firstOp;
		this.lastOp = lastOp;
		this.sizeBytes = segments.stream().mapToLong((segment) -> segment.sizeBytes).sum();
		if (!segments.isEmpty()) {
			this.active = FileChannel.open(segments.get(segments.size() - 1).path, StandardOpenOption.WRITE);
		}
	}

	/** Appends {@code entry}; it is durable after the next {@link #sync}. */
	void appendEntry(LogEntry entry) throws IOException {
		int payloadSize = LogEntryCodec.encodedSizeBytes(entry);
		int frameSize = JournalFrame.HEADER_SIZE_BYTES + payloadSize;
		Segment segment = segmentFor(frameSize);
		ByteBuffer target = this.buffer;
		if (frameSize > this.buffer.remaining()) {
			flush();
			if (frameSize > this.buffer.capacity()) {
				target = ByteBuffer.allocate(frameSize).order(ByteOrder.LITTLE_ENDIAN);
			}
		}
		int headerOffset = target.position();
		target.position(headerOffset + JournalFrame.HEADER_SIZE_BYTES);
		LogEntryCodec.encode(entry, target);
		int payloadCrc = Crc32c.of(target, headerOffset + JournalFrame.HEADER_SIZE_BYTES, payloadSize);
		JournalFrame.writeHeader(target, headerOffset, this.clusterId, JournalFrame.KIND_ENTRY, entry.op(),
				this.truncatedAfter, payloadSize, payloadCrc);
		if (target != this.buffer) {
			this.disk.write(activeChannel(), target.flip(), segment.sizeBytes);
			this.activeUnsynced = true;
		}
		grow(segment, frameSize);
		segment.maxEntryOp = Math.max(segment.maxEntryOp, entry.op());
		this.lastOp = Math.max(this.lastOp, entry.op());
		this.firstOp = (this.firstOp == 0) ? entry.op() : Math.min(this.firstOp, entry.op());
	}

	/** Appends a truncate record: every entry after {@code op} is discarded, once synced. */
	void appendTruncate(long op) throws IOException {
		Segment segment = segmentFor(JournalFrame.HEADER_SIZE_BYTES);
		if (this.buffer.remaining() < JournalFrame.HEADER_SIZE_BYTES) {
			flush();
		}
		JournalFrame.writeHeader(this.buffer, this.buffer.position(), this.clusterId, JournalFrame.KIND_TRUNCATE, op,
				this.truncatedAfter, 0, 0);
		this.buffer.position(this.buffer.position() + JournalFrame.HEADER_SIZE_BYTES);
		this.truncatedAfter = op;
		grow(segment, JournalFrame.HEADER_SIZE_BYTES);
		if (op < this.firstOp) {
			this.firstOp = 0;
			this.lastOp = 0;
		}
		else if (op < this.lastOp) {
			this.lastOp = op;
		}
	}

	/**
	 * Makes everything appended so far durable: one write, one force of the segment, and of the
	 * directory if needed. The write ends with the padding to the next sector boundary, so the next
	 * batch starts on a fresh sector.
	 */
	void sync() throws IOException {
		padToSector();
		flush();
		if (this.activeUnsynced) {
			this.disk.force(activeChannel());
			this.activeUnsynced = false;
		}
		if (this.directoryUnsynced) {
			this.disk.forceDirectory(this.directory);
			this.directoryUnsynced = false;
		}
	}

	/**
	 * Deletes the oldest segments as long as every entry they ever held is at or before
	 * {@code snapshotOp}, which a durable snapshot covers. Only whole segments at the start go: a
	 * truncate record affects only older frames, so what remains replays as before. Each deletion is
	 * synced before the next, so a crash leaves the remaining segments a suffix of the journal.
	 */
	void deleteThrough(long snapshotOp) throws IOException {
		sync();
		while (!this.segments.isEmpty() && this.segments.get(0).maxEntryOp <= snapshotOp) {
			Segment oldest = this.segments.remove(0);
			if (this.segments.isEmpty()) {
				activeChannel().close();
				this.active = null;
			}
			Files.delete(oldest.path);
			this.sizeBytes -= oldest.sizeBytes;
			this.disk.forceDirectory(this.directory);
		}
		if (this.lastOp <= snapshotOp) {
			this.firstOp = 0;
			this.lastOp = 0;
		}
		else if (this.firstOp <= snapshotOp) {
			this.firstOp = snapshotOp + 1;
		}
	}

	long firstOp() {
		return this.firstOp;
	}

	long lastOp() {
		return this.lastOp;
	}

	/** The bytes of the journal's segment files; any thread. */
	long sizeBytes() {
		return this.sizeBytes;
	}

	private void grow(Segment segment, long bytes) {
		segment.sizeBytes += bytes;
		this.sizeBytes += bytes;
	}

	void close() throws IOException {
		if (this.active != null) {
			this.active.close();
			this.active = null;
		}
	}

	/** The segment a frame of {@code frameSize} bytes goes into, beginning a new one when needed. */
	private Segment segmentFor(int frameSize) throws IOException {
		if (this.active != null) {
			Segment last = this.segments.get(this.segments.size() - 1);
			if (last.sizeBytes + frameSize <= this.segmentSizeBytes) {
				return last;
			}
			if (last.sizeBytes == 0) {
				// A frame larger than a segment gets a segment of its own.
				return last;
			}
			flush();
			if (this.activeUnsynced) {
				this.disk.force(this.active);
				this.activeUnsynced = false;
			}
			this.active.close();
		}
		long sequence = this.nextSequence++;
		Segment segment = new Segment(sequence, this.directory.resolve(Segment.fileName(sequence)), 0);
		this.active = FileChannel.open(segment.path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
		this.segments.add(segment);
		this.directoryUnsynced = true;
		return segment;
	}

	/** The first sector boundary at or after {@code position}. */
	static long alignUp(long position) {
		return (position + SECTOR_SIZE_BYTES - 1) / SECTOR_SIZE_BYTES * SECTOR_SIZE_BYTES;
	}

	/**
	 * Appends zeros up to the next sector boundary of the active segment, if anything was appended
	 * since the last sync: after a sync the size is aligned, so an unaligned size says just that.
	 */
	private void padToSector() throws IOException {
		if (this.active == null) {
			return;
		}
		Segment last = this.segments.get(this.segments.size() - 1);
		int padding = (int) (alignUp(last.sizeBytes) - last.sizeBytes);
		if (padding == 0) {
			return;
		}
		if (this.buffer.remaining() < padding) {
			flush();
		}
		this.buffer.put(ZEROS.duplicate().limit(padding));
		grow(last, padding);
	}

	/** Writes the buffered frames to the end of the active segment. */
	private void flush() throws IOException {
		if (this.buffer.position() == 0) {
			return;
		}
		Segment last = this.segments.get(this.segments.size() - 1);
		this.buffer.flip();
		this.disk.write(activeChannel(), this.buffer, last.sizeBytes - this.buffer.remaining());
		this.buffer.clear();
		this.activeUnsynced = true;
	}

	/** The last segment's channel: open whenever there is a segment, so whenever a frame was buffered or written. */
	private FileChannel activeChannel() {
		return Objects.requireNonNull(this.active, "a segment is open once a frame went into one");
	}

}
