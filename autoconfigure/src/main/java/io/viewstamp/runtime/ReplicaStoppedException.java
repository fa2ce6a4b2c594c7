package io.viewstamp.runtime;

/**
 * The replica was closed, or stopped on a failure (of its disk, say), before the command
 * completed. Its outcome is unknown.
 */
public class ReplicaStoppedException extends RequestFailedException {

	private static final long serialVersionUID = 1L;

	public ReplicaStoppedException(String message, Throwable cause) {
		super(message, cause);
	}

}
