package io.viewstamp.vsr;

/**
 * The metadata a replica must not forget across a restart: the promises it made (it never acts in
 * a view below {@code view}), which view its log belongs to, and the configuration of its epoch.
 *
 * @param clusterId the cluster this replica belongs to
 * @param replica this replica's index
 * @param configuration the configuration of the replica's epoch: who the members are
 * @param view the highest view this replica has taken part in
 * @param logView the last view in which this replica's status was normal; its log is that view's
 * @param commit the highest op this replica knows to be committed (may be stale; only a hint)
 */
public record Superblock(long clusterId, int replica, Configuration configuration, long view, long logView,
		long commit) {

	public Superblock {
		Invariants.check(configuration != null, "a superblock has a configuration");
		Invariants.check(replica >= 0 && replica < Cluster.REPLICAS_MAX, "replica index %d outside 0..%d", replica,
				Cluster.REPLICAS_MAX - 1);
		Invariants.check(logView <= view, "log view %d is ahead of view %d", logView, view);
		Invariants.check(commit >= 0, "commit number must not be negative");
	}

	/** The superblock of a replica of a cluster's first configuration, of {@code replicaCount} members. */
	public Superblock(long clusterId, int replica, int replicaCount, long view, long logView, long commit) {
		this(clusterId, replica, Configuration.initial(replicaCount), view, logView, commit);
	}

}
