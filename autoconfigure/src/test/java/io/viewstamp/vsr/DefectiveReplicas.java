package io.viewstamp.vsr;

import java.util.EnumSet;
import java.util.random.RandomGenerator;

/**
 * Builds replicas with a deliberate protocol bug, so that tests can show the simulator's checkers
 * catch it. The defects live in the package-private {@link Defect}; this is the only way in.
 */
public final class DefectiveReplicas {

	private DefectiveReplicas() {
	}

	/** The bugs a test can switch on; one for each {@link Defect}. */
	public enum Bug {

		/** The primary commits without waiting for a quorum. */
		COMMIT_WITHOUT_QUORUM(Defect.COMMIT_WITHOUT_QUORUM),

		/** Backups acknowledge prepares before their journal write completed. */
		PREPARE_OK_BEFORE_DURABLE(Defect.PREPARE_OK_BEFORE_DURABLE),

		/** The new primary picks the do-view-change log by op number alone. */
		VIEW_CHANGE_LOG_BY_OP_ONLY(Defect.VIEW_CHANGE_LOG_BY_OP_ONLY);

		private final Defect defect;

		Bug(Defect defect) {
			this.defect = defect;
		}

	}

	/** Like {@link Replica#restart}, with {@code bug} switched on. */
	public static Replica restart(Bug bug, Cluster cluster, int index, ReplicaOptions options, DurableState state,
			Storage storage, Outbox outbox, Applier applier, RandomGenerator random) {
		return new Replica(cluster, index, options, state, storage, outbox, applier, random, EnumSet.of(bug.defect));
	}

	/** Like {@link Replica#recover}, with {@code bug} switched on. */
	public static Replica recover(Bug bug, Cluster cluster, int index, ReplicaOptions options, Storage storage,
			Outbox outbox, Applier applier, RandomGenerator random) {
		return new Replica(cluster, index, options, null, storage, outbox, applier, random, EnumSet.of(bug.defect));
	}

}
