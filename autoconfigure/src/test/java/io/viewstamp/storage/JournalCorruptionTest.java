package io.viewstamp.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.viewstamp.vsr.DurableState;
import io.viewstamp.vsr.LogEntry;

import static io.viewstamp.storage.TestLogs.chain;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bit flips in the journal: a corrupt entry in the middle is reported faulty, never returned, and
 * the entries around it come back.
 */
class JournalCorruptionTest {

	private static final int ENTRIES = 9;

	/** The op whose frame is damaged, in the middle of the journal. */
	private static final int DAMAGED_OP = 5;

	@TempDir
	Path directory;

	/** The regions of a frame, as offsets from the frame's start. */
	enum Region {

		MAGIC(JournalFrame.MAGIC_OFFSET), KIND(JournalFrame.KIND_OFFSET), RESERVED(JournalFrame.KIND_OFFSET + 2),
		OP(JournalFrame.OP_OFFSET + 3), TRUNCATED_AFTER(JournalFrame.TRUNCATED_AFTER_OFFSET + 7),
		LENGTH(JournalFrame.PAYLOAD_LENGTH_OFFSET),
		PAYLOAD_CRC(JournalFrame.PAYLOAD_CRC_OFFSET + 1), HEADER_CRC(JournalFrame.HEADER_CRC_OFFSET + 2),
		PAYLOAD_START(JournalFrame.HEADER_SIZE_BYTES), PAYLOAD_MIDDLE(JournalFrame.HEADER_SIZE_BYTES + 60),
		PAYLOAD_END(-1);

		final int offset;

		Region(int offset) {
			this.offset = offset;
		}

	}

	@ParameterizedTest
	@EnumSource(Region.class)
	void aFlippedBitInTheMiddleMakesThatOpFaultyAndKeepsTheOthers(Region region) throws IOException {
		List<LogEntry> entries = chain(ENTRIES, 80);
		TestLogs.writeAndClose(this.directory, FileStorageOptions.defaults(), entries);
		TestLogs.Frame frame = frame(DAMAGED_OP);
		long offset = (region.offset >= 0) ? frame.start() + region.offset : frame.end() - 1;
		flipBit(segment(), offset, 3);

		DurableState state = reopen();

		assertThat(state.faultyOps()).containsExactly((long) DAMAGED_OP);
		List<LogEntry> expected = new ArrayList<>(entries);
		expected.remove(DAMAGED_OP - 1);
		assertThat(state.journal()).containsExactlyElementsOf(expected);
	}

	@Test
	void aCorruptStretchOverSeveralFramesMakesEveryOpInItFaulty() throws IOException {
		List<LogEntry> entries = chain(ENTRIES, 80);
		TestLogs.writeAndClose(this.directory, FileStorageOptions.defaults(), entries);
		long from = frame(3).start() + 5;
		long to = frame(6).start() + 7;
		byte[] bytes = Files.readAllBytes(segment());
		for (long at = from; at < to; at++) {
			bytes[(int) at] = (byte) 0xA5;
		}
		Files.write(segment(), bytes);

		DurableState state = reopen();

		assertThat(state.faultyOps()).containsExactly(3L, 4L, 5L, 6L);
		assertThat(state.journal()).extracting(LogEntry::op).containsExactly(1L, 2L, 7L, 8L, 9L);
	}

	@Test
	void aFaultyOpRewrittenLaterIsIntactAgain() throws IOException {
		List<LogEntry> entries = chain(ENTRIES, 80);
		TestLogs.writeAndClose(this.directory, FileStorageOptions.defaults(), entries);
		flipBit(segment(), frame(DAMAGED_OP).start() + JournalFrame.HEADER_SIZE_BYTES + 10, 0);
		TestLogs.Recorder recorder = new TestLogs.Recorder();
		try (FileStorage storage = TestLogs.open(this.directory, recorder)) {
			assertThat(storage.durableState().orElseThrow().faultyOps()).containsExactly((long) DAMAGED_OP);
			// The repair from a peer writes the entry again.
			storage.writeEntry(entries.get(DAMAGED_OP - 1));
			recorder.awaitCount(1);
		}
		DurableState state = reopen();
		assertThat(state.faultyOps()).isEmpty();
		assertThat(state.journal()).containsExactlyElementsOf(entries);
	}

	@Test
	void aFlippedBitInTheLastEntryIsATornTailAndIsCutOff() throws IOException {
		List<LogEntry> entries = chain(ENTRIES, 80);
		TestLogs.writeAndClose(this.directory, FileStorageOptions.defaults(), entries);
		long lastStart = frame(ENTRIES).start();
		// Cut back to the end of the frame before, on the next sector boundary.
		long cutBack = Journal.alignUp(frame(ENTRIES - 1).end());
		flipBit(segment(), lastStart + JournalFrame.HEADER_SIZE_BYTES + 20, 1);

		DurableState state = reopen();

		assertThat(state.faultyOps()).isEmpty();
		assertThat(state.journal()).containsExactlyElementsOf(entries.subList(0, ENTRIES - 1));
		assertThat(Files.size(segment())).isEqualTo(cutBack);
	}

