package io.viewstamp.runtime;

/**
 * A command committed (the primary answered), but this replica had not applied it within the
 * request timeout, so its result can not be handed out without breaking read-your-writes on this
 * replica. It is not an unknown outcome: the command will be applied, once, and must not be
 * submitted again.
 */
public class CommittedNotAppliedException extends RequestFailedException {

	private static final long serialVersionUID = 1L;

	private final long op;

	/**
	 * @param message what happened and what to do
	 * @param op the op that committed the command
	 */
	public CommittedNotAppliedException(String message, long op) {
		super(message);
		this.op = op;
	}

	/** The op that committed the command. */
	public long op() {
		return this.op;
	}

}
