package io.viewstamp.vsr;

import java.util.EnumSet;
import java.util.Set;

/**
 * The protocol's rules with some {@link Defect}s switched on: what the defective replicas and
 * clients of {@link DefectiveReplicas} and {@link DefectiveClients} run, so that the simulator can
 * show it catches each. The production code knows only {@link ProtocolRules}.
 */
final class DefectiveRules extends ProtocolRules {

	private final Set<Defect> defects;

	DefectiveRules(Set<Defect> defects) {
		this.defects = defects.isEmpty() ? EnumSet.noneOf(Defect.class) : EnumSet.copyOf(defects);
	}

	private boolean has(Defect defect) {
		return this.defects.contains(defect);
	}

	@Override
	boolean commitsOnlyByQuorum() {
		return !has(Defect.COMMIT_WITHOUT_QUORUM);
	}

	@Override
	long acknowledgeableOp(Log log) {
		return has(Defect.PREPARE_OK_BEFORE_DURABLE) ? log.op() : log.durableOp();
	}

	@Override
	boolean ranksLogViewFirst() {
		return !has(Defect.VIEW_CHANGE_LOG_BY_OP_ONLY);
	}

	@Override
	boolean votesOnlyOnceViewDurable() {
		return !has(Defect.DO_VIEW_CHANGE_BEFORE_VIEW_DURABLE);
	}

	@Override
	boolean cutsJournalBeyondLog() {
		return !has(Defect.STALE_JOURNAL_TAIL_KEPT);
	}

	@Override
	boolean acknowledgesOnlyOnceLogViewDurable() {
		return !has(Defect.ACKNOWLEDGE_BEFORE_LOG_VIEW_DURABLE);
	}

	@Override
	boolean recoversOnlyFromQuorum() {
		return !has(Defect.RECOVERY_WITHOUT_QUORUM);
	}

	@Override
	boolean takesLogViewOnlyOnceRepaired() {
		return !has(Defect.LOG_VIEW_BEFORE_REPAIR);
	}

	@Override
	int viewChangeQuorum(Configuration configuration) {
		return has(Defect.VIEW_CHANGE_QUORUM_ONE_SHORT) ? configuration.quorum() - 1 : configuration.quorum();
	}

	@Override
	boolean appliesOnlyWithinRepairedLog() {
		return !has(Defect.BACKUP_APPLIES_BEYOND_LOG);
	}

	@Override
	boolean runsEachRequestOnce() {
		return !has(Defect.CLIENT_TABLE_REEXECUTES_DUPLICATE);
	}

	@Override
	boolean checksHashChains() {
		return !has(Defect.HASH_CHAIN_UNCHECKED);
	}

	@Override
	boolean stopsBeforeLosingCommittedOps() {
		return !has(Defect.UNGUARDED);
	}

	@Override
	boolean clientAnswersOnlyAfterLocalApply() {
		return !has(Defect.CLIENT_ANSWERS_BEFORE_LOCAL_APPLY);
	}

	@Override
	boolean clientChecksIncarnation() {
		return !has(Defect.CLIENT_IGNORES_INCARNATION);
	}

	@Override
	public String toString() {
		return "DefectiveRules" + this.defects;
	}

}
