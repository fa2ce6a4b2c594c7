package io.viewstamp.vsr;

/**
 * Why a {@link Client} finished a submission without its result, and what the caller knows of its
 * outcome. Only {@link #NOT_SENT} says that the command was not applied; only
 * {@link #COMMITTED_NOT_APPLIED} says that it was.
 */
public enum ClientFailure {

	/** The timeout passed before a session was free to carry the command: it was never sent. */
	NOT_SENT,

	/**
	 * The timeout passed while the request was in flight: it may still commit, once (its session
	 * keeps resending it, so the client table answers a late commit instead of applying it again).
	 */
	OUTCOME_UNKNOWN,

	/**
	 * The command committed (the primary's reply arrived), but the local replica had not applied it
	 * by the timeout, so its result can not be given without breaking read-your-writes. It will be
	 * applied, once: a caller must not submit it again.
	 */
	COMMITTED_NOT_APPLIED,

	/** The cluster evicted the session while the request was in flight: it may or may not have committed. */
	SESSION_EVICTED,

	/** The client stopped (its replica stopped or closed): a request in flight may or may not commit. */
	STOPPED

}
