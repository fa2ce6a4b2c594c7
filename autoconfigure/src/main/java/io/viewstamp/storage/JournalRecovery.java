package io.viewstamp.storage;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.LogEntryCodec;
import org.jspecify.annotations.Nullable;

/**
 * Reads the journal back when a storage opens.
 *
 * <p>Each segment is scanned frame by frame, in write order. An intact header with an intact payload
 * is a record; an intact header with a payload that fails its checksum is a faulty entry at the
 * header's op; anything else is a corrupt stretch, and the scan looks for the next intact header
 * (magic number and header checksum) after it. The ops such a stretch hides are inferred from the
 * intact frame that follows it: every op between the last intact frame before the stretch and that
 * one is faulty.
 *
 * <p>The journal pads every batch to a sector boundary ({@link Journal#SECTOR_SIZE_BYTES}). Zeros
 * from the end of an intact frame up to the next sector boundary, or to the end of the segment,
 * are that padding and are skipped; zeros anywhere else (a whole zeroed sector, zeros after a frame
 * that is not intact) are a corrupt stretch like any other bytes that are not a frame.
 *
 * <p>Whatever follows the last intact frame of the journal is a torn tail, a write a crash
 * interrupted: it was never acknowledged, so it is cut off (later segments deleted, the bytes after
 * the frame zeroed up to the next sector boundary, the file truncated there and synced) and never
 * returned. The cut ends on a sector boundary so that the batches written after the restart still
 * begin on sectors of their own. A corrupt entry before the last intact frame, by contrast, may
 * have been acknowledged: it is reported faulty, for the replica to repair from its peers.
 *
 * <p>Records are then replayed in order: an entry replaces whatever the journal held at its op, a
 * truncate record discards every entry after its op. Every frame repeats the op of the last
 * truncation before it; a frame that names a truncation the replay has not seen shows that a
 * corrupt stretch hid a truncate record: the truncation is applied all the same, and the ops
 * between it and the frame, written in the stretch, are faulty.
 */
final class JournalRecovery {

	/**
	 * The most ops a single corrupt stretch is taken to hide. More would mean a journal jumped far
	 * ahead of its last intact frame; ops further back are simply missing, which the replica
	 * repairs the same way as faulty ones.
	 */
	static final int INFERRED_FAULTY_OPS_MAX = 1 << 16;

	private static final System.Logger LOGGER = System.getLogger(JournalRecovery.class.getName());

	private final Path directory;

	private final long clusterId;

	private final long snapshotOp;

	private final Disk disk;

	private final TreeMap<Long, LogEntry> entries = new TreeMap<>();

	private final TreeSet<Long> faultyOps = new TreeSet<>();

	/** The last truncation the replay applied; unknown until the first intact frame says it. */
	private long truncatedAfter = UNKNOWN;

	private static final long UNKNOWN = Long.MIN_VALUE;

	private JournalRecovery(Path directory, long clusterId, long snapshotOp, Disk disk) {
		this.directory = directory;
		this.clusterId = clusterId;
		this.snapshotOp = snapshotOp;
		this.disk = disk;
	}

	/**
	 * Reads the journal in {@code directory}, cutting off a torn tail.
	 * @param snapshotOp the op of the snapshot the replica starts from; entries at or before it are not returned
	 */
	static Result recover(Path directory, long clusterId, long snapshotOp, Disk disk) throws IOException {
		return new JournalRecovery(directory, clusterId, snapshotOp, disk).recover();
	}

	/** Deletes every segment file. */
	static void deleteAll(Path directory) throws IOException {
		for (Path file : DataDirectory.list(directory, Segment.PREFIX, Segment.SUFFIX)) {
			Files.delete(file);
		}
	}

	private Result recover() throws IOException {
		List<Segment> segments = new ArrayList<>();
		List<List<Record>> records = new ArrayList<>();
		for (Path file : DataDirectory.list(this.directory, Segment.PREFIX, Segment.SUFFIX)) {
			long sequence = DataDirectory.number(file.getFileName().toString(), Segment.PREFIX, Segment.SUFFIX);
			if (sequence < 0) {
				continue;
			}
			Segment segment = new Segment(sequence, file, Files.size(file));
			segments.add(segment);
			records.add(scan(segment));
		}
		cutTornTail(segments, records);
		replay(segments, records);
		return new Result(segments, List.copyOf(this.entries.tailMap(this.snapshotOp, false).values()),
				List.copyOf(this.faultyOps.tailSet(this.snapshotOp, false)),
				(this.truncatedAfter == UNKNOWN) ? JournalFrame.NEVER_TRUNCATED : this.truncatedAfter);
	}

