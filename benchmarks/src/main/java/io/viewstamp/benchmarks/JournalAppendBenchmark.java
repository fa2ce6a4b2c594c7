package io.viewstamp.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.BenchmarkParams;

import io.viewstamp.storage.FileStorage;
import io.viewstamp.storage.FileStorageOptions;
import io.viewstamp.storage.StorageCompletions;
import io.viewstamp.storage.StorageStatistics;
import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.Operation;
import io.viewstamp.vsr.Request;
import io.viewstamp.vsr.Superblock;

/**
 * Durable journal appends: each benchmark operation writes one entry through {@link FileStorage}
 * and waits until its completion says it is on the disk, as a replica waits before it acknowledges
 * a prepare. With one appender every entry pays a whole fsync; with many, entries queued while
 * the disk is busy share the next fsync (group commit). The score is durable entries per second;
 * each iteration also prints the fsyncs per second, MB/s and entries per fsync it saw.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JournalAppendBenchmark {

	private static final long CLUSTER_ID = 1;

	/** A frame header, the entry header and one request header: what an entry adds to its body. */
	private static final int ENTRY_OVERHEAD_BYTES = 40 + 45 + 29;

	/** The size of one journal frame on the disk, header and entry together. */
	@Param({ "128", "1024" })
	public int entrySizeBytes;

	private Path directory;

	private FileStorage storage;

	private List<Request> requests;

	/** Makes the op order and the request order one, so completions arrive in op order. */
	private final Object appendOrder = new Object();

	private long nextOp = 1;

	private final Object durability = new Object();

	private volatile long durableOp;

	private StorageStatistics iterationStart;

	private long iterationStartNanos;

	@Setup(Level.Trial)
	public void open() throws IOException {
		this.directory = BenchmarkDirectories.create("journal-");
		FileStorage.format(this.directory, CLUSTER_ID, 0, 1);
		byte[] body = new byte[this.entrySizeBytes - ENTRY_OVERHEAD_BYTES];
		this.requests = List.of(new Request(7, 1, 1, Operation.COMMAND, body));
		this.storage = FileStorage.open(this.directory, CLUSTER_ID, 0, 1, FileStorageOptions.defaults(), new Completions(),
				(completions) -> {
					completions.run();
					synchronized (this.durability) {
						this.durability.notifyAll();
					}
				});
	}

	@TearDown(Level.Trial)
	public void close() throws IOException {
		this.storage.close();
		BenchmarkDirectories.delete(this.directory);
	}

	@Setup(Level.Iteration)
	public void startIteration() {
		this.iterationStart = this.storage.statistics();
		this.iterationStartNanos = System.nanoTime();
	}

	@TearDown(Level.Iteration)
	public void reportIteration(BenchmarkParams params) {
		double seconds = (System.nanoTime() - this.iterationStartNanos) / 1e9;
		StorageStatistics end = this.storage.statistics();
		long entries = end.entriesWritten() - this.iterationStart.entriesWritten();
		long fsyncs = end.fsyncs() - this.iterationStart.fsyncs();
		long bytes = end.bytesWritten() - this.iterationStart.bytesWritten();
		System.out.printf("%n[journal] %d appenders, %d B entries: %.0f entries/s, %.0f fsyncs/s, %.2f MB/s, "
				+ "%.1f entries per fsync%n", params.getThreads(), this.entrySizeBytes, entries / seconds, fsyncs / seconds,
				bytes / seconds / 1e6, (fsyncs == 0) ? 0.0 : (double) entries / fsyncs);
	}

	@Benchmark
	@Threads(1)
	public void oneAppender() throws InterruptedException {
		appendAndAwaitDurable();
	}

	@Benchmark
	@Threads(8)
	public void eightAppenders() throws InterruptedException {
		appendAndAwaitDurable();
	}

	@Benchmark
	@Threads(64)
	public void sixtyFourAppenders() throws InterruptedException {
		appendAndAwaitDurable();
	}

	private void appendAndAwaitDurable() throws InterruptedException {
		long op;
		synchronized (this.appendOrder) {
			op = this.nextOp++;
			// The checksum is not recomputed: the journal stores entries, the replica checks them.
			this.storage.writeEntry(new LogEntry(1, op, op, 0, op, this.requests));
		}
		if (this.durableOp >= op) {
			return;
		}
		synchronized (this.durability) {
			while (this.durableOp < op) {
				this.durability.wait();
			}
		}
	}

	private final class Completions implements StorageCompletions {

		@Override
		public void onEntryWritten(long op, long checksum) {
			JournalAppendBenchmark.this.durableOp = op;
		}

		@Override
		public void onSuperblockWritten(Superblock superblock) {
		}

		@Override
		public void onSnapshotWritten(long op) {
		}

		@Override
		public void onStorageFailed(Exception cause) {
			throw new IllegalStateException("The journal failed during the benchmark", cause);
		}

	}

}
