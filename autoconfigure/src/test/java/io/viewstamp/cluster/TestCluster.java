package io.viewstamp.cluster;

import java.util.Map;

/**
 * A cluster of replicas running the key-value state machine, as the scenarios drive it; one
 * implementation runs in the simulator, the other on real threads, files and sockets.
 */
interface TestCluster extends AutoCloseable {

	/** The number of replicas. */
	int replicaCount();

	/**
	 * Puts {@code key = value} through a client beside replica {@code via}, and returns once it is
	 * acknowledged.
	 */
	void put(int via, String key, String value);

	/** The primary of the newest normal view, once there is one. */
	int primary();

	/** The view of replica {@code replica}. */
	long view(int replica);

	/** Stops replica {@code replica} without warning; its data directory stays. */
	void crash(int replica);

	/**
	 * Starts a crashed replica again from its data directory; while a load runs, callers start
	 * beside it again.
	 */
	void restart(int replica);

	/** Stops replica {@code replica}, loses its data directory, and starts it again empty. */
	void wipeAndRestart(int replica);

	/** Waits until every running replica is normal, has committed the same ops, and has the same state. */
	void awaitConverged();

	/** The value of {@code key} on replica {@code replica}. */
	String value(int replica, String key);

	/** The commands replica {@code replica} has applied. */
	long appliedCommands(int replica);

	/**
	 * Reads {@code key} as a {@code LOCAL} {@code @ReadOnly} method does: replica {@code via}'s state
	 * as it is, through a caller beside it, with no round trip.
	 */
	String readLocal(int via, String key);

	/**
	 * Reads {@code key} as a {@code LINEARIZABLE} {@code @ReadOnly} method does: a barrier through
	 * the log from a caller beside replica {@code via}, then that replica's state.
	 */
	String readLinearizable(int via, String key);

	/**
	 * Starts callers beside every running replica (and beside each replica that starts again while
	 * the load runs) that put keys {@code prefix-n}, each to a value no other put writes, each caller
	 * starting its next put once its last one ended. A caller's put ends acknowledged, or with an
	 * unknown outcome (a timeout, an evicted session, its replica's crash).
	 */
	void startLoad(String prefix);

	/** Waits until the load's callers got {@code more} acknowledgements more than they had; the load goes on. */
	void awaitAcknowledged(int more);

	/** Stops the load, waits for the puts under way to end, and says how each ended. */
	LoadOutcome stopLoad();

	/**
	 * How the puts of a load ended.
	 * @param acknowledged the value of every acknowledged put, by key
	 * @param unknown the puts whose outcome the callers do not know: each may or may not be applied
	 * @param evicted of those, the puts that ended because the cluster evicted their session
	 */
	record LoadOutcome(Map<String, String> acknowledged, int unknown, int evicted) {
	}

	@Override
	void close();

}
