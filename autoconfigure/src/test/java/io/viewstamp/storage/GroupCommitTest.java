package io.viewstamp.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.viewstamp.vsr.Checksums;
import io.viewstamp.vsr.LogEntry;

import static io.viewstamp.storage.TestLogs.CLUSTER_ID;
import static io.viewstamp.storage.TestLogs.REPLICA;
import static io.viewstamp.storage.TestLogs.REPLICA_COUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The I/O thread: one fsync covers everything queued, completions come in request order and only
 * after the sync, the queue is bounded, and close finishes what was asked.
 */
class GroupCommitTest {

	private static final int APPENDERS = 8;

	private static final int ENTRIES_PER_APPENDER = 250;

	@TempDir
	Path directory;

	private final TestLogs.Recorder recorder = new TestLogs.Recorder();

	/** Holds the I/O thread in its first hand-over of completions, as a busy event loop would. */
	private final CountDownLatch eventLoopBusy = new CountDownLatch(1);

	private final CountDownLatch handOverStarted = new CountDownLatch(1);

	private final Consumer<Runnable> slowEventLoop = (completions) -> {
		this.handOverStarted.countDown();
		try {
			if (!this.eventLoopBusy.await(TestLogs.WAIT_MAX.toSeconds(), TimeUnit.SECONDS)) {
				throw new IllegalStateException("the test never released the event loop");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		completions.run();
	};

	@Test
	void concurrentAppendsShareFsyncsAndCompleteInTheOrderTheyWereMade() throws InterruptedException {
		FileStorage.format(this.directory, CLUSTER_ID, REPLICA, REPLICA_COUNT);
		List<String> made = new ArrayList<>();
		int total = APPENDERS * ENTRIES_PER_APPENDER;
		try (FileStorage storage = open(FileStorageOptions.defaults())) {
			List<Thread> appenders = new ArrayList<>();
			for (int appender = 0; appender < APPENDERS; appender++) {
				List<LogEntry> entries = TestLogs.chain(1 + (long) appender * ENTRIES_PER_APPENDER, Checksums.root(CLUSTER_ID),
						ENTRIES_PER_APPENDER, 64, appender);
				Thread thread = new Thread(() -> {
					for (LogEntry entry : entries) {
						// Records the order requests were made in, which is the order they must complete in.
						synchronized (made) {
							made.add("entry " + entry.op());
							storage.writeEntry(entry);
						}
					}
				});
				appenders.add(thread);
				thread.start();
			}
			for (Thread thread : appenders) {
				thread.join(TestLogs.WAIT_MAX.toMillis());
			}
			this.eventLoopBusy.countDown();
			this.recorder.awaitCount(total);
			assertThat(this.recorder.events).containsExactlyElementsOf(made);
			StorageStatistics statistics = storage.statistics();
			assertThat(statistics.entriesWritten()).isEqualTo(total);
			assertThat(statistics.fsyncs()).isLessThan(total);
			assertThat(statistics.writeBatches()).isLessThanOrEqualTo(2);
			assertThat(statistics.bytesWritten()).isGreaterThan(total * 64L);
		}
	}

	@Test
	void requestsOfEveryKindCompleteInTheOrderTheyWereMade() {
		FileStorage.format(this.directory, CLUSTER_ID, REPLICA, REPLICA_COUNT);
		List<LogEntry> entries = TestLogs.chain(4, 16);
		try (FileStorage storage = TestLogs.open(this.directory, this.recorder)) {
			storage.writeEntry(entries.get(0));
			storage.writeSuperblock(TestLogs.superblock(1, 0));
			storage.writeEntry(entries.get(1));
			storage.writeSnapshot(TestLogs.snapshot(entries.get(1), 10));
			storage.truncateAfter(2);
			storage.writeSuperblock(TestLogs.superblock(2, 2));
			storage.writeSuperblock(TestLogs.superblock(3, 2));
			storage.writeEntry(entries.get(2));
			this.recorder.awaitCount(7);
		}
		assertThat(this.recorder.events).containsExactly("entry 1", "superblock 1", "entry 2", "snapshot 2",
				"superblock 2", "superblock 3", "entry 3");
		try (FileStorage storage = TestLogs.open(this.directory, new TestLogs.Recorder())) {
			assertThat(storage.durableState().orElseThrow().superblock()).isEqualTo(TestLogs.superblock(3, 2));
			assertThat(storage.durableState().orElseThrow().journal()).containsExactly(entries.get(2));
		}
	}

	@Test
	void aFullQueueRefusesTheRequestInsteadOfBlocking() throws InterruptedException {
		FileStorage.format(this.directory, CLUSTER_ID, REPLICA, REPLICA_COUNT);
		List<LogEntry> entries = TestLogs.chain(6, 16);
		try (FileStorage storage = open(FileStorageOptions.defaults().withQueuedRequestsMax(4))) {
			storage.writeEntry(entries.get(0));
			assertThat(this.handOverStarted.await(TestLogs.WAIT_MAX.toSeconds(), TimeUnit.SECONDS)).isTrue();
			for (LogEntry entry : entries.subList(1, 5)) {
				storage.writeEntry(entry);
			}
			assertThatIllegalStateException().isThrownBy(() -> storage.writeEntry(entries.get(5)))
				.withMessageContaining("4 requests waiting for the disk")
				.withMessageContaining("queuedRequestsMax");
			this.eventLoopBusy.countDown();
			this.recorder.awaitCount(5);
		}
		assertThat(this.recorder.events).containsExactly("entry 1", "entry 2", "entry 3", "entry 4", "entry 5");
	}

	@Test
	void closeFinishesWhatWasQueuedThenRefusesRequestsAndStopsItsThread() {
		FileStorage.format(this.directory, CLUSTER_ID, REPLICA, REPLICA_COUNT);
		List<LogEntry> entries = TestLogs.chain(100, 16);
		FileStorage storage = TestLogs.open(this.directory, this.recorder);
		entries.forEach(storage::writeEntry);
		storage.close();
		assertThat(this.recorder.events).hasSize(100);
		assertThatIllegalStateException().isThrownBy(() -> storage.writeEntry(entries.get(0)))
			.withMessageContaining("is closed");
		await().atMost(TestLogs.WAIT_MAX).until(() -> Thread.getAllStackTraces()
			.keySet()
			.stream()
			.noneMatch((thread) -> thread.getName().equals("viewstamp-storage-" + REPLICA)));
		storage.close();
	}

	@Test
	void closeCalledFromACompletionStopsTheThreadWithoutWaitingForItself() {
		FileStorage.format(this.directory, CLUSTER_ID, REPLICA, REPLICA_COUNT);
		java.util.concurrent.atomic.AtomicReference<FileStorage> opened = new java.util.concurrent.atomic.AtomicReference<>();
		TestLogs.Recorder closingRecorder = new TestLogs.Recorder() {

			@Override
			public void onEntryWritten(long op, long checksum) {
				super.onEntryWritten(op, checksum);
				opened.get().close();
			}

		};
		FileStorage storage = FileStorage.open(this.directory, CLUSTER_ID, REPLICA, REPLICA_COUNT,
				FileStorageOptions.defaults(), closingRecorder, Runnable::run);
		opened.set(storage);
		storage.writeEntry(TestLogs.chain(1, 16).get(0));
		closingRecorder.awaitCount(1);
		await().atMost(TestLogs.WAIT_MAX).until(() -> Thread.getAllStackTraces()
			.keySet()
			.stream()
			.noneMatch((thread) -> thread.getName().equals("viewstamp-storage-" + REPLICA)));
		assertThatIllegalStateException().isThrownBy(() -> storage.truncateAfter(0)).withMessageContaining("is closed");
	}

	@Test
	void aFailedWriteStopsTheStorageAndIsReported() throws Exception {
		FileStorage.format(this.directory, CLUSTER_ID, REPLICA, REPLICA_COUNT);
		List<LogEntry> entries = TestLogs.chain(2, 16);
		try (FileStorage storage = TestLogs.open(this.directory, this.recorder)) {
			// The journal directory vanishes under the storage: creating its first segment fails.
			Files.delete(this.directory.resolve("journal"));
			storage.writeEntry(entries.get(0));
			await().atMost(TestLogs.WAIT_MAX).until(() -> this.recorder.failure != null);
			assertThat(this.recorder.events).isEmpty();
			assertThatIllegalStateException().isThrownBy(() -> storage.writeEntry(entries.get(1)))
				.withMessageContaining("has failed")
				.withCause(this.recorder.failure);
		}
	}

	private FileStorage open(FileStorageOptions options) {
		return FileStorage.open(this.directory, CLUSTER_ID, REPLICA, REPLICA_COUNT, options, this.recorder,
				this.slowEventLoop);
	}

}
