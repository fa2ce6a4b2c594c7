package io.viewstamp;

/**
 * An operation of {@link ReplicationAdministration} was refused or did not complete; the message
 * says why and what to do. Nothing acknowledged is lost by it: the cluster serves on.
 */
public class ReplicationAdministrationException extends ReplicationException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param message why, and what to do
	 */
	public ReplicationAdministrationException(String message) {
		super(message);
	}

	/**
	 * @param message why, and what to do
	 * @param cause the underlying failure
	 */
	public ReplicationAdministrationException(String message, Throwable cause) {
		super(message, cause);
	}

}
