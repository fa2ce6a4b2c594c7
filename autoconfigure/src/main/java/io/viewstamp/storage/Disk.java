package io.viewstamp.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every write and {@code fsync} of the storage goes through here: writes are completed (a channel
 * may write less than asked), syncs are done one way everywhere, and both are counted for the
 * statistics.
 */
class Disk {

	private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");

	private final AtomicLong syncs = new AtomicLong();

	private final AtomicLong bytesWritten = new AtomicLong();

	/** Writes all of {@code buffer}'s remaining bytes at {@code position} of the file. */
	void write(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
		long at = position;
		while (buffer.hasRemaining()) {
			at += channel.write(buffer, at);
		}
		this.bytesWritten.addAndGet(at - position);
	}

	/** Writes all of the buffers' remaining bytes at {@code position} of the file, in order. */
	void write(FileChannel channel, ByteBuffer[] buffers, long position) throws IOException {
		long at = position;
		for (ByteBuffer buffer : buffers) {
			while (buffer.hasRemaining()) {
				at += channel.write(buffer, at);
			}
		}
		this.bytesWritten.addAndGet(at - position);
	}

	/**
	 * Forces a file's data to the disk. {@code force(false)} is {@code fdatasync}: it also writes
	 * the metadata needed to read the data back, such as a grown file size, and skips timestamps.
	 */
	void force(FileChannel channel) throws IOException {
		channel.force(false);
		this.syncs.incrementAndGet();
	}

	/**
	 * Forces a directory's entries to the disk, so that files created, renamed or deleted in it
	 * stay so after a power loss. Windows can not open a directory as a channel; NTFS journals
	 * its directory changes, so there is nothing to do there.
	 */
	void forceDirectory(Path directory) throws IOException {
		if (WINDOWS) {
			return;
		}
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
		this.syncs.incrementAndGet();
	}

	long syncs() {
		return this.syncs.get();
	}

	long bytesWritten() {
		return this.bytesWritten.get();
	}

}
