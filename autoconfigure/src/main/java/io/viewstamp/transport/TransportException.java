package io.viewstamp.transport;

/**
 * A {@link NettyTransport} cannot start: its port cannot be bound, or its configuration is
 * inconsistent. The message says which address or argument, and what to do.
 */
public class TransportException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what happened and what to do
	 */
	public TransportException(String message) {
		super(message);
	}

	/**
	 * Creates an exception for a failure reported by the network stack.
	 * @param message what happened and what to do
	 * @param cause the network stack's failure
	 */
	public TransportException(String message, Throwable cause) {
		super(message, cause);
	}

}
