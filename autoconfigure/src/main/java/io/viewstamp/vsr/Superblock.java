package io.viewstamp.vsr;

/**
 * The metadata a replica must not forget across a restart: the promises it made (it never acts in
 * a view below {@code view}) and which view its log belongs to.
 *
 * @param clusterId the cluster this replica belongs to
 * @param replica this replica's index
 * @param replicaCount the number of replicas in the configuration
 * @param view the highest view this replica has taken part in
 * @param logView the last view in which this replica's status was normal; its log is that view's
 * @param commit the highest op this replica knows to be committed (may be stale; only a hint)
 */
public record Superblock(long clusterId, int replica, int replicaCount, long view, long logView, long commit) {

	public Superblock {
		Invariants.check(replicaCount >= 1, "a cluster has at least one replica");
		Invariants.check(replica >= 0 && replica < replicaCount, "replica index %d outside 0..%d", replica,
				replicaCount - 1);
		Invariants.check(logView <= view, "log view %d is ahead of view %d", logView, view);
		Invariants.check(commit >= 0, "commit number must not be negative");
	}

}