	private List<Record> scan(Segment segment) throws IOException {
		List<Record> records = new ArrayList<>();
		try (FileChannel channel = FileChannel.open(segment.path, StandardOpenOption.READ)) {
			SegmentWindow window = new SegmentWindow(channel, segment.sizeBytes);
			long position = 0;
			boolean afterIntactFrame = false;
			while (position < segment.sizeBytes) {
				Record frame = frameAt(window, segment, position);
				if (frame != null) {
					records.add(frame);
					position = frame.end();
					afterIntactFrame = frame.intact();
					continue;
				}
				long paddingEnd = afterIntactFrame ? paddingEnd(window, segment.sizeBytes, position) : position;
				if (paddingEnd > position) {
					position = paddingEnd;
					afterIntactFrame = false;
					continue;
				}
				afterIntactFrame = false;
				long next = nextHeader(window, segment.sizeBytes, position + 1);
				records.add(new Record(Record.CORRUPT, -1, UNKNOWN, false, null, position, next));
				position = next;
			}
		}
		return records;
	}

	/** The frame at {@code position}, or {@code null} when no intact header starts a whole frame there. */
	private @Nullable Record frameAt(SegmentWindow window, Segment segment, long position) throws IOException {
		if (segment.sizeBytes - position < JournalFrame.HEADER_SIZE_BYTES) {
			return null;
		}
		SegmentWindow.Slice slice = window.bytes(position, JournalFrame.HEADER_SIZE_BYTES);
		JournalFrame.Header header = JournalFrame.readHeader(slice.buffer(), slice.offset(), this.clusterId);
		if (header == null) {
			return null;
		}
		if (!header.isKnownKind() || (header.kind() == JournalFrame.KIND_TRUNCATE && header.payloadLength() != 0)) {
			Path dataDirectory = Objects.requireNonNull(this.directory.getParent(), "the journal's data directory");
			throw new DataDirectoryException(dataDirectory, "Journal segment " + segment.path
					+ " holds a record at byte " + position + " of a kind this release of Viewstamp does not know: the data "
					+ "directory was written by a newer release. Run that release, or delete the data directory so that this "
					+ "replica recovers from its peers.");
		}
		long end = position + JournalFrame.HEADER_SIZE_BYTES + header.payloadLength();
		if (end > segment.sizeBytes) {
			return null;
		}
		if (header.kind() == JournalFrame.KIND_TRUNCATE) {
			return new Record(JournalFrame.KIND_TRUNCATE, header.op(), header.truncatedAfter(), true, null, position, end);
		}
		SegmentWindow.Slice payload = window.bytes(position + JournalFrame.HEADER_SIZE_BYTES, header.payloadLength());
		boolean intact = Crc32c.of(payload.buffer(), payload.offset(), header.payloadLength()) == header.payloadCrc();
		LogEntry entry = null;
		if (intact && header.op() > this.snapshotOp) {
			entry = decode(payload, header);
			intact = entry != null;
		}
		return new Record(JournalFrame.KIND_ENTRY, header.op(), header.truncatedAfter(), intact, entry, position, end);
	}

