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

	/** How {@code result}, the primary's for op {@code op}, compares with what this replica computed for it. */
	AppliedResults.Comparison compareWithLocalResult(long op, byte[] result);

	/** Reports that this replica's state machine computed another result or state than the primary's. */
	void reportDivergence(String description);

	/** Reports that this replica's state was the primary's at {@code op} (a {@link StateChecks state check}). */
	void reportStateAgreed(long op);

	/** Runs {@code task} on the replica's loop. */
	void execute(Runnable task);

	/** The monotonic time, in nanoseconds. */
	long nanoTime();

}
