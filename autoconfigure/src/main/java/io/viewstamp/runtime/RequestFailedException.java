package io.viewstamp.runtime;

/**
 * A submitted command did not complete normally. Each subclass says whether the command may have
 * been applied.
 */
public class RequestFailedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public RequestFailedException(String message) {
		super(message);
	}

	public RequestFailedException(String message, Throwable cause) {
		super(message, cause);
	}

}
