package io.viewstamp.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.viewstamp.vsr.DurableState;
import io.viewstamp.vsr.LogEntry;

import static io.viewstamp.storage.TestLogs.chain;
import static org.assertj.core.api.Assertions.assertThat;

/** The journal on real files: entries come back after a restart, with supersession and truncation. */
class JournalTest {

	@TempDir
	Path directory;

	@Test
	void entriesWrittenComeBackAfterReopenAcrossManySegments() throws IOException {
		List<LogEntry> entries = chain(300, 100);
		FileStorageOptions smallSegments = FileStorageOptions.defaults().withSegmentSizeBytes(4096);
		TestLogs.writeAndClose(this.directory, smallSegments, entries);
		assertThat(segments()).hasSizeGreaterThan(5);
		DurableState state = reopen(smallSegments);
		assertThat(state.journal()).containsExactlyElementsOf(entries);
		assertThat(state.faultyOps()).isEmpty();
		assertThat(state.snapshot()).isNull();
		assertThat(state.superblock()).isEqualTo(TestLogs.superblock(0, 0));
	}

	@Test
	void appendsAfterReopenContinueTheJournal() throws IOException {
		List<LogEntry> entries = chain(20, 10);
		TestLogs.writeAndClose(this.directory, FileStorageOptions.defaults(), entries.subList(0, 10));
		TestLogs.Recorder recorder = new TestLogs.Recorder();
		try (FileStorage storage = TestLogs.open(this.directory, recorder)) {
			entries.subList(10, 20).forEach(storage::writeEntry);
			recorder.awaitCount(10);
			assertThat(storage.statistics().journalFirstOp()).isEqualTo(1);
			assertThat(storage.statistics().journalLastOp()).isEqualTo(20);
		}
		assertThat(reopen(FileStorageOptions.defaults()).journal()).containsExactlyElementsOf(entries);
	}

	@Test
	void truncateAfterThenNewEntriesReplaceTheOldSuffix() throws IOException {
		List<LogEntry> original = chain(10, 10);
		List<LogEntry> replacement = chain(6, original.get(4).checksum(), 3, 10, 7);
		FileStorage.format(this.directory, TestLogs.CLUSTER_ID, TestLogs.REPLICA, TestLogs.REPLICA_COUNT);
		TestLogs.Recorder recorder = new TestLogs.Recorder();
		try (FileStorage storage = TestLogs.open(this.directory, recorder)) {
			original.forEach(storage::writeEntry);
			storage.truncateAfter(5);
			replacement.forEach(storage::writeEntry);
			recorder.awaitCount(13);
			assertThat(storage.statistics().journalLastOp()).isEqualTo(8);
		}
		List<LogEntry> expected = new ArrayList<>(original.subList(0, 5));
		expected.addAll(replacement);
		assertThat(reopen(FileStorageOptions.defaults()).journal()).containsExactlyElementsOf(expected);
	}

	@Test
	void truncateAfterIsDurableOnItsOwn() throws IOException {
		TestLogs.writeAndClose(this.directory, FileStorageOptions.defaults(), chain(10, 10));
		TestLogs.Recorder recorder = new TestLogs.Recorder();
		try (FileStorage storage = TestLogs.open(this.directory, recorder)) {
			storage.truncateAfter(3);
		}
		assertThat(reopen(FileStorageOptions.defaults()).journal()).containsExactlyElementsOf(chain(3, 10));
	}

	@Test
	void tornTailAtEveryOffsetOfTheLastEntryLeavesTheValidPrefix() throws IOException {
		List<LogEntry> entries = chain(5, 40);
		TestLogs.writeAndClose(this.directory, FileStorageOptions.defaults(), entries);
		Path segment = segments().get(0);
		byte[] whole = Files.readAllBytes(segment);
		List<TestLogs.Frame> frames = TestLogs.frames(segment);
		TestLogs.Frame lastFrame = frames.get(4);
		// Cut back to the end of the frame before, on the next sector boundary.
		long cutBack = Journal.alignUp(frames.get(3).end());
		for (int cut = (int) lastFrame.start(); cut < lastFrame.end(); cut++) {
			Files.write(segment, java.util.Arrays.copyOf(whole, cut));
			DurableState state = reopen(FileStorageOptions.defaults());
			assertThat(state.journal()).as("cut at %d", cut).containsExactlyElementsOf(entries.subList(0, 4));
			assertThat(state.faultyOps()).as("cut at %d", cut).isEmpty();
			assertThat(Files.size(segment)).as("cut at %d", cut).isEqualTo(cutBack);
		}
	}

	@Test
	void tornTailOfGarbageIsCutBackAndTheJournalGoesOn() throws IOException {
		List<LogEntry> entries = chain(6, 40);
		TestLogs.writeAndClose(this.directory, FileStorageOptions.defaults(), entries.subList(0, 5));
		Path segment = segments().get(0);
		long intactSize = Files.size(segment);
		// A crash after the file grew but before its data reached the disk leaves zeros.
		Files.write(segment, new byte[700], java.nio.file.StandardOpenOption.APPEND);
		TestLogs.Recorder recorder = new TestLogs.Recorder();
		try (FileStorage storage = TestLogs.open(this.directory, recorder)) {
			assertThat(Files.size(segment)).isEqualTo(intactSize);
			storage.writeEntry(entries.get(5));
			recorder.awaitCount(1);
		}
		assertThat(reopen(FileStorageOptions.defaults()).journal()).containsExactlyElementsOf(entries);
	}

	@Test
	void aTornTailThatSpansSegmentsIsCutInBoth() throws IOException {
		List<LogEntry> entries = chain(40, 100);
		FileStorageOptions smallSegments = FileStorageOptions.defaults().withSegmentSizeBytes(4096);
		TestLogs.writeAndClose(this.directory, smallSegments, entries);
		List<Path> segments = segments();
		Path last = segments.get(segments.size() - 1);
		Path beforeLast = segments.get(segments.size() - 2);
		int lastEntries = TestLogs.frames(last).size();
		// The last segment is all garbage and the one before it lost its last frame's payload.
		Files.write(last, new byte[(int) Files.size(last)]);
		byte[] before = Files.readAllBytes(beforeLast);
		List<TestLogs.Frame> beforeFrames = TestLogs.frames(beforeLast);
		long beforeLastEnd = beforeFrames.get(beforeFrames.size() - 1).end();
		Files.write(beforeLast, java.util.Arrays.copyOf(before, (int) beforeLastEnd - 10));
		DurableState state = reopen(smallSegments);
		int survivors = entries.size() - lastEntries - 1;
		assertThat(state.journal()).containsExactlyElementsOf(entries.subList(0, survivors));
		assertThat(state.faultyOps()).isEmpty();
		assertThat(segments()).hasSize(segments.size() - 1);
	}

	private DurableState reopen(FileStorageOptions options) {
		try (FileStorage storage = TestLogs.open(this.directory, options, new TestLogs.Recorder())) {
			return storage.durableState().orElseThrow();
		}
	}

	private List<Path> segments() throws IOException {
		try (Stream<Path> files = Files.list(this.directory.resolve("journal"))) {
			return files.sorted().toList();
		}
	}

}
