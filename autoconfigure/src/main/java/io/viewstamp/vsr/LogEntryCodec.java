package io.viewstamp.vsr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of a {@link LogEntry} and its {@link Request}s, shared by the journal and the
 * transport. Explicit, versioned and little-endian, so that bytes written by one release and read
 * by another mean the same thing; no Java serialization, no reflection.
 *
 * <pre>
 * entry   := version u8 | view i64 | op i64 | timestamp i64 | parent i64 | checksum i64
 *            | requestCount u32 | request * requestCount
 * request := clientId i64 | session i64 | requestNumber i64 | operation u8 | bodyLength u32 | body
 * </pre>
 *
 * <p>Decoding trusts nothing: every length is checked against a named maximum and against the bytes
 * actually there before anything is allocated, so malformed input fails with an
 * {@link IllegalArgumentException} that says what is wrong, never with an {@link OutOfMemoryError}.
 * Whether the entry is intact (its checksum matches) is for {@link LogEntry#isIntact} to say.
 */
public final class LogEntryCodec {

	/** The format version written in the first byte; a reader refuses any other. */
	public static final byte VERSION = 1;

	/** The most requests one entry may carry; far above any sensible prepare batch. */
	public static final int ENTRY_REQUESTS_MAX = 8192;

	/** The largest command body one request may carry. */
	public static final int REQUEST_BODY_SIZE_BYTES_MAX = 1 << 20;

	/** The largest encoded entry; the replica must not batch more than this into one op. */
	public static final int ENTRY_SIZE_BYTES_MAX = 32 << 20;

	/** Version byte, five longs (view, op, timestamp, parent, checksum) and the request count. */
	static final int ENTRY_HEADER_SIZE_BYTES = 1 + 5 * Long.BYTES + Integer.BYTES;

	/** Three longs (client, session, request number), the operation code and the body length. */
	static final int REQUEST_HEADER_SIZE_BYTES = 3 * Long.BYTES + 1 + Integer.BYTES;

	// Operation codes are explicit rather than enum ordinals, so reordering the enum changes no
	// byte on disk; 0 is not a code, so zeroed bytes never decode as a request.
	private static final byte OPERATION_REGISTER = 1;

	private static final byte OPERATION_COMMAND = 2;

	private static final byte OPERATION_RECONFIGURE = 3;

	private LogEntryCodec() {
	}

	/**
	 * The number of bytes {@link #encode} produces for {@code entry}, without encoding it.
	 * @param entry the entry
	 * @return its encoded size in bytes
	 * @throws IllegalArgumentException when the entry exceeds one of the limits of this format
	 */
	public static int encodedSizeBytes(LogEntry entry) {
		if (entry.requests().size() > ENTRY_REQUESTS_MAX) {
			throw new IllegalArgumentException("Op " + entry.op() + " carries " + entry.requests().size()
					+ " requests, more than the " + ENTRY_REQUESTS_MAX + " an entry may carry: batch fewer requests per prepare");
		}
		long size = ENTRY_HEADER_SIZE_BYTES;
		for (Request request : entry.requests()) {
			if (request.body().length > REQUEST_BODY_SIZE_BYTES_MAX) {
				throw new IllegalArgumentException("A request of op " + entry.op() + " has a body of " + request.body().length
						+ " bytes, more than the " + REQUEST_BODY_SIZE_BYTES_MAX + " bytes a request body may have");
			}
			size += REQUEST_HEADER_SIZE_BYTES + request.body().length;
		}
		if (size > ENTRY_SIZE_BYTES_MAX) {
			throw new IllegalArgumentException("Op " + entry.op() + " encodes to " + size + " bytes, more than the "
					+ ENTRY_SIZE_BYTES_MAX + " bytes an entry may have: batch fewer or smaller requests per prepare");
		}
		return (int) size;
	}

	/**
	 * Encodes {@code entry}.
	 * @param entry the entry
	 * @return its bytes
	 * @throws IllegalArgumentException when the entry exceeds one of the limits of this format
	 */
	public static byte[] encode(LogEntry entry) {
		byte[] bytes = new byte[encodedSizeBytes(entry)];
		encode(entry, ByteBuffer.wrap(bytes));
		return bytes;
	}

	/**
	 * Encodes {@code entry} into {@code target} at its position, which advances past the entry. The
	 * buffer's byte order is left as it was.
	 * @param entry the entry
	 * @param target where to write; must have {@link #encodedSizeBytes} bytes remaining
	 * @throws IllegalArgumentException when the entry exceeds one of the limits of this format, or
	 * {@code target} has too little room
	 */
	public static void encode(LogEntry entry, ByteBuffer target) {
		int size = encodedSizeBytes(entry);
		if (target.remaining() < size) {
			throw new IllegalArgumentException("Cannot encode op " + entry.op() + " (" + size + " bytes) into a buffer with "
					+ target.remaining() + " bytes remaining");
		}
		ByteBuffer out = target.slice().order(ByteOrder.LITTLE_ENDIAN);
		out.put(VERSION)
			.putLong(entry.view())
			.putLong(entry.op())
			.putLong(entry.timestamp())
			.putLong(entry.parent())
			.putLong(entry.checksum())
			.putInt(entry.requests().size());
		for (Request request : entry.requests()) {
			out.putLong(request.clientId())
				.putLong(request.session())
				.putLong(request.requestNumber())
				.put(operationCode(request.operation()))
				.putInt(request.body().length)
				.put(request.body());
		}
		target.position(target.position() + out.position());
	}

	/**
	 * Decodes one entry from {@code source} at its position, which advances past the entry; bytes
	 * after it are left for the caller. The buffer's byte order is left as it was.
	 * @param source the bytes
	 * @return the entry
	 * @throws IllegalArgumentException when the bytes are not an entry of this format: another
	 * version, truncated, a length over its limit, an unknown operation, or values an entry can
	 * not hold
	 */
	public static LogEntry decode(ByteBuffer source) {
		ByteBuffer in = source.slice().order(ByteOrder.LITTLE_ENDIAN);
		require(in, ENTRY_HEADER_SIZE_BYTES, "the entry header");
		byte version = in.get();
		if (version != VERSION) {
			throw new IllegalArgumentException("Log entry has format version " + version + ", this release reads only version "
					+ VERSION + ": it was written by another release of Viewstamp, or the bytes are not a log entry");
		}
		long view = in.getLong();
		long op = in.getLong();
		long timestamp = in.getLong();
		long parent = in.getLong();
		long checksum = in.getLong();
		int requestCount = in.getInt();
		// Checked against what is there before the list is sized, so a huge count allocates nothing.
		if (requestCount < 1 || requestCount > ENTRY_REQUESTS_MAX) {
			throw new IllegalArgumentException("Log entry of op " + op + " claims " + Integer.toUnsignedString(requestCount)
					+ " requests, outside the 1.." + ENTRY_REQUESTS_MAX + " an entry may carry");
		}
		require(in, requestCount * REQUEST_HEADER_SIZE_BYTES, "the headers of its " + requestCount + " requests");
		List<Request> requests = new ArrayList<>(requestCount);
		for (int index = 0; index < requestCount; index++) {
			requests.add(decodeRequest(in, op, index));
		}
		if (in.position() > ENTRY_SIZE_BYTES_MAX) {
			throw new IllegalArgumentException("Log entry of op " + op + " is " + in.position() + " bytes, more than the "
					+ ENTRY_SIZE_BYTES_MAX + " bytes an entry may have");
		}
		LogEntry entry;
		try {
			entry = new LogEntry(view, op, timestamp, parent, checksum, requests);
		}
		catch (IllegalStateException ex) {
			throw new IllegalArgumentException("Log entry bytes hold values no entry can have: " + ex.getMessage(), ex);
		}
		source.position(source.position() + in.position());
		return entry;
	}

	private static Request decodeRequest(ByteBuffer in, long op, int index) {
		require(in, REQUEST_HEADER_SIZE_BYTES, "the header of request " + index + " of op " + op);
		long clientId = in.getLong();
		long session = in.getLong();
		long requestNumber = in.getLong();
		Operation operation = operation(in.get(), op, index);
		int bodyLength = in.getInt();
		if (bodyLength < 0 || bodyLength > REQUEST_BODY_SIZE_BYTES_MAX) {
			throw new IllegalArgumentException("Request " + index + " of op " + op + " claims a body of "
					+ Integer.toUnsignedString(bodyLength) + " bytes, more than the " + REQUEST_BODY_SIZE_BYTES_MAX
					+ " bytes a request body may have");
		}
		require(in, bodyLength, "the body of request " + index + " of op " + op);
		byte[] body = new byte[bodyLength];
		in.get(body);
		try {
			return new Request(clientId, session, requestNumber, operation, body);
		}
		catch (IllegalStateException ex) {
			throw new IllegalArgumentException(
					"Request " + index + " of op " + op + " holds values no request can have: " + ex.getMessage(), ex);
		}
	}

	private static void require(ByteBuffer in, int bytes, String what) {
		if (in.remaining() < bytes) {
			throw new IllegalArgumentException("Log entry bytes are truncated: " + what + " needs " + bytes
					+ " bytes at offset " + in.position() + ", only " + in.remaining() + " remain");
		}
	}

	private static byte operationCode(Operation operation) {
		return switch (operation) {
			case REGISTER -> OPERATION_REGISTER;
			case COMMAND -> OPERATION_COMMAND;
			case RECONFIGURE -> OPERATION_RECONFIGURE;
		};
	}

	private static Operation operation(byte code, long op, int index) {
		return switch (code) {
			case OPERATION_REGISTER -> Operation.REGISTER;
			case OPERATION_COMMAND -> Operation.COMMAND;
			case OPERATION_RECONFIGURE -> Operation.RECONFIGURE;
			default -> throw new IllegalArgumentException(
					"Request " + index + " of op " + op + " has unknown operation code " + code);
		};
	}

}
