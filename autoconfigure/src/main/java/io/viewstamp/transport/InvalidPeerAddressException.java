package io.viewstamp.transport;

/**
 * A peer address that can not be used ({@code host:port} malformed, a blank host, a port out of
 * range); the message names the address and the expected form.
 */
public class InvalidPeerAddressException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param message what is wrong with the address, and the expected form
	 */
	public InvalidPeerAddressException(String message) {
		super(message);
	}

}
