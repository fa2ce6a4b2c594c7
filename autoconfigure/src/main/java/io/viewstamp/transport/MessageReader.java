package io.viewstamp.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.LogEntryCodec;
import org.jspecify.annotations.Nullable;

/**
 * Reads the fields of one message, little-endian, and fails with a
 * {@link MalformedMessageException} naming the field and its offset (from the start of the
 * message) on anything it cannot trust. Every length is checked against its maximum and against
 * the bytes actually there before anything is allocated.
 */
final class MessageReader {

	private final ByteBuffer in;

	private String messageName = "message";

	MessageReader(ByteBuffer source) {
		this.in = source.slice().order(ByteOrder.LITTLE_ENDIAN);
	}

	/** Names the message in later errors, once its type is known. */
	void nameMessage(String messageName) {
		this.messageName = messageName;
	}

	/** The offset of the next byte, from the start of the message. */
	int offset() {
		return this.in.position();
	}

	byte readByte(String what) {
		require(Byte.BYTES, what);
		return this.in.get();
	}

	boolean readFlag(String what) {
		int offset = offset();
		byte flag = readByte(what);
		if (flag != 0 && flag != 1) {
			throw malformed(offset, what + " is " + flag + ", a flag is 0 or 1");
		}
		return flag == 1;
	}

	int readInt(String what) {
		require(Integer.BYTES, what);
		return this.in.getInt();
	}

	long readLong(String what) {
		require(Long.BYTES, what);
		return this.in.getLong();
	}

	/** Reads a length, then that many bytes, refusing more than {@code maximum}. */
	byte[] readBytes(int maximum, String what) {
		int lengthOffset = offset();
		int length = readInt("the length of " + what);
		if (length < 0 || length > maximum) {
			throw malformed(lengthOffset, what + " claims " + Integer.toUnsignedString(length)
					+ " bytes, more than the " + maximum + " allowed");
		}
		require(length, what);
		byte[] bytes = new byte[length];
		this.in.get(bytes);
		return bytes;
	}

	LogEntry readEntry(String what) {
		int entryOffset = offset();
		try {
			return LogEntryCodec.decode(this.in);
		}
		catch (IllegalArgumentException ex) {
			throw malformed(entryOffset, what + " is not a valid log entry: " + ex.getMessage(), ex);
		}
	}

	/** Reads a count, then that many entries, refusing more than {@code maximum}. */
	List<LogEntry> readEntries(int maximum) {
		int countOffset = offset();
		int count = readInt("the entry count");
		if (count < 0 || count > maximum) {
			throw malformed(countOffset,
					"the entry count " + Integer.toUnsignedString(count) + " is outside the 0.." + maximum + " allowed");
		}
		// Each entry takes at least ENTRY_SIZE_BYTES_MIN, so a count the remaining bytes cannot
		// hold is refused before the list is sized.
		if ((long) count * MessageCodec.ENTRY_SIZE_BYTES_MIN > this.in.remaining()) {
			throw malformed(countOffset, "the entry count " + count + " needs at least "
					+ (long) count * MessageCodec.ENTRY_SIZE_BYTES_MIN + " bytes, only " + this.in.remaining() + " remain");
		}
		List<LogEntry> entries = new ArrayList<>(count);
		for (int index = 0; index < count; index++) {
			entries.add(readEntry("entry " + index));
		}
		return entries;
	}

	/** Refuses bytes after the message: a message and its length must agree exactly. */
	void requireEnd() {
		if (this.in.hasRemaining()) {
			throw malformed(offset(), this.in.remaining() + " trailing bytes after the end of the message");
		}
	}

	MalformedMessageException malformed(int offset, String problem) {
		return malformed(offset, problem, null);
	}

	MalformedMessageException malformed(int offset, String problem, @Nullable Throwable cause) {
		return new MalformedMessageException(
				"Malformed " + this.messageName + " at offset " + offset + ": " + problem, cause);
	}

	private void require(int bytes, String what) {
		if (this.in.remaining() < bytes) {
			throw malformed(offset(), "truncated: " + what + " needs " + bytes + " bytes, only " + this.in.remaining()
					+ " remain");
		}
	}

}
