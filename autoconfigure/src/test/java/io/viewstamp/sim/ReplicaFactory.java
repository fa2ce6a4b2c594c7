package io.viewstamp.sim;

import java.util.random.RandomGenerator;

import io.viewstamp.vsr.Applier;
import io.viewstamp.vsr.Cluster;
import io.viewstamp.vsr.DurableState;
import io.viewstamp.vsr.Outbox;
import io.viewstamp.vsr.Replica;
import io.viewstamp.vsr.ReplicaOptions;
import io.viewstamp.vsr.StateMachine;
import io.viewstamp.vsr.Storage;

/**
 * How the simulator starts a replica process: from its durable state, or, when its data directory
 * is gone, by recovering from the others. {@link #standard()} builds real replicas; a test in
 * {@code io.viewstamp.vsr} can build deliberately defective ones with {@link #of(Constructor)} to show
 * that the checkers catch them.
 */
public interface ReplicaFactory {

	/**
	 * Starts a replica from what its storage holds.
	 * @param cluster the configuration
	 * @param index the replica's index
	 * @param options limits and timeouts
	 * @param state the durable state found in storage
	 * @param storage its storage
	 * @param outbox where its messages go
	 * @param stateMachine a fresh state machine (the replica replays committed ops into it)
	 * @param applier runs that state machine as the runtime's apply thread would
	 * @param random the replica's own random stream
	 * @return the running replica
	 */
	SimulatedReplica restart(Cluster cluster, int index, ReplicaOptions options, DurableState state, Storage storage,
			Outbox outbox, StateMachine stateMachine, Applier applier, RandomGenerator random);

	/**
	 * Starts a replica whose storage was lost: it recovers its state from the others.
	 * @param cluster the configuration
	 * @param index the replica's index
	 * @param options limits and timeouts
	 * @param storage its (empty) storage
	 * @param outbox where its messages go
	 * @param stateMachine a fresh state machine
	 * @param applier runs that state machine as the runtime's apply thread would
	 * @param random the replica's own random stream
	 * @return the recovering replica
	 */
	SimulatedReplica recover(Cluster cluster, int index, ReplicaOptions options, Storage storage, Outbox outbox,
			StateMachine stateMachine, Applier applier, RandomGenerator random);

	/**
	 * Whether the replicas run their state machine through the applier they are given, as real
	 * replicas do; a stand-in that applies in place says no, and its commit number is what its
	 * callers may be answered for.
	 * @return {@code true} unless the replicas apply in place
	 */
	default boolean appliesThroughApplier() {
		return true;
	}

	/** Real replicas: {@link Replica#restart} and {@link Replica#recover}. */
	public static ReplicaFactory standard() {
		return of((cluster, index, options, state, storage, outbox, applier, random) -> (state != null)
				? Replica.restart(cluster, index, options, state, storage, outbox, applier, random)
				: Replica.recover(cluster, index, options, storage, outbox, applier, random));
	}

	/**
	 * Real replicas built by one constructor-shaped function, for example the package-private
	 * {@code Replica} constructor with a set of defects: {@code ReplicaFactory.of((cluster, index,
	 * options, state, storage, outbox, applier, random) -> new Replica(cluster, index, options,
	 * state, storage, outbox, applier, random, new DefectiveRules(EnumSet.of(defect))))}.
	 * @param constructor builds a replica; it receives {@code null} state for a replica that recovers
	 * @return the factory
	 */
	static ReplicaFactory of(Constructor constructor) {
		return new ReplicaFactory() {

			@Override
			public SimulatedReplica restart(Cluster cluster, int index, ReplicaOptions options, DurableState state,
					Storage storage, Outbox outbox, StateMachine stateMachine, Applier applier, RandomGenerator random) {
				return SimulatedReplica
					.of(constructor.create(cluster, index, options, state, storage, outbox, applier, random));
			}

			@Override
			public SimulatedReplica recover(Cluster cluster, int index, ReplicaOptions options, Storage storage,
					Outbox outbox, StateMachine stateMachine, Applier applier, RandomGenerator random) {
				return SimulatedReplica
					.of(constructor.create(cluster, index, options, null, storage, outbox, applier, random));
			}

		};
	}

	/** Builds a {@link Replica}; {@code state} is {@code null} for a replica that must recover. */
	@FunctionalInterface
	interface Constructor {

		/**
		 * Builds a replica.
		 * @param cluster the configuration
		 * @param index the replica's index
		 * @param options limits and timeouts
		 * @param state the durable state, or {@code null} to recover
		 * @param storage its storage
		 * @param outbox where its messages go
		 * @param applier runs a fresh state machine
		 * @param random the replica's own random stream
		 * @return the replica
		 */
		Replica create(Cluster cluster, int index, ReplicaOptions options, DurableState state, Storage storage,
				Outbox outbox, Applier applier, RandomGenerator random);

	}

}
