package io.viewstamp.cluster;

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

	/** Starts a crashed replica again from its data directory. */
	void restart(int replica);

	/** Stops replica {@code replica}, loses its data directory, and starts it again empty. */
	void wipeAndRestart(int replica);

	/** Waits until every running replica is normal, has committed the same ops, and has the same state. */
	void awaitConverged();

	/** The value of {@code key} on replica {@code replica}. */
	String value(int replica, String key);

	/** The commands replica {@code replica} has applied. */
	long appliedCommands(int replica);

	@Override
	void close();

}
