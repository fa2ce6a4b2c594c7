package io.viewstamp;

import java.util.List;

/**
 * The members of the cluster as of one epoch: epoch 0 is the cluster's first configuration (every
 * replica in {@code replication.peers} when it formed), and each change of members starts the next.
 *
 * @param epoch the epoch
 * @param members the members' indexes (positions in {@code replication.peers}), ascending
 */
public record ReplicationMembers(long epoch, List<Integer> members) {

	public ReplicationMembers {
		members = List.copyOf(members);
	}

}
