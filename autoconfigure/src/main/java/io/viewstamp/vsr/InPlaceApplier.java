package io.viewstamp.vsr;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a plain {@link StateMachine} in place for a replica given one instead of an
 * {@link Applier}: each op's commands are applied, and each capture taken, before the call
 * returns, and the replica hears of it at once.
 */
final class InPlaceApplier implements Applier {

	private final Replica replica;

	private final StateMachine stateMachine;

	InPlaceApplier(Replica replica, StateMachine stateMachine) {
		this.replica = replica;
		this.stateMachine = stateMachine;
	}

	@Override
	public void apply(long op, long timestamp, List<byte[]> commands) {
		List<byte[]> results = new ArrayList<>(commands.size());
		for (byte[] command : commands) {
			results.add(this.stateMachine.apply(op, timestamp, command));
		}
		this.replica.onApplied(op, results);
	}

	@Override
	public void capture(long op) {
		this.replica.onCaptured(op, this.stateMachine.snapshot());
	}

	@Override
	public void restore(long op, byte[] state) {
		this.stateMachine.restore(state);
	}

}
