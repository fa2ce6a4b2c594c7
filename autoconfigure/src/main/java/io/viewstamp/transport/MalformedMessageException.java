package io.viewstamp.transport;

import org.jspecify.annotations.Nullable;

/**
 * Bytes from a peer are not a message or frame of this format: another version, an unknown type,
 * truncated, trailing bytes, a length over its limit, or a checksum mismatch. The message says
 * what was wrong and at which offset. A connection that delivers one is closed: nothing after a
 * malformed frame can be trusted to be aligned.
 */
public class MalformedMessageException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what was wrong, and at which offset
	 */
	public MalformedMessageException(String message) {
		super(message);
	}

	/**
	 * Creates an exception for a failure reported by a lower layer (such as the log entry codec).
	 * @param message what was wrong, and at which offset
	 * @param cause the lower layer's failure
	 */
	public MalformedMessageException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
