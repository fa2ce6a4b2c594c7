package io.viewstamp.vsr;

/**
 * Deliberate protocol bugs, switched on only by tests, to show that the simulator's checkers catch
 * a replica that is wrong. A production replica always runs with none of them.
 */
enum Defect {

	/** The primary commits an op as soon as it prepared it, without waiting for a quorum. */
	COMMIT_WITHOUT_QUORUM,

	/** A backup acknowledges a prepare before its journal write completed. */
	PREPARE_OK_BEFORE_DURABLE,

	/** The new primary picks the do-view-change log with the highest op number, ignoring log views. */
	VIEW_CHANGE_LOG_BY_OP_ONLY,

	/** A replica votes (sends its do-view-change) before its new view is durable. */
	DO_VIEW_CHANGE_BEFORE_VIEW_DURABLE,

	/**
	 * A replica leaves journal entries past its log's head on disk (after a corrupt entry, or past
	 * the intact chain it loaded), where a later restart may read them back as part of a newer log.
	 */
	STALE_JOURNAL_TAIL_KEPT,

	/**
	 * A replica acknowledges ops of a new view (and a primary counts its own vote) once its view is
	 * durable, before its new log view is.
	 */
	ACKNOWLEDGE_BEFORE_LOG_VIEW_DURABLE,

	/** A recovering replica takes the primary's answer alone, without a quorum of answers. */
	RECOVERY_WITHOUT_QUORUM,

	/**
	 * A backup records the start-view's view as its log view as soon as the start-view arrives,
	 * while the repair that makes its log that view's is still to come.
	 */
	LOG_VIEW_BEFORE_REPAIR,

	/** View changes count one vote fewer than a quorum, for the start-view-changes and the do-view-changes. */
	VIEW_CHANGE_QUORUM_ONE_SHORT,

	/**
	 * A backup that must repair its log before it can install a start-view applies the start-view's
	 * commit number to the log it holds, whose uncommitted suffix may not be the view's.
	 */
	BACKUP_APPLIES_BEYOND_LOG,

	/**
	 * The client table runs a resend of a session's last request again instead of answering it with
	 * the stored reply, at the primary and when the op is applied.
	 */
	CLIENT_TABLE_REEXECUTES_DUPLICATE,

	/**
	 * A replica takes the log a view change or start-view offers without checking that it hangs
	 * on to its own log by the hash chain, and its {@link Log} appends entries that do not chain:
	 * a divergent entry of its own stays under the new view's entries.
	 */
	HASH_CHAIN_UNCHECKED,

	/**
	 * Not a bug but the absence of two backstops: the checks that stop a replica before it loses a
	 * committed op (a view's chosen log that lacks one, a truncation below the commit number) are
	 * off, so that the harm a defect does reaches the simulator's checkers instead of stopping at the
	 * replica's own assertion. Canary searches switch it on with every defect.
	 */
	UNGUARDED,

	/**
	 * A {@link Client} tells its caller the result as soon as the reply arrives, before its local
	 * replica has applied the op: the caller's next read there may miss its own write.
	 */
	CLIENT_ANSWERS_BEFORE_LOCAL_APPLY,

	/**
	 * A {@link Client} takes a register reply without checking that it echoes the session's
	 * incarnation: a client restarted with its predecessor's id takes the predecessor's session.
	 */
	CLIENT_IGNORES_INCARNATION

}
