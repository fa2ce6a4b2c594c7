package io.viewstamp.runtime;

import java.util.Collections;
import java.util.SortedMap;

import io.viewstamp.vsr.Cluster;
import io.viewstamp.vsr.Configuration;
import io.viewstamp.vsr.Request;

/**
 * What the client needs of the replica it runs beside; every call but {@link #replicasLacking} is
 * made on the replica's loop.
 */
interface ClientEnvironment {

	/**
	 * The members that, by their last handshake, do not know the command named {@code commandName};
	 * safe from any thread. None, unless the replica's state machine names its commands.
	 * @return index to address ({@code host:port}) of each
	 */
	default SortedMap<Integer, String> replicasLacking(String commandName) {
		return Collections.emptySortedMap();
	}

	/** The cluster the replica belongs to. */
	Cluster cluster();

	/** The local replica's index. */
	int localReplica();

	/** The local replica's view: where the client looks for the primary first. */
	long localView();

	/** The configuration of the local replica's epoch: who the members are, and so the primaries. */
	default Configuration localConfiguration() {
		return Configuration.initial(cluster().replicaCount());
	}

	/**
	 * Whether the local replica is normal in its view: once a newer view starts there, requests in
	 * flight go to its primary at once.
	 */
	boolean isLocalReplicaNormal();

	/**
	 * The highest op whose caller may be answered: applied by the local replica and held by its
	 * state machine, so that a read that follows sees it.
	 */
	long appliedOp();

	/**
	 * Hands {@code request} to replica {@code replica}: to the local one on a later loop step (never
	 * from within a call into it), else over the network.
	 */
	void sendRequest(int replica, Request request);

	/** How {@code result}, the primary's for op {@code op}, compares with what this replica computed for it. */
	AppliedResults.Comparison compareWithLocalResult(long op, byte[] result);

	/** Reports that this replica's state machine computed another result or state than the primary's. */
	void reportDivergence(String description);

	/** Reports that this replica's state was the primary's at {@code op} (a {@link StateChecks state check}). */
	void reportStateAgreed(long op);

	/** Runs {@code task} on the replica's loop. */
	void execute(Runnable task);

}
