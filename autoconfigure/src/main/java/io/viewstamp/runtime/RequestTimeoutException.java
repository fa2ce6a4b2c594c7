package io.viewstamp.runtime;

/**
 * A command was not acknowledged within the request timeout. Its outcome is unknown: it may
 * still commit, once, later; the client keeps resending it under the same request number so the
 * cluster deduplicates it.
 */
public class RequestTimeoutException extends RequestFailedException {

	private static final long serialVersionUID = 1L;

	public RequestTimeoutException(String message) {
		super(message);
	}

}
