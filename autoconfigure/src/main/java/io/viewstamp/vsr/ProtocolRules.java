package io.viewstamp.vsr;

/**
 * The protocol's rules at the points where the simulator's canaries break them, asked of one
 * object rather than tested as switches inside the protocol's logic. Every replica and client in
 * production uses {@link #STANDARD}; only the tests' defective replicas and clients (in this
 * package, test scope) supply another, to show that the simulator catches each broken rule.
 *
 * <p>Each method states the rule as the protocol keeps it. Package-private and not final only so
 * that those tests can override one rule at a time.
 */
class ProtocolRules {

	/** The rules as the protocol keeps them. */
	static final ProtocolRules STANDARD = new ProtocolRules();

	/** A primary commits an op only once a quorum holds it durably. */
	boolean commitsOnlyByQuorum() {
		return true;
	}

	/** The highest op a backup may acknowledge: only what its journal holds durably. */
	long acknowledgeableOp(Log log) {
		return log.durableOp();
	}

	/** A view change ranks logs by log view first, and by op number only within one log view. */
	boolean ranksLogViewFirst() {
		return true;
	}

	/** A replica votes (sends its do-view-change) only once its new view is durable. */
	boolean votesOnlyOnceViewDurable() {
		return true;
	}

	/** Journal entries past the log's intact head are cut from the journal, never left for a restart to read back. */
	boolean cutsJournalBeyondLog() {
		return true;
	}

	/** Acknowledgements (and a primary's own vote) count only once the log view, not just the view, is durable. */
	boolean acknowledgesOnlyOnceLogViewDurable() {
		return true;
	}

	/** A recovering replica needs a quorum of answers, not the primary's alone. */
	boolean recoversOnlyFromQuorum() {
		return true;
	}

	/** A backup takes a start-view's view as its log view only once its repair made its log that view's. */
	boolean takesLogViewOnlyOnceRepaired() {
		return true;
	}

	/**
	 * The votes a view change needs.
	 * @param configuration the configuration of the view's epoch
	 * @return a quorum of it
	 */
	int viewChangeQuorum(Configuration configuration) {
		return configuration.quorum();
	}

	/** A backup applies a start-view's commit number only to the log it has repaired to that view's. */
	boolean appliesOnlyWithinRepairedLog() {
		return true;
	}

	/** The client table runs each request once: a request prepared twice is answered, not run again. */
	boolean runsEachRequestOnce() {
		return true;
	}

	/** A replica checks that a log it takes is one hash chain, and that its own is. */
	boolean checksHashChains() {
		return true;
	}

	/**
	 * A replica stops (with an invariant violation) rather than lose a committed op; the defective
	 * replicas run without this backstop, so that the simulator, not the replica, catches them.
	 */
	boolean stopsBeforeLosingCommittedOps() {
		return true;
	}

	/** A client on a replica answers its caller only once that replica has applied the op. */
	boolean clientAnswersOnlyAfterLocalApply() {
		return true;
	}

	/** A client takes a registration reply only when it echoes the client's own incarnation. */
	boolean clientChecksIncarnation() {
		return true;
	}

}
