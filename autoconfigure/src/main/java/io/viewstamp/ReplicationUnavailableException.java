package io.viewstamp;

/**
 * This process's replica is not running: it has not started yet, was closed, or stopped on a
 * failure. A command in flight when it stopped has an unknown outcome.
 */
public class ReplicationUnavailableException extends ReplicationException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param message why the replica is unavailable and what to do
	 */
	public ReplicationUnavailableException(String message) {
		super(message);
	}

	/**
	 * @param message why the replica is unavailable and what to do
	 * @param cause the underlying failure
	 */
	public ReplicationUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
