package io.viewstamp.vsr;

/**
 * Why a replica ignored a message, named at the guard that drops it (TigerBeetle's replica names
 * its reasons the same way). Each is counted ({@link Replica#ignoredMessages()}), so that an
 * operator can see what a replica turns away: a few of each during view changes and restarts are
 * the protocol at work; a steady stream points at a peer that is stuck in an old view, a client
 * that talks to a backup, or a pipeline that is full.
 */
public enum IgnoreReason {

	/**
	 * A request reached a replica that does not take requests now: a backup, or a replica changing
	 * views. (A new primary still applying what it inherited keeps requests until it has.)
	 */
	REQUEST_NOT_SERVING("request-not-serving"),

	/** A request of a client that already has one in the pipeline; the client resends until it is answered. */
	REQUEST_IN_FLIGHT("request-in-flight"),

	/** A request number that skips ahead of the session's next. */
	REQUEST_OUT_OF_ORDER("request-out-of-order"),

	/** The primary's queue of requests waiting for the pipeline is full: the cluster does not keep up. */
	REQUEST_QUEUE_FULL("request-queue-full"),

	/**
	 * A request that reached a primary handing its view to another: the client resends it to the
	 * next primary.
	 */
	REQUEST_PRIMARY_HANDING_OVER("request-primary-handing-over"),

	/**
	 * A request that reached a primary whose epoch ends: it prepared a change of members and prepares
	 * nothing after it. The client resends it to the new epoch's primary.
	 */
	REQUEST_EPOCH_CHANGING("request-epoch-changing"),

	/** A PrepareOk that reached a replica that is not the normal primary of its view. */
	PREPARE_OK_NOT_PRIMARY("prepare-ok-not-primary"),

	/** A PrepareOk for an entry this primary's log does not hold (of another chain). */
	PREPARE_OK_UNKNOWN_ENTRY("prepare-ok-unknown-entry"),

	/** A prepare or commit that is not from the primary of a view this replica follows. */
	NOT_FROM_PRIMARY("not-from-primary"),

	/**
	 * A prepare or commit of a newer view, or during a view change: the replica asks for the
	 * start-view instead.
	 */
	AWAITING_START_VIEW("awaiting-start-view"),

	/** A prepare whose entry fails its checksum. */
	PREPARE_CORRUPT("prepare-corrupt"),

	/** A recovery request this replica can not answer: it is not normal, or has not heard its view's peers. */
	RECOVERY_NOT_ANSWERABLE("recovery-not-answerable"),

	/** A recovery response to another round, or that arrives when this replica no longer needs one. */
	RECOVERY_RESPONSE_STALE("recovery-response-stale"),

	/** A message from a replica that is not a member of this replica's configuration. */
	NOT_A_MEMBER("not-a-member"),

	/**
	 * A message of an older or newer epoch than this replica's: it is answered with the news of the
	 * newer epoch (a start-epoch), or asks for it, instead.
	 */
	OTHER_EPOCH("other-epoch");

	private final String tag;

	IgnoreReason(String tag) {
		this.tag = tag;
	}

	/**
	 * The reason as a meter tag and a key of the actuator endpoint.
	 * @return lower case words joined by hyphens
	 */
	public String tag() {
		return this.tag;
	}

}
