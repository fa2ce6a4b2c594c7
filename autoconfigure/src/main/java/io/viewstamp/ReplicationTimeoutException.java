package io.viewstamp;

/**
 * A command was not acknowledged within the request timeout ({@code replication.request-timeout}).
 * Its outcome is unknown: it may still be applied, once, later.
 */
public class ReplicationTimeoutException extends ReplicationException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param message what timed out
	 * @param cause the runtime's timeout
	 */
	public ReplicationTimeoutException(String message, Throwable cause) {
		super(message, cause);
	}

}
