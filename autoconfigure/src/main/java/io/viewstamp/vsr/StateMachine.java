package io.viewstamp.vsr;

/**
 * The application's deterministic state machine. The replica calls it with every committed
 * command, once, in op order; every replica must compute the same result from the same inputs.
 */
public interface StateMachine {

	/**
	 * Applies one committed command.
	 * @param op the op number of the prepare that carries the command
	 * @param timestamp the primary's timestamp for that op, the only clock a command may read
	 * @param command the command bytes from the client
	 * @return the result bytes, returned to the client
	 */
	byte[] apply(long op, long timestamp, byte[] command);

	/**
	 * Captures the whole state, for a checkpoint. Called between two {@link #apply} calls; the
	 * same state must give the same bytes on every replica.
	 * @return the state's bytes
	 */
	byte[] snapshot();

	/**
	 * Replaces the whole state with one captured by {@link #snapshot()} (on this replica or
	 * another).
	 * @param snapshot the state's bytes
	 */
	void restore(byte[] snapshot);

}
