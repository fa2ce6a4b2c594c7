package io.viewstamp.sim;

/**
 * Moments of the protocol at which a crash does the most harm, so that the fault injector can time
 * crashes to them instead of spreading crashes uniformly over ticks: a uniform crash seldom falls
 * in the few ticks between a vote and the write that makes it durable.
 */
public enum ProtocolEvent {

	/** A replica sent a start-view-change: it gave up on its view. */
	START_VIEW_CHANGE_SENT,

	/** A replica sent its do-view-change: its vote, with its log. */
	DO_VIEW_CHANGE_SENT,

	/** A new primary sent its start-view. */
	START_VIEW_SENT,

	/** A backup handled a start-view (installed it, or began the repair it needs). */
	START_VIEW_RECEIVED,

	/** A backup acknowledged prepares. */
	PREPARE_OK_SENT,

	/** A replica asked for its superblock to be written: the new view or log view is not durable yet. */
	SUPERBLOCK_REQUESTED,

	/** A replica's superblock write completed. */
	SUPERBLOCK_WRITTEN,

	/** A replica answered a recovering replica. */
	RECOVERY_RESPONSE_SENT

}
