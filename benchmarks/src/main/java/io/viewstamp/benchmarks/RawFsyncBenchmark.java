package io.viewstamp.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The disk's raw fsync rate, the ceiling of any durable append that waits for its own sync: append
 * 4 KiB to a plain file and {@code force} it, in a loop (the file wraps back to its start at
 * {@link #FILE_SIZE_BYTES_MAX}). The score is fsyncs per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RawFsyncBenchmark {

	static final int BLOCK_SIZE_BYTES = 4096;

	static final long FILE_SIZE_BYTES_MAX = 64L << 20;

	private Path directory;

	private FileChannel channel;

	private final ByteBuffer block = ByteBuffer.allocateDirect(BLOCK_SIZE_BYTES);

	private long position;

	@Setup(Level.Trial)
	public void open() throws IOException {
		this.directory = BenchmarkDirectories.create("fsync-");
		this.channel = FileChannel.open(this.directory.resolve("raw.dat"), StandardOpenOption.CREATE_NEW,
				StandardOpenOption.WRITE);
		while (this.block.hasRemaining()) {
			this.block.put((byte) 0x5A);
		}
	}

	@TearDown(Level.Trial)
	public void close() throws IOException {
		this.channel.close();
		BenchmarkDirectories.delete(this.directory);
	}

	@Benchmark
	@Threads(1)
	public void write4KiBAndForce() throws IOException {
		this.block.clear();
		while (this.block.hasRemaining()) {
			this.position += this.channel.write(this.block, this.position);
		}
		this.channel.force(false);
		if (this.position >= FILE_SIZE_BYTES_MAX) {
			this.position = 0;
		}
	}

}
