package io.viewstamp.runtime;

import io.viewstamp.vsr.Request;

/**
 * What the client needs of the replica it runs beside; every call is made on the replica's loop.
 */
interface ClientEnvironment {

	/** The number of replicas. */
	int replicaCount();

	/** The primary of {@code view}. */
	int primaryOf(long view);

	/** The local replica's view: where the client looks for the primary first. */
	long localView();

	/** The highest op the local replica has applied. */
	long appliedOp();

	/** Hands {@code request} to replica {@code replica}: to the local one directly, else over the network. */
	void sendRequest(int replica, Request request);

	/**
	 * Whether {@code result}, the primary's for op {@code op}, is one this replica computed for that
	 * op too ({@code true} when it does not remember the op).
	 */
	boolean agreesWithLocalResult(long op, byte[] result);

	/** Reports that this replica's state machine computed another result than the primary's. */
	void reportDivergence(String description);

	/** Runs {@code task} on the replica's loop. */
	void execute(Runnable task);

	/** The monotonic time, in nanoseconds. */
	long nanoTime();

}
