package io.viewstamp.vsr;

/** The kind of a client request. */
public enum Operation {

	/** Opens a client session; the op number of its prepare becomes the session number. */
	REGISTER,

	/** An application command, passed to the {@link StateMachine}. */
	COMMAND

}
