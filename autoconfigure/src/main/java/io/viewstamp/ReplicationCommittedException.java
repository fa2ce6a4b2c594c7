package io.viewstamp;

/**
 * A command committed (a majority holds it, and every replica will apply it once), but this
 * application's replica had not applied it within the request timeout
 * ({@code replication.request-timeout}): it lags behind the cluster, and the command's result is
 * not available here yet. Unlike a {@link ReplicationTimeoutException}, the outcome is known: do
 * not call the command again, or it is applied twice.
 */
public class ReplicationCommittedException extends ReplicationException {

	private static final long serialVersionUID = 1L;

	private final long op;

	/**
	 * @param message what happened and what to do
	 * @param op the op that committed the command
	 * @param cause the runtime's report
	 */
	public ReplicationCommittedException(String message, long op, Throwable cause) {
		super(message, cause);
		this.op = op;
	}

	/** The op that committed the command: the replica's {@code appliedNumber} reaches it when the command is applied here. */
	public long op() {
		return this.op;
	}

}
