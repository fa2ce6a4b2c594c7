package io.viewstamp.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.viewstamp.vsr.Applier;

/**
 * The runtime's apply thread, simulated: applies and captures complete later in the same tick, or
 * now and then a few ticks later (or at once, in place), in the order they were asked, as {@code ApplyThread} completes
 * them on the replica's loop. The state machine changes when an apply completes, so its state is
 * always the state at the replica's commit number, which is what the state checker compares.
 *
 * <p>A restore replaces the state at once. Applies and captures asked before it still complete
 * at their time, like a real thread's that ran them before the restore; their effects are
 * skipped (the restored state supersedes them) and the replica drops their completions.
 */
final class SimApplier implements Applier {

	/** Latency that means "in place": each request completes before the call returns. */
	static final int IN_PLACE = -1;

	/** One request in this many is delayed; the others complete within the tick they are made in. */
	static final int DELAYED_ONE_IN = 8;

	private final KvStateMachine stateMachine;

	private final int latencyTicksMax;

	private final SplittableRandom random;

	private final ArrayDeque<Pending> pending = new ArrayDeque<>();

	private SimulatedReplica replica;

	private long now;

	/**
	 * @param stateMachine the state machine it runs
	 * @param latencyTicksMax the most ticks a request takes, or {@link #IN_PLACE}
	 * @param random draws each request's latency
	 */
	SimApplier(KvStateMachine stateMachine, int latencyTicksMax, SplittableRandom random) {
		this.stateMachine = stateMachine;
		this.latencyTicksMax = latencyTicksMax;
		this.random = random;
	}

	/**
	 * The replica the completions go to. Requests made while the replica was being built (it
	 * replays its journal) complete from here on, like the runtime's, which reach the replica's loop
	 * only after it is built.
	 */
	void attach(SimulatedReplica replica) {
		this.replica = replica;
		if (this.latencyTicksMax == IN_PLACE) {
			completeDue(this.now);
		}
	}

	@Override
	public void apply(long op, long timestamp, List<byte[]> commands) {
		enqueue(new Pending(op, timestamp, commands));
	}

	@Override
	public void capture(long op) {
		enqueue(new Pending(op, 0, null));
	}

	@Override
	public void restore(byte[] state) {
		for (Pending request : this.pending) {
			request.superseded = true;
		}
		this.stateMachine.restore(state);
	}

	/** Moves the applier's clock to {@code tick}; requests made from now on are due from it. */
	void advanceTo(long tick) {
		this.now = tick;
	}

	/** Completes the requests due by {@code tick}, in order. */
	void completeDue(long tick) {
		this.now = tick;
		while (!this.pending.isEmpty() && this.pending.peekFirst().dueTick <= tick) {
			complete(this.pending.pollFirst());
		}
	}

	/** Whether a request is still running. */
	boolean isBusy() {
		return !this.pending.isEmpty();
	}

	private void enqueue(Pending request) {
		if (this.latencyTicksMax == IN_PLACE) {
			request.dueTick = this.now;
			this.pending.add(request);
			if (this.replica != null) {
				completeDue(this.now);
			}
			return;
		}
		// Most ops take a real apply thread microseconds, far less than a tick: they complete within
		// the tick. One in DELAYED_ONE_IN takes up to the maximum, like a slow command; were every
		// op as slow, a replica replaying thousands of ops would take longer than any real one.
		// In order: a request is never due before the one asked before it.
		long earliest = this.pending.isEmpty() ? this.now : this.pending.peekLast().dueTick;
		long latencyTicks = (this.random.nextInt(DELAYED_ONE_IN) == 0) ? this.random.nextInt(this.latencyTicksMax + 1) : 0;
		request.dueTick = Math.max(earliest, this.now + latencyTicks);
		this.pending.add(request);
	}

	private void complete(Pending request) {
		if (request.commands == null) {
			this.replica.onCaptured(request.op, request.superseded ? new byte[0] : this.stateMachine.snapshot());
			return;
		}
		List<byte[]> results = new ArrayList<>(request.commands.size());
		for (byte[] command : request.commands) {
			results.add(request.superseded ? new byte[0] : this.stateMachine.apply(request.op, request.timestamp, command));
		}
		this.replica.onApplied(request.op, results);
	}

	/** An apply (with its commands) or a capture (without). */
	private static final class Pending {

		final long op;

		final long timestamp;

		final List<byte[]> commands;

		long dueTick;

		boolean superseded;

		Pending(long op, long timestamp, List<byte[]> commands) {
			this.op = op;
			this.timestamp = timestamp;
			this.commands = commands;
		}

	}

}
