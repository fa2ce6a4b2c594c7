package io.viewstamp.runtime;

/**
 * The cluster evicted the session that carried a command (its client table keeps the most
 * recently used sessions only). The command's outcome is unknown; the client opens a new session
 * for the next one.
 */
public class SessionEvictedException extends RequestFailedException {

	private static final long serialVersionUID = 1L;

	public SessionEvictedException(String message) {
		super(message);
	}

}
