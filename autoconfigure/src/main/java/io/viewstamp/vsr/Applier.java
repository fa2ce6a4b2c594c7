package io.viewstamp.vsr;

import java.util.List;

/**
 * Runs the application's state machine for a replica, possibly on a thread of its own, so that a
 * slow command does not hold up the protocol. Requests are carried out in the order they are
 * made; each {@link #apply} and {@link #capture} completes later with a call back into the
 * replica, in that same order, on the replica's own thread.
 *
 * <p>A replica built with a plain {@link StateMachine} runs it in place instead.
 */
public interface Applier {

	/**
	 * Applies the commands of committed op {@code op}, in order, then completes with
	 * {@link Replica#onApplied}.
	 * @param op the op
	 * @param timestamp the primary's timestamp for the op
	 * @param commands the commands to apply (requests the client table already answered are left out)
	 */
	void apply(long op, long timestamp, List<byte[]> commands);

	/**
	 * Captures the state machine as it is after every apply requested so far (the last at
	 * {@code op}), then completes with {@link Replica#onCaptured}.
	 * @param op the op the state reflects
	 */
	void capture(long op);

	/**
	 * Replaces the state machine's state, after every request made before; no completion.
	 * @param op the op the state reflects
	 * @param state a state captured on this replica or another
	 */
	void restore(long op, byte[] state);

}
