package io.viewstamp.runtime;

/**
 * The barrier of a linearizable read: a command that does nothing, sent through the log so that
 * once this replica has applied it, this replica's state holds every command acknowledged before
 * the read began, on any replica. The read then runs on the local state.
 *
 * <p>The barrier is the single byte 0, which applications may not submit: the apply path answers it
 * with an empty result without calling the state machine ({@link StateMachineRunner}).
 */
public final class ReadBarriers {

	/** The command of a barrier. */
	private static final byte[] COMMAND = { 0 };

	private ReadBarriers() {
	}

	/** The command of a barrier, a copy of its own for the caller. */
	public static byte[] command() {
		return COMMAND.clone();
	}

	/** Whether {@code command} is a read barrier rather than the application's. */
	public static boolean isBarrier(byte[] command) {
		return command.length == 1 && command[0] == 0;
	}

}
