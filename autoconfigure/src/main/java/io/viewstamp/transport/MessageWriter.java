package io.viewstamp.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.LogEntryCodec;

/**
 * A little-endian buffer that grows while a message is written into it. Growing keeps the codec
 * free of per-message size formulas that could drift from what is actually written.
 */
final class MessageWriter {

	private static final int INITIAL_CAPACITY_BYTES = 128;

	/** The largest array a JVM reliably allocates. */
	private static final long ARRAY_SIZE_BYTES_MAX = Integer.MAX_VALUE - 8;

	private ByteBuffer buffer = ByteBuffer.allocate(INITIAL_CAPACITY_BYTES).order(ByteOrder.LITTLE_ENDIAN);

	MessageWriter putByte(byte value) {
		ensureRemaining(Byte.BYTES).put(value);
		return this;
	}

	MessageWriter putFlag(boolean value) {
		return putByte(value ? (byte) 1 : (byte) 0);
	}

	MessageWriter putInt(int value) {
		ensureRemaining(Integer.BYTES).putInt(value);
		return this;
	}

	MessageWriter putLong(long value) {
		ensureRemaining(Long.BYTES).putLong(value);
		return this;
	}

	/** Writes the length, then the bytes, refusing more than {@code maximum} bytes. */
	MessageWriter putBytes(byte[] bytes, int maximum, String what) {
		if (bytes.length > maximum) {
			throw new IllegalArgumentException(
					"Cannot encode " + what + " of " + bytes.length + " bytes, more than the " + maximum + " bytes allowed");
		}
		putInt(bytes.length);
		ensureRemaining(bytes.length).put(bytes);
		return this;
	}

	MessageWriter putEntry(LogEntry entry) {
		LogEntryCodec.encode(entry, ensureRemaining(LogEntryCodec.encodedSizeBytes(entry)));
		return this;
	}

	/** Writes the count, then each entry, refusing more than {@code maximum} entries. */
	MessageWriter putEntries(List<LogEntry> entries, int maximum) {
		if (entries.size() > maximum) {
			throw new IllegalArgumentException(
					"Cannot encode " + entries.size() + " entries in one message, more than the " + maximum + " allowed");
		}
		putInt(entries.size());
		entries.forEach(this::putEntry);
		return this;
	}

	/** The bytes written, refusing a message larger than {@code maximum} bytes. */
	byte[] toByteArray(int maximum) {
		if (this.buffer.position() > maximum) {
			throw new IllegalArgumentException("Cannot encode a message of " + this.buffer.position()
					+ " bytes, more than the " + maximum + " bytes a message may have");
		}
		byte[] bytes = new byte[this.buffer.position()];
		this.buffer.flip().get(bytes);
		return bytes;
	}

	private ByteBuffer ensureRemaining(int bytes) {
		if (this.buffer.remaining() < bytes) {
			long needed = (long) this.buffer.position() + bytes;
			// Doubling keeps the copies amortized; the long arithmetic keeps huge entries from
			// overflowing into a negative capacity (the size check comes at the end).
			if (needed > ARRAY_SIZE_BYTES_MAX) {
				throw new IllegalArgumentException("Cannot encode a message of more than " + needed + " bytes");
			}
			long capacity = Math.min(Math.max(needed, 2L * this.buffer.capacity()), ARRAY_SIZE_BYTES_MAX);
			ByteBuffer grown = ByteBuffer.allocate((int) capacity).order(ByteOrder.LITTLE_ENDIAN);
			grown.put(this.buffer.flip());
			this.buffer = grown;
		}
		return this.buffer;
	}

}
