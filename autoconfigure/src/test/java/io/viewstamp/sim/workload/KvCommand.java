package io.viewstamp.sim.workload;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A command of the simulated key-value store and its byte encoding, which is explicit so that
 * every replica decodes the same bytes the same way:
 *
 * <pre>
 * command = kind:byte (1 = PUT, 2 = GET), key:string, [value:nullable-string, PUT only]
 * string = length:int (big-endian), UTF-8 bytes
 * nullable-string = 0:byte | 1:byte, string
 * </pre>
 *
 * A result (the previous value for a PUT, the value for a GET) is one nullable string, so a missing
 * value and an empty string stay distinct.
 *
 * @param kind PUT or GET
 * @param key the key
 * @param value the value a PUT writes ({@code null} removes the key); {@code null} for a GET
 */
public record KvCommand(Kind kind, String key, String value) {

	/** The longest key or value, in bytes. */
	public static final int STRING_BYTES_MAX = 1024;

	private static final byte PUT = 1;

	private static final byte GET = 2;

	private static final byte ABSENT = 0;

	private static final byte PRESENT = 1;

	public KvCommand {
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(key, "key");
		if (kind == Kind.GET && value != null) {
			throw new IllegalArgumentException("A GET carries no value");
		}
	}

	/**
	 * A PUT.
	 * @param key the key
	 * @param value the value, {@code null} to remove the key
	 * @return the command
	 */
	public static KvCommand put(String key, String value) {
		return new KvCommand(Kind.PUT, key, value);
	}

	/**
	 * A GET.
	 * @param key the key
	 * @return the command
	 */
	public static KvCommand get(String key) {
		return new KvCommand(Kind.GET, key, null);
	}

	/** The command's bytes. */
	public byte[] encode() {
		byte[] key = utf8(this.key);
		byte[] value = (this.value != null) ? utf8(this.value) : null;
		int size = 1 + Integer.BYTES + key.length;
		if (this.kind == Kind.PUT) {
			size += 1 + ((value != null) ? Integer.BYTES + value.length : 0);
		}
		ByteBuffer buffer = ByteBuffer.allocate(size);
		buffer.put((this.kind == Kind.PUT) ? PUT : GET);
		putString(buffer, key);
		if (this.kind == Kind.PUT) {
			putNullableString(buffer, value);
		}
		return buffer.array();
	}

	/**
	 * Decodes a command.
	 * @param bytes the command's bytes
	 * @return the command
	 * @throws IllegalArgumentException when the bytes are not a command
	 */
	public static KvCommand decode(byte[] bytes) {
		try {
			ByteBuffer buffer = ByteBuffer.wrap(bytes);
			byte kind = buffer.get();
			String key = getString(buffer);
			KvCommand command = switch (kind) {
				case PUT -> put(key, getNullableString(buffer));
				case GET -> get(key);
				default -> throw new IllegalArgumentException("Unknown command kind " + kind);
			};
			if (buffer.hasRemaining()) {
				throw new IllegalArgumentException(buffer.remaining() + " bytes after the command");
			}
			return command;
		}
		catch (BufferUnderflowException ex) {
			throw new IllegalArgumentException("Truncated command of " + bytes.length + " bytes", ex);
		}
	}

	/**
	 * Encodes a result.
	 * @param result the value, or {@code null} for none
	 * @return its bytes
	 */
	public static byte[] encodeResult(String result) {
		byte[] value = (result != null) ? utf8(result) : null;
		ByteBuffer buffer = ByteBuffer.allocate(1 + ((value != null) ? Integer.BYTES + value.length : 0));
		putNullableString(buffer, value);
		return buffer.array();
	}

	/**
	 * Decodes a result.
	 * @param bytes the result's bytes
	 * @return the value, or {@code null} for none
	 * @throws IllegalArgumentException when the bytes are not a result
	 */
	public static String decodeResult(byte[] bytes) {
		try {
			ByteBuffer buffer = ByteBuffer.wrap(bytes);
			String result = getNullableString(buffer);
			if (buffer.hasRemaining()) {
				throw new IllegalArgumentException(buffer.remaining() + " bytes after the result");
			}
			return result;
		}
		catch (BufferUnderflowException ex) {
			throw new IllegalArgumentException("Truncated result of " + bytes.length + " bytes", ex);
		}
	}

	private static byte[] utf8(String string) {
		byte[] bytes = string.getBytes(StandardCharsets.UTF_8);
		if (bytes.length > STRING_BYTES_MAX) {
			throw new IllegalArgumentException("Strings are at most " + STRING_BYTES_MAX + " bytes, got " + bytes.length);
		}
		return bytes;
	}

	private static void putString(ByteBuffer buffer, byte[] string) {
		buffer.putInt(string.length).put(string);
	}

	private static void putNullableString(ByteBuffer buffer, byte[] string) {
		if (string == null) {
			buffer.put(ABSENT);
		}
		else {
			buffer.put(PRESENT);
			putString(buffer, string);
		}
	}

	private static String getString(ByteBuffer buffer) {
		int length = buffer.getInt();
		if (length < 0 || length > STRING_BYTES_MAX || length > buffer.remaining()) {
			throw new IllegalArgumentException("Invalid string length " + length);
		}
		byte[] bytes = new byte[length];
		buffer.get(bytes);
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static String getNullableString(ByteBuffer buffer) {
		byte presence = buffer.get();
		return switch (presence) {
			case ABSENT -> null;
			case PRESENT -> getString(buffer);
			default -> throw new IllegalArgumentException("Invalid presence marker " + presence);
		};
	}

	/** What a command does. */
	public enum Kind {

		/** Sets a key and returns the value it replaced. */
		PUT,

		/** Returns a key's value. */
		GET

	}

}
