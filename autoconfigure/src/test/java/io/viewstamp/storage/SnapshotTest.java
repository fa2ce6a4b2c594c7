package io.viewstamp.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.viewstamp.vsr.DurableState;
import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.Snapshot;

import static io.viewstamp.storage.TestLogs.chain;
import static org.assertj.core.api.Assertions.assertThat;

/** Snapshots on real files: atomic, newest intact one wins, and they bound the journal. */
class SnapshotTest {

	private static final FileStorageOptions SMALL_SEGMENTS = FileStorageOptions.defaults().withSegmentSizeBytes(4096);

	@TempDir
	Path directory;

	private final List<LogEntry> entries = chain(200, 100);

	@Test
	void aSnapshotComesBackWithOnlyTheEntriesAfterIt() {
		Snapshot snapshot = TestLogs.snapshot(this.entries.get(119), 5000);
		writeWithSnapshots(snapshot);
		DurableState state = reopen();
		assertThat(state.snapshot()).isEqualTo(snapshot);
		assertThat(state.journal()).containsExactlyElementsOf(this.entries.subList(120, 200));
	}

	@Test
	void segmentsWhollyCoveredByTheSnapshotAreDeleted() throws IOException {
		FileStorage.format(this.directory, TestLogs.CLUSTER_ID, TestLogs.REPLICA, TestLogs.REPLICA_COUNT);
		TestLogs.Recorder recorder = new TestLogs.Recorder();
		try (FileStorage storage = TestLogs.open(this.directory, SMALL_SEGMENTS, recorder)) {
			this.entries.forEach(storage::writeEntry);
			recorder.awaitCount(200);
			int segmentsBefore = files("journal").size();
			assertThat(storage.statistics().journalSizeBytes()).isEqualTo(bytesOf(files("journal")));
			storage.writeSnapshot(TestLogs.snapshot(this.entries.get(149), 100));
			recorder.awaitCount(201);
			assertThat(recorder.events).last().isEqualTo("snapshot 150");
			int segmentsAfter = files("journal").size();
			assertThat(segmentsAfter).isLessThan(segmentsBefore).isGreaterThan(1);
			// What monitoring shows is what the disk holds: less, once compacted.
			assertThat(storage.statistics().journalSizeBytes()).isEqualTo(bytesOf(files("journal")));
			assertThat(storage.statistics().lastSnapshotOp()).isEqualTo(150);
			assertThat(storage.statistics().journalFirstOp()).isEqualTo(151);
			assertThat(storage.statistics().journalLastOp()).isEqualTo(200);
			// A snapshot covering everything takes the last segment too; the journal goes on after it.
			storage.writeSnapshot(TestLogs.snapshot(this.entries.get(199), 100));
			recorder.awaitCount(202);
			assertThat(files("journal")).isEmpty();
			LogEntry next = chain(201, this.entries.get(199).checksum(), 1, 100, 0).get(0);
			storage.writeEntry(next);
			recorder.awaitCount(203);
			assertThat(files("journal")).hasSize(1);
		}
		DurableState state = reopen();
		assertThat(state.snapshot().op()).isEqualTo(200);
		assertThat(state.journal()).extracting(LogEntry::op).containsExactly(201L);
	}

	@Test
	void theNewestAndThePreviousSnapshotAreKeptAndOlderOnesDeleted() throws IOException {
		writeWithSnapshots(TestLogs.snapshot(this.entries.get(49), 10), TestLogs.snapshot(this.entries.get(99), 10),
				TestLogs.snapshot(this.entries.get(149), 10));
		assertThat(files("snapshots")).extracting((path) -> path.getFileName().toString())
			.containsExactly(SnapshotStore.fileName(100), SnapshotStore.fileName(150));
	}

	@Test
	void aCorruptNewestSnapshotFallsBackToThePreviousOne() throws IOException {
		Snapshot previous = TestLogs.snapshot(this.entries.get(99), 3000);
		writeWithSnapshots(previous, TestLogs.snapshot(this.entries.get(149), 3000));
		Path newest = this.directory.resolve("snapshots").resolve(SnapshotStore.fileName(150));
		JournalCorruptionTest.flipBit(newest, 1500, 4);
		DurableState state = reopen();
		assertThat(state.snapshot()).isEqualTo(previous);
		assertThat(newest).doesNotExist();
		// Entries up to 150 went with their segments; the replica repairs what is missing from its peers.
		assertThat(state.journal()).isNotEmpty().allSatisfy((entry) -> assertThat(entry.op()).isGreaterThan(100));
		assertThat(state.journal()).endsWith(this.entries.get(199));
	}

	@Test
	void aDeletedNewestSnapshotFallsBackToThePreviousOne() throws IOException {
		Snapshot previous = TestLogs.snapshot(this.entries.get(99), 300);
		writeWithSnapshots(previous, TestLogs.snapshot(this.entries.get(149), 300));
		Files.delete(this.directory.resolve("snapshots").resolve(SnapshotStore.fileName(150)));
		assertThat(reopen().snapshot()).isEqualTo(previous);
	}

	@Test
	void aCrashBeforeTheRenameLeavesATemporaryFileThatIsIgnoredAndDeleted() throws IOException {
		Snapshot previous = TestLogs.snapshot(this.entries.get(99), 300);
		writeWithSnapshots(previous);
		// The crash came while snapshot 150 was being written: only its temporary file exists.
		Path temporary = this.directory.resolve("snapshots")
			.resolve(SnapshotStore.PREFIX + DataDirectory.digits(150) + SnapshotStore.TEMPORARY_SUFFIX);
		Files.write(temporary, SnapshotFormat.encodeToArray(TestLogs.snapshot(this.entries.get(149), 300)));
		DurableState state = reopen();
		assertThat(state.snapshot()).isEqualTo(previous);
		assertThat(temporary).doesNotExist();
		assertThat(state.journal()).containsExactlyElementsOf(this.entries.subList(100, 200));
	}

	@Test
	void anOlderSnapshotThanTheNewestIsNotWrittenButCompletes() throws IOException {
		writeWithSnapshots(TestLogs.snapshot(this.entries.get(149), 10), TestLogs.snapshot(this.entries.get(99), 10));
		assertThat(files("snapshots")).hasSize(1);
		assertThat(reopen().snapshot().op()).isEqualTo(150);
	}

	private void writeWithSnapshots(Snapshot... snapshots) {
		FileStorage.format(this.directory, TestLogs.CLUSTER_ID, TestLogs.REPLICA, TestLogs.REPLICA_COUNT);
		TestLogs.Recorder recorder = new TestLogs.Recorder();
		try (FileStorage storage = TestLogs.open(this.directory, SMALL_SEGMENTS, recorder)) {
			this.entries.forEach(storage::writeEntry);
			for (Snapshot snapshot : snapshots) {
				storage.writeSnapshot(snapshot);
			}
			recorder.awaitCount(this.entries.size() + snapshots.length);
		}
	}

	private DurableState reopen() {
		try (FileStorage storage = TestLogs.open(this.directory, SMALL_SEGMENTS, new TestLogs.Recorder())) {
			return storage.durableState().orElseThrow();
		}
	}

	private static long bytesOf(List<Path> files) throws IOException {
		long bytes = 0;
		for (Path file : files) {
			bytes += Files.size(file);
		}
		return bytes;
	}

	private List<Path> files(String subdirectory) throws IOException {
		try (Stream<Path> files = Files.list(this.directory.resolve(subdirectory))) {
			return files.sorted().toList();
		}
	}

}
