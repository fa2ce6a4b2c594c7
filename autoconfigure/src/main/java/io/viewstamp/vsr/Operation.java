package io.viewstamp.vsr;

/** The kind of a client request. */
public enum Operation {

	/** Opens a client session; the op number of its prepare becomes the session number. */
	REGISTER,

	/** An application command, passed to the {@link StateMachine}. */
	COMMAND,

	/**
	 * A change of the cluster's members, prepared by the primary itself (no client sends it): its
	 * body is the next configuration, which takes effect once the op is committed (see
	 * {@link Request#reconfigure}).
	 */
	RECONFIGURE

}
