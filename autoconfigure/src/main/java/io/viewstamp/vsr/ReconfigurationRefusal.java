package io.viewstamp.vsr;

/** Why a replica can not start a change of the cluster's members ({@link Replica#reconfigure}). */
public enum ReconfigurationRefusal {

	/** The members asked for are none, or outside the index space of {@link Cluster#REPLICAS_MAX}. */
	INVALID_MEMBERS,

	/** This replica is not the primary of a normal view: only the primary changes the members. */
	NOT_PRIMARY,

	/** The members asked for are the members already. */
	ALREADY_MEMBERS,

	/** Another change, or a hand-over of the primary's view, is under way: one at a time. */
	CHANGE_UNDER_WAY,

	/**
	 * Fewer members of the new configuration than its quorum have acknowledged this primary's
	 * recent ops: the new configuration could commit nothing. Start the missing members first, or
	 * change fewer at once.
	 */
	NO_QUORUM

}
