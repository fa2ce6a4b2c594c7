package io.viewstamp.sim.disk;

import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The open channels and the locks they hold, with a monitor of its own: closing a channel takes
 * the channel's close lock and then this, never the file system's monitor, so a crash (which holds
 * the file system's monitor and closes every channel) can not deadlock with a thread closing one.
 * Kept in insertion order, so a crash closes channels in the order they were opened.
 */
final class OpenFiles {

	/** The most channels open at once, as a process's limit on file descriptors; more is a leak. */
	static final int OPEN_CHANNELS_MAX = 4096;

	private final Set<SimFileChannel> channels = new LinkedHashSet<>();

	private final List<SimFileLock> locks = new ArrayList<>();

	/**
	 * Checks that one more channel may be opened, before anything is created for it.
	 * @throws FileSystemException when {@link #OPEN_CHANNELS_MAX} are open, as {@code EMFILE} would
	 */
	synchronized void checkRoom(SimPath path) throws FileSystemException {
		if (this.channels.size() >= OPEN_CHANNELS_MAX) {
			throw new FileSystemException(path.toString(), null,
					"Too many open files: " + OPEN_CHANNELS_MAX + " channels are open; close the ones no longer used");
		}
	}

	synchronized void opened(SimFileChannel channel) {
		this.channels.add(channel);
	}

	/** Forgets {@code channel} and releases its locks, as closing a file descriptor does. */
	synchronized void closed(SimFileChannel channel) {
		this.channels.remove(channel);
		this.locks.removeIf((lock) -> {
			boolean held = lock.acquiredBy() == channel;
			if (held) {
				lock.invalidate();
			}
			return held;
		});
	}

	/**
	 * Locks a region of {@code inode} for {@code channel}.
	 * @throws OverlappingFileLockException when a lock held through any channel overlaps it, as a
	 * real {@link java.nio.channels.FileChannel} refuses locks within one JVM
	 */
	synchronized SimFileLock lock(SimFileChannel channel, Inode inode, long position, long size, boolean shared) {
		for (SimFileLock lock : this.locks) {
			if (lock.inode() == inode && lock.overlaps(position, size)) {
				throw new OverlappingFileLockException();
			}
		}
		SimFileLock lock = new SimFileLock(channel, inode, position, size, shared, this);
		this.locks.add(lock);
		return lock;
	}

	synchronized void release(SimFileLock lock) {
		this.locks.remove(lock);
		lock.invalidate();
	}

	/** The channels open now, in the order they were opened. */
	synchronized List<SimFileChannel> channels() {
		return new ArrayList<>(this.channels);
	}

}
