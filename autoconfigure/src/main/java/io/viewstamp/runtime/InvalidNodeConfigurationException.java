package io.viewstamp.runtime;

/**
 * A replica's configuration that can not run: too many peers, an index outside them, a peer listed
 * twice; the message names which and how to fix it.
 */
public class InvalidNodeConfigurationException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param message what is wrong, and how to fix it
	 */
	public InvalidNodeConfigurationException(String message) {
		super(message);
	}

}
