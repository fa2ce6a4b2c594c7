package io.viewstamp.vsr;

import java.util.EnumSet;
import java.util.random.RandomGenerator;

/**
 * Builds replicas with a deliberate protocol bug, so that tests can show the simulator's checkers
 * catch it. The defects live in the test-only {@link Defect}, and reach the replica as the
 * {@link ProtocolRules} it asks ({@link DefectiveRules}); this is the only way in. Every
 * defective replica also runs {@link Defect#UNGUARDED}: without the backstops that stop a replica
 * before it loses a committed op, so that what catches the bug is the simulator, not the replica.
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
		VIEW_CHANGE_LOG_BY_OP_ONLY(Defect.VIEW_CHANGE_LOG_BY_OP_ONLY),

		/** A replica votes in a view change before its new view is durable. */
		DO_VIEW_CHANGE_BEFORE_VIEW_DURABLE(Defect.DO_VIEW_CHANGE_BEFORE_VIEW_DURABLE),

		/** Journal entries past the log's head stay on disk, for a restart to read back. */
		STALE_JOURNAL_TAIL_KEPT(Defect.STALE_JOURNAL_TAIL_KEPT),

		/** Acknowledgements of a new view's ops count while only the view, not the log view, is durable. */
		ACKNOWLEDGE_BEFORE_LOG_VIEW_DURABLE(Defect.ACKNOWLEDGE_BEFORE_LOG_VIEW_DURABLE),

		/** A recovering replica takes the primary's answer without a quorum. */
		RECOVERY_WITHOUT_QUORUM(Defect.RECOVERY_WITHOUT_QUORUM),

		/** A backup takes the start-view's view as its log view before the repair that makes it true. */
		LOG_VIEW_BEFORE_REPAIR(Defect.LOG_VIEW_BEFORE_REPAIR),

		/** View changes count one vote fewer than a quorum. */
		VIEW_CHANGE_QUORUM_ONE_SHORT(Defect.VIEW_CHANGE_QUORUM_ONE_SHORT),

		/** A backup applies a start-view's commit number to a log it has not repaired yet. */
		BACKUP_APPLIES_BEYOND_LOG(Defect.BACKUP_APPLIES_BEYOND_LOG),

		/** The client table lets a request prepared twice run twice. */
		CLIENT_TABLE_REEXECUTES_DUPLICATE(Defect.CLIENT_TABLE_REEXECUTES_DUPLICATE),

		/** A replica takes a view's log without checking that it chains to its own, nor does its log. */
		HASH_CHAIN_UNCHECKED(Defect.HASH_CHAIN_UNCHECKED);

		private final Defect defect;

		Bug(Defect defect) {
			this.defect = defect;
		}

	}

	/** Like {@link Replica#restart}, with {@code bug} switched on. */
	public static Replica restart(Bug bug, Cluster cluster, int index, ReplicaOptions options, DurableState state,
			Storage storage, Outbox outbox, Applier applier, RandomGenerator random) {
		return new Replica(cluster, index, options, state, storage, outbox, applier, random,
				new DefectiveRules(EnumSet.of(bug.defect, Defect.UNGUARDED)));
	}

	/** Like {@link Replica#recover}, with {@code bug} switched on. */
	public static Replica recover(Bug bug, Cluster cluster, int index, ReplicaOptions options, Storage storage,
			Outbox outbox, Applier applier, RandomGenerator random) {
		return new Replica(cluster, index, options, null, storage, outbox, applier, random,
				new DefectiveRules(EnumSet.of(bug.defect, Defect.UNGUARDED)));
	}

}
