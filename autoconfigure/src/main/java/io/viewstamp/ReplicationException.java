package io.viewstamp;

import org.jspecify.annotations.Nullable;

/**
 * A call of a {@link Replicated} bean did not complete as a normal call would. The base of the
 * exceptions Viewstamp itself throws to callers; the message says whether the command may have
 * been applied. Exceptions thrown by the bean's own methods are passed on as they are instead.
 */
public class ReplicationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param message what happened and what to do
	 */
	public ReplicationException(String message) {
		super(message);
	}

	/**
	 * @param message what happened and what to do
	 * @param cause the underlying failure
	 */
	public ReplicationException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
