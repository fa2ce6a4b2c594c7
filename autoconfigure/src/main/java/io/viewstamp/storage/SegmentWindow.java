package io.viewstamp.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Reads a segment file through a window of {@link #WINDOW_SIZE_BYTES}, so that scanning a segment
 * of any size needs memory for one window and one payload, not for the file.
 */
final class SegmentWindow {

	static final int WINDOW_SIZE_BYTES = 1 << 20;

	private final FileChannel channel;

	private final long fileSizeBytes;

	/** No larger than the file: recovery opens every segment, and small segments are common in tests. */
	private final ByteBuffer window;

	private long windowStart;

	private int windowLength;

	SegmentWindow(FileChannel channel, long fileSizeBytes) {
		this.channel = channel;
		this.fileSizeBytes = fileSizeBytes;
		this.window = ByteBuffer.allocate((int) Math.min(WINDOW_SIZE_BYTES, fileSizeBytes)).order(ByteOrder.LITTLE_ENDIAN);
	}

	/**
	 * The {@code length} bytes at {@code position}, which must lie within the file: a buffer and
	 * the offset in it where they start. Valid until the next call.
	 */
	Slice bytes(long position, int length) throws IOException {
		if (position < 0 || length < 0 || position + length > this.fileSizeBytes) {
			throw new IllegalArgumentException("bytes " + position + ".." + (position + length) + " lie outside the "
					+ this.fileSizeBytes + " bytes of the segment");
		}
		if (position >= this.windowStart && position + length <= this.windowStart + this.windowLength) {
			return new Slice(this.window, (int) (position - this.windowStart));
		}
		if (length > this.window.capacity()) {
			ByteBuffer large = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
			readFully(large, position);
			return new Slice(large, 0);
		}
		this.window.clear().limit((int) Math.min(this.window.capacity(), this.fileSizeBytes - position));
		readFully(this.window, position);
		this.windowStart = position;
		this.windowLength = this.window.limit();
		return new Slice(this.window, 0);
	}

	private void readFully(ByteBuffer buffer, long position) throws IOException {
		long at = position;
		while (buffer.hasRemaining()) {
			int read = this.channel.read(buffer, at);
			if (read < 0) {
				throw new IOException("segment ended at " + at + " while " + this.fileSizeBytes + " bytes were expected");
			}
			at += read;
		}
		buffer.flip();
	}

	/**
	 * Bytes of the segment: they start at {@code offset} of {@code buffer}.
	 * @param buffer the buffer, little-endian
	 * @param offset where the bytes start in it
	 */
	record Slice(ByteBuffer buffer, int offset) {

	}

}
