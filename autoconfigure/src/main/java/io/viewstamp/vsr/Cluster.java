package io.viewstamp.vsr;

/**
 * The configuration every replica shares: the cluster id and how many replicas there are.
 * Replica {@code i} is the primary of every view {@code v} with {@code v mod replicaCount == i}.
 *
 * @param clusterId identifies the cluster; messages and logs of another cluster never mix in
 * @param replicaCount the number of replicas, {@code 2f + 1} to survive {@code f} failures
 */
public record Cluster(long clusterId, int replicaCount) {

	/** The most replicas this configuration supports. */
	public static final int REPLICAS_MAX = 16;

	public Cluster {
		Invariants.check(replicaCount >= 1 && replicaCount <= REPLICAS_MAX, "replica count %d outside 1..%d",
				replicaCount, REPLICAS_MAX);
	}

	/** The number of failures the cluster survives. */
	public int faultsMax() {
		return (this.replicaCount - 1) / 2;
	}

	/**
	 * Replicas that must hold an op (durably) before it commits, and that a view change needs: a
	 * majority, so that any two quorums share a replica. (For an odd count that is {@code f + 1};
	 * for an even count one more, since half of the replicas and the other half share none.)
	 */
	public int quorum() {
		return this.replicaCount / 2 + 1;
	}

	/** The primary of {@code view}. */
	public int primaryOf(long view) {
		return (int) Long.remainderUnsigned(view, this.replicaCount);
	}

}
