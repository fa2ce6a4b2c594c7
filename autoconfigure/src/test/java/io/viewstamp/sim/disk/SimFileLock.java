package io.viewstamp.sim.disk;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileLock;

/**
 * A lock on a region of a simulated file, valid until released, until its channel is closed, or
 * until a crash, which closes every channel.
 */
final class SimFileLock extends FileLock {

	private final Inode inode;

	private final OpenFiles openFiles;

	private volatile boolean valid = true;

	SimFileLock(SimFileChannel channel, Inode inode, long position, long size, boolean shared, OpenFiles openFiles) {
		super(channel, position, size, shared);
		this.inode = inode;
		this.openFiles = openFiles;
	}

	Inode inode() {
		return this.inode;
	}

	@Override
	public boolean isValid() {
		return this.valid;
	}

	/**
	 * Releases the lock, as the JDK's does.
	 * @throws ClosedChannelException when its channel is closed, even if the lock went with it
	 */
	@Override
	public void release() throws IOException {
		if (!acquiredBy().isOpen()) {
			throw new ClosedChannelException();
		}
		if (this.valid) {
			this.openFiles.release(this);
		}
	}

	void invalidate() {
		this.valid = false;
	}

}
