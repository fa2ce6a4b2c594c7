package io.viewstamp.sim.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileSystemException;

/**
 * A channel on one inode of a {@link SimFileSystem}, opened by {@code FileChannel.open}. On a
 * file it reads and writes the current content and {@link #force} makes it durable; on a
 * directory (opened for reading only) it can do nothing but {@link #force}, which makes the
 * directory's entries durable, as {@code fsync} of a directory descriptor does. Every operation
 * holds the file system's monitor; closing does not (see {@link OpenFiles}).
 */
final class SimFileChannel extends FileChannel {

	private final SimFileSystem fileSystem;

	private final SimPath path;

	private final Inode inode;

	private final boolean readable;

	private final boolean writable;

	private final boolean append;

	private long position;

	SimFileChannel(SimFileSystem fileSystem, SimPath path, Inode inode, boolean readable, boolean writable,
			boolean append) {
		this.fileSystem = fileSystem;
		this.path = path;
		this.inode = inode;
		this.readable = readable;
		this.writable = writable;
		this.append = append;
	}

	@Override
	public int read(ByteBuffer target) throws IOException {
		synchronized (this.fileSystem) {
			int count = read(target, this.position);
			this.position += Math.max(0, count);
			return count;
		}
	}

	@Override
	public long read(ByteBuffer[] targets, int offset, int length) throws IOException {
		synchronized (this.fileSystem) {
			long total = 0;
			for (int index = offset; index < offset + length; index++) {
				int count = read(targets[index]);
				if (count < 0) {
					return (total == 0) ? -1 : total;
				}
				total += count;
			}
			return total;
		}
	}

	@Override
	public int read(ByteBuffer target, long position) throws IOException {
		synchronized (this.fileSystem) {
			FileInode file = readableFile();
			checkPosition(position);
			if (file.takeReadFailure()) {
				throw new IOException("Simulated read failure of " + this.path + " (SimFileSystem.failReads)");
			}
			return file.read(target, position);
		}
	}

	@Override
	public int write(ByteBuffer source) throws IOException {
		synchronized (this.fileSystem) {
			checkWritable();
			// A writable channel is always on a file: opening a directory for writing fails.
			long at = this.append ? ((FileInode) this.inode).size() : this.position;
			int count = write(source, at);
			this.position = at + count;
			return count;
		}
	}

	@Override
	public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
		synchronized (this.fileSystem) {
			long total = 0;
			for (int index = offset; index < offset + length; index++) {
				total += write(sources[index]);
			}
			return total;
		}
	}

	@Override
	public int write(ByteBuffer source, long position) throws IOException {
		synchronized (this.fileSystem) {
			checkWritable();
			checkPosition(position);
			FileInode file = (FileInode) this.inode;
			if (position + source.remaining() > FileInode.FILE_SIZE_BYTES_MAX) {
				throw new FileSystemException(this.path.toString(), null,
						"File too large: the simulated disk holds files of at most " + FileInode.FILE_SIZE_BYTES_MAX + " bytes");
			}
			this.fileSystem.power()
				.beforeChange("write of " + source.remaining() + " bytes at " + position + " of " + this.path);
			return file.write(source, position);
		}
	}

	@Override
	public long position() throws IOException {
		synchronized (this.fileSystem) {
			checkOpen();
			return this.position;
		}
	}

	@Override
	public FileChannel position(long newPosition) throws IOException {
		synchronized (this.fileSystem) {
			checkOpen();
			checkPosition(newPosition);
			this.position = newPosition;
			return this;
		}
	}

	@Override
	public long size() throws IOException {
		synchronized (this.fileSystem) {
			checkOpen();
			return (this.inode instanceof FileInode file) ? file.size() : 0;
		}
	}

	@Override
	public FileChannel truncate(long size) throws IOException {
		synchronized (this.fileSystem) {
			checkWritable();
			checkPosition(size);
			this.fileSystem.power().beforeChange("truncate of " + this.path + " to " + size + " bytes");
			((FileInode) this.inode).truncate(size);
			this.position = Math.min(this.position, size);
			return this;
		}
	}

	/** {@code fsync}: on a file its data and length become durable, on a directory its entries. */
	@Override
	public void force(boolean metaData) throws IOException {
		synchronized (this.fileSystem) {
			checkOpen();
			this.fileSystem.power().beforeChange("force of " + this.path);
			this.inode.persist();
		}
	}

	@Override
	public FileLock lock(long position, long size, boolean shared) throws IOException {
		// Within one JVM a lock that can not be had is refused at once, never waited for.
		return tryLock(position, size, shared);
	}

	@Override
	public FileLock tryLock(long position, long size, boolean shared) throws IOException {
		synchronized (this.fileSystem) {
			checkOpen();
			if (position < 0 || size < 0) {
				throw new IllegalArgumentException("Cannot lock " + size + " bytes at " + position + " of " + this.path);
			}
			if (shared && !this.readable) {
				throw new NonReadableChannelException();
			}
			if (!shared && !this.writable) {
				throw new NonWritableChannelException();
			}
			return this.fileSystem.openFiles().lock(this, this.inode, position, size, shared);
		}
	}

	@Override
	public long transferTo(long position, long count, WritableByteChannel target) {
		throw new UnsupportedOperationException("The simulated file system does not transfer between channels");
	}

	@Override
	public long transferFrom(ReadableByteChannel source, long position, long count) {
		throw new UnsupportedOperationException("The simulated file system does not transfer between channels");
	}

	@Override
	public MappedByteBuffer map(MapMode mode, long position, long size) {
		throw new UnsupportedOperationException("The simulated file system does not map files into memory");
	}

	@Override
	protected void implCloseChannel() {
		this.fileSystem.openFiles().closed(this);
	}

	private FileInode readableFile() throws IOException {
		checkOpen();
		if (!this.readable) {
			throw new NonReadableChannelException();
		}
		if (!(this.inode instanceof FileInode file)) {
			throw new IOException(this.path + ": Is a directory");
		}
		return file;
	}

	private void checkWritable() throws ClosedChannelException {
		checkOpen();
		if (!this.writable) {
			throw new NonWritableChannelException();
		}
	}

	private void checkOpen() throws ClosedChannelException {
		if (!isOpen()) {
			throw new ClosedChannelException();
		}
	}

	private static void checkPosition(long position) {
		if (position < 0) {
			throw new IllegalArgumentException("Negative position " + position);
		}
	}

}