	@Test
	void aCommandBodyThatImitatesAFrameIsNotTakenForOne() throws IOException {
		// A body holding a frame of another cluster: its header checksum covers the cluster id.
		List<LogEntry> entries = chain(ENTRIES, 200);
		TestLogs.writeAndClose(this.directory, FileStorageOptions.defaults(), entries);
		byte[] journal = Files.readAllBytes(segment());
		long frameStart = frame(DAMAGED_OP).start();
		java.nio.ByteBuffer fake = java.nio.ByteBuffer.allocate(JournalFrame.HEADER_SIZE_BYTES);
		JournalFrame.writeHeader(fake, 0, TestLogs.CLUSTER_ID + 1, JournalFrame.KIND_TRUNCATE, 1,
				JournalFrame.NEVER_TRUNCATED, 0, 0);
		System.arraycopy(fake.array(), 0, journal, (int) frameStart + JournalFrame.HEADER_SIZE_BYTES + 100,
				JournalFrame.HEADER_SIZE_BYTES);
		journal[(int) frameStart] ^= 1;
		Files.write(segment(), journal);

		DurableState state = reopen();

		assertThat(state.faultyOps()).containsExactly((long) DAMAGED_OP);
		assertThat(state.journal()).hasSize(ENTRIES - 1);
	}

	@Test
	void aCorruptTruncateRecordStillDiscardsTheEntriesItTruncated() throws IOException {
		List<LogEntry> replacement = writeTruncatedJournal();
		long truncateRecord = frame(ENTRIES + 1).start();
		flipBit(segment(), truncateRecord + JournalFrame.OP_OFFSET, 0);

		DurableState state = reopen();

		// Without the truncation repeated in the next frame, the old ops 7..9 would come back.
		assertThat(state.faultyOps()).isEmpty();
		List<LogEntry> expected = new ArrayList<>(chainedOriginal().subList(0, 5));
		expected.addAll(replacement);
		assertThat(state.journal()).containsExactlyElementsOf(expected);
	}

	@Test
	void aCorruptStretchOverATruncateRecordAndTheEntryAfterItMakesThatEntryFaulty() throws IOException {
		List<LogEntry> replacement = writeTruncatedJournal();
		long truncateRecord = frame(ENTRIES + 1).start();
		// Through the header of the entry after it, wherever batching and sector padding put that entry.
		long stretchEnd = frame(ENTRIES + 2).start() + JournalFrame.HEADER_SIZE_BYTES + 10;
		byte[] bytes = Files.readAllBytes(segment());
		for (long at = truncateRecord; at < stretchEnd; at++) {
			bytes[(int) at] = 0;
		}
		Files.write(segment(), bytes);

		DurableState state = reopen();

		assertThat(state.faultyOps()).containsExactly(6L);
		List<LogEntry> expected = new ArrayList<>(chainedOriginal().subList(0, 5));
		expected.addAll(replacement.subList(1, 3));
		assertThat(state.journal()).containsExactlyElementsOf(expected);
	}

	/** Ops 1..9, then truncate after 5, then ops 6..8 of another history; returns those three. */
	private List<LogEntry> writeTruncatedJournal() {
		List<LogEntry> original = chainedOriginal();
		List<LogEntry> replacement = chain(6, original.get(4).checksum(), 3, 80, 9);
		FileStorage.format(this.directory, TestLogs.CLUSTER_ID, TestLogs.REPLICA, TestLogs.REPLICA_COUNT);
		TestLogs.Recorder recorder = new TestLogs.Recorder();
		try (FileStorage storage = TestLogs.open(this.directory, recorder)) {
			original.forEach(storage::writeEntry);
			storage.truncateAfter(5);
			replacement.forEach(storage::writeEntry);
			recorder.awaitCount(ENTRIES + 3);
		}
		return replacement;
	}

	/** The first ENTRIES entries; the truncate record is the frame after them. */
	private static List<LogEntry> chainedOriginal() {
		return chain(ENTRIES, 80);
	}

	private DurableState reopen() {
		try (FileStorage storage = TestLogs.open(this.directory, new TestLogs.Recorder())) {
			return storage.durableState().orElseThrow();
		}
	}

	private Path segment() {
		return this.directory.resolve("journal").resolve(Segment.fileName(1));
	}

	/** The {@code number}th frame of the segment, from 1, read before any damage. */
	private TestLogs.Frame frame(int number) throws IOException {
		return TestLogs.frames(segment()).get(number - 1);
	}

	static void flipBit(Path file, long offset, int bit) throws IOException {
		byte[] bytes = Files.readAllBytes(file);
		bytes[(int) offset] ^= (byte) (1 << bit);
		Files.write(file, bytes);
	}

}
