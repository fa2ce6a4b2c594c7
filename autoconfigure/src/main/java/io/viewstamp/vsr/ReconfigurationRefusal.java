package io.viewstamp.vsr;

/**
 * Why a replica can not start a change of the cluster's members ({@link MemberChanges#start}), or,
 * for the last two, why a change it started was given up ({@link MemberChanges#givenUp}).
 */
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
	 * Given up: fewer members of the new configuration than its quorum acknowledged this primary's
	 * head within the deadline, so the new configuration could commit nothing. Start the missing
	 * members first, or change fewer at once.
	 */
	NO_QUORUM,

	/**
	 * Given up: a new member did not acknowledge what was committed when the change was asked
	 * within the deadline (it is not running, not connected, or still catching up).
	 */
	NEW_MEMBERS_BEHIND

}
