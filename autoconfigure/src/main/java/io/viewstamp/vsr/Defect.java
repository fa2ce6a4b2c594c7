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