	/** Decodes an entry whose payload passed its checksum; {@code null} if it still is not one. */
	private static @Nullable LogEntry decode(SegmentWindow.Slice payload, JournalFrame.Header header) {
		ByteBuffer bytes = payload.buffer()
			.duplicate()
			.limit(payload.offset() + header.payloadLength())
			.position(payload.offset());
		try {
			LogEntry entry = LogEntryCodec.decode(bytes);
			return (entry.op() == header.op() && !bytes.hasRemaining()) ? entry : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * Where the padding that starts at {@code position} ends: the next sector boundary, or the end
	 * of the segment if that comes first, when every byte up to there is zero; otherwise
	 * {@code position}, as there is no padding. Padding never starts on a boundary (the journal pads
	 * only an unaligned size), so zeros that do are a corrupt stretch, such as a sector a crash left
	 * unwritten. Only called right after an intact frame: zeros after a damaged one may hide a frame
	 * whose op must be reported faulty.
	 */
	private static long paddingEnd(SegmentWindow window, long sizeBytes, long position) throws IOException {
		long end = Math.min(Journal.alignUp(position), sizeBytes);
		if (end == position) {
			return position;
		}
		SegmentWindow.Slice slice = window.bytes(position, (int) (end - position));
		for (int at = 0; at < end - position; at++) {
			if (slice.buffer().get(slice.offset() + at) != 0) {
				return position;
			}
		}
		return end;
	}

	/** The position of the next intact header at or after {@code from}, or the segment's size when there is none. */
	private long nextHeader(SegmentWindow window, long sizeBytes, long from) throws IOException {
		for (long position = from; position + JournalFrame.HEADER_SIZE_BYTES <= sizeBytes; position++) {
			SegmentWindow.Slice slice = window.bytes(position, JournalFrame.HEADER_SIZE_BYTES);
			if (JournalFrame.startsWithMagic(slice.buffer(), slice.offset())
					&& JournalFrame.readHeader(slice.buffer(), slice.offset(), this.clusterId) != null) {
				return position;
			}
		}
		return sizeBytes;
	}

	/**
	 * Cuts the journal back to the end of its last intact frame, rounded up to the next sector
	 * boundary: the segments after it are deleted, the bytes of its segment between the frame and
	 * the boundary zeroed, the segment truncated at the boundary and synced. A segment that ends
	 * with the padding after its last intact frame is not torn and stays as it is.
	 */
	private void cutTornTail(List<Segment> segments, List<List<Record>> records) throws IOException {
		int tailSegment = -1;
		long tailEnd = 0;
		boolean torn = false;
		for (int index = segments.size() - 1; index >= 0 && tailSegment < 0; index--) {
			List<Record> segmentRecords = records.get(index);
			for (int position = segmentRecords.size() - 1; position >= 0; position--) {
				Record record = segmentRecords.get(position);
				if (record.intact()) {
					tailSegment = index;
					tailEnd = record.end();
					// Records after the last intact one are the torn tail; padding left no record.
					torn = position + 1 < segmentRecords.size();
					segmentRecords.subList(position + 1, segmentRecords.size()).clear();
					break;
				}
			}
		}
		boolean deleted = false;
		while (segments.size() > tailSegment + 1) {
			Segment last = segments.remove(segments.size() - 1);
			records.remove(records.size() - 1);
			if (last.sizeBytes > 0) {
				LOGGER.log(Level.WARNING, "Deleting journal segment " + last.path + ": it holds no intact record, only the "
						+ last.sizeBytes + " bytes of a write a crash interrupted");
			}
			Files.delete(last.path);
			deleted = true;
		}
		if (deleted) {
			this.disk.forceDirectory(this.directory);
		}
		if (tailSegment < 0) {
			return;
		}
		Segment tail = segments.get(tailSegment);
		long aligned = Journal.alignUp(tailEnd);
		if (torn) {
			LOGGER.log(Level.WARNING, "Cutting journal segment " + tail.path + " of " + tail.sizeBytes + " bytes back to "
					+ aligned + " bytes, zeroed from byte " + tailEnd + ": the bytes after its last intact record are a "
					+ "write a crash interrupted");
			zeroAndTruncate(tail, tailEnd, aligned);
		}
		else if (tail.sizeBytes < aligned) {
			// Not torn, but the padding is missing (lost in a crash, or never written): appends must
			// start on a fresh sector all the same.
			zeroAndTruncate(tail, tail.sizeBytes, aligned);
		}
	}

	/**
	 * Zeroes bytes {@code from} to {@code aligned} of {@code segment}, cuts it at {@code aligned}
	 * and syncs both at once. The bytes before the boundary are overwritten, not left: the next
	 * batch follows them, and torn bytes there would read as a corrupt stretch in the middle of the
	 * journal rather than as padding.
	 */
	private void zeroAndTruncate(Segment segment, long from, long aligned) throws IOException {
		try (FileChannel channel = FileChannel.open(segment.path, StandardOpenOption.WRITE)) {
			this.disk.write(channel, ByteBuffer.allocate((int) (aligned - from)), from);
			channel.truncate(aligned);
			this.disk.force(channel);
		}
		segment.sizeBytes = aligned;
	}

	private void replay(List<Segment> segments, List<List<Record>> records) {
		long lastOp = 0;
		Segment corruptSegment = null;
		for (int index = 0; index < segments.size(); index++) {
			Segment segment = segments.get(index);
			for (Record record : records.get(index)) {
				if (record.kind() == Record.CORRUPT) {
					corruptSegment = segment;
					continue;
				}
				Segment hiddenIn = (corruptSegment != null) ? corruptSegment : segment;
				if (!applyHiddenTruncation(record, hiddenIn) && corruptSegment != null) {
					inferFaulty(lastOp, record.op(), corruptSegment);
				}
				corruptSegment = null;
				apply(record, segment);
				lastOp = record.op();
			}
		}
	}

	/**
	 * Applies a truncation that {@code record} names but the replay has not seen, because its
	 * truncate record was corrupt. The entries written after it, up to the record, were in the same
	 * corrupt stretch: they are faulty.
	 * @return whether there was such a truncation
	 */
	private boolean applyHiddenTruncation(Record record, Segment hiddenIn) {
		long named = record.truncatedAfter();
		boolean hidden = this.truncatedAfter != UNKNOWN && named != this.truncatedAfter;
		if (hidden) {
			this.entries.tailMap(named, false).clear();
			this.faultyOps.tailSet(named, false).clear();
			// A visible truncate record keeps its own op, which the stretch may have rewritten too.
			markFaulty(named, record.op() + ((record.kind() == JournalFrame.KIND_TRUNCATE) ? 1 : 0), hiddenIn);
		}
		this.truncatedAfter = (record.kind() == JournalFrame.KIND_TRUNCATE) ? record.op() : named;
		return hidden;
	}

	/** A corrupt stretch lay between the frames of {@code lastOp} and {@code nextOp}: the ops between them are faulty. */
	private void inferFaulty(long lastOp, long nextOp, Segment corruptSegment) {
		markFaulty(lastOp, nextOp, corruptSegment);
	}

	/** Marks the ops after {@code after} and before {@code before} faulty; a corrupt stretch of {@code segment} hid them. */
	private void markFaulty(long after, long before, Segment segment) {
		long first = Math.max(Math.max(after, this.snapshotOp) + 1, before - INFERRED_FAULTY_OPS_MAX);
		for (long op = first; op < before; op++) {
			this.entries.remove(op);
			this.faultyOps.add(op);
		}
		// The stretch may hide entries up to before - 1: its segment must outlive them.
		segment.maxEntryOp = Math.max(segment.maxEntryOp, before - 1);
	}

	private void apply(Record record, Segment segment) {
		if (record.kind() == JournalFrame.KIND_TRUNCATE) {
			this.entries.tailMap(record.op(), false).clear();
			this.faultyOps.tailSet(record.op(), false).clear();
			return;
		}
		segment.maxEntryOp = Math.max(segment.maxEntryOp, record.op());
		// The newest frame for an op wins; if it is corrupt, an older copy must not stand in for it.
		if (record.entry() != null) {
			this.entries.put(record.op(), record.entry());
			this.faultyOps.remove(record.op());
		}
		else {
			this.entries.remove(record.op());
			if (!record.intact()) {
				this.faultyOps.add(record.op());
			}
		}
	}

	/**
	 * What the journal holds.
	 * @param segments the segment files, in write order, with their sizes after the torn tail was cut
	 * @param entries the intact entries after the snapshot's op, in op order
	 * @param faultyOps the ops after the snapshot's op whose newest entry is corrupt, ascending
	 * @param truncatedAfter the op of the journal's last truncation, which the next frames repeat
	 */
	record Result(List<Segment> segments, List<LogEntry> entries, List<Long> faultyOps, long truncatedAfter) {

		/** An empty journal. */
		static final Result EMPTY = new Result(List.of(), List.of(), List.of(), JournalFrame.NEVER_TRUNCATED);

	}

	/**
	 * One stretch of a segment: a frame ({@code kind} entry or truncate) or a corrupt stretch.
	 * @param kind {@link JournalFrame#KIND_ENTRY}, {@link JournalFrame#KIND_TRUNCATE} or {@link #CORRUPT}
	 * @param op the frame's op, -1 for a corrupt stretch
	 * @param truncatedAfter the last truncation the frame names
	 * @param intact whether header and payload are intact
	 * @param entry the decoded entry, only for an intact entry after the snapshot
	 * @param start where it starts in the segment
	 * @param end where it ends in the segment
	 */
	private record Record(byte kind, long op, long truncatedAfter, boolean intact, @Nullable LogEntry entry, long start,
			long end) {

		static final byte CORRUPT = 0;

	}

}
