package io.viewstamp.sim.check;

import java.util.List;

import io.viewstamp.sim.SimulatedReplica;
import io.viewstamp.sim.SimulationFailure.Check;
import io.viewstamp.sim.SimulationFailure;
import io.viewstamp.sim.workload.KvStateMachine;

/**
 * Checks that replicas which committed the same ops hold the same state machine state, and, once
 * the cluster has converged, that every replica committed the same ops. A replica applies what it
 * commits, so two equal commit numbers with two different state checksums mean that some replica
 * applied something else, or in another order.
 */
public final class StateChecker {

	private final long seed;

	/**
	 * Creates a checker.
	 * @param seed the world's seed, for messages
	 */
	public StateChecker(long seed) {
		this.seed = seed;
	}

	/**
	 * Compares every pair of running replicas with equal commit numbers.
	 * @param replicas the running replicas and their state machines
	 * @param tick the current tick
	 */
	public void checkEqualCommitsEqualStates(List<RunningReplica> replicas, long tick) {
		for (int first = 0; first < replicas.size(); first++) {
			for (int second = first + 1; second < replicas.size(); second++) {
				RunningReplica a = replicas.get(first);
				RunningReplica b = replicas.get(second);
				if (a.replica().commit() == b.replica().commit()
						&& a.stateMachine().stateChecksum() != b.stateMachine().stateChecksum()) {
					throw new SimulationFailure(this.seed, tick, Check.STATE, "replicas " + a.replica().index() + " and "
							+ b.replica().index() + " both committed up to op " + a.replica().commit()
							+ " but their states differ: " + describe(a) + " vs " + describe(b));
				}
			}
		}
	}

	/**
	 * Checks that every replica committed the same ops and holds the same state.
	 * @param replicas every replica (all must be running)
	 * @param tick the current tick
	 */
	public void checkConverged(List<RunningReplica> replicas, long tick) {
		RunningReplica first = replicas.get(0);
		for (RunningReplica other : replicas) {
			if (other.replica().commit() != first.replica().commit()) {
				throw new SimulationFailure(this.seed, tick, Check.STATE, "after convergence replica "
						+ first.replica().index() + " committed up to op " + first.replica().commit() + " but replica "
						+ other.replica().index() + " up to op " + other.replica().commit());
			}
		}
		checkEqualCommitsEqualStates(replicas, tick);
	}

	private static String describe(RunningReplica running) {
		return "replica " + running.replica().index() + " state " + Long.toHexString(running.stateMachine().stateChecksum())
				+ " (" + running.stateMachine() + ")";
	}

	/**
	 * A running replica and its state machine.
	 * @param replica the replica
	 * @param stateMachine the state machine it applies to
	 */
	public record RunningReplica(SimulatedReplica replica, KvStateMachine stateMachine) {

	}

}
