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

}
