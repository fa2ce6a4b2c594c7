package io.viewstamp.vsr;

/** Why a replica can not start handing its view to another ({@link Replica#transferPrimary}). */
public enum TransferRefusal {

	/** The target is not a replica of the configuration. */
	UNKNOWN_REPLICA,

	/** This replica is not the primary of a normal view: only the primary hands its view over. */
	NOT_PRIMARY,

	/** The target is this replica, the primary already. */
	ALREADY_PRIMARY,

	/** A change of the cluster's members is under way: the view moves with it. */
	CHANGE_UNDER_WAY

}
