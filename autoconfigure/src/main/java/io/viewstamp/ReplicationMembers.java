package io.viewstamp;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The members of the cluster as of one epoch: epoch 0 is the cluster's first configuration (every
 * replica in {@code replication.peers} when it formed), and each change of members starts the next.
 *
 * @param epoch the epoch
 * @param members the members' indexes (positions in {@code replication.peers}), ascending
 * @param addresses each member's {@code host:port} as the committed configuration records it, by
 * index: a change of members records every member's, so that no peer list has to be edited; epoch 0
 * records none (the peer lists the cluster formed with are its addresses)
 */
public record ReplicationMembers(long epoch, List<Integer> members, SortedMap<Integer, String> addresses) {

	public ReplicationMembers {
		members = List.copyOf(members);
		addresses = Collections.unmodifiableSortedMap(new TreeMap<>(addresses));
	}

	/** Members without recorded addresses, as epoch 0 has. */
	public ReplicationMembers(long epoch, List<Integer> members) {
		this(epoch, members, Collections.emptySortedMap());
	}

}
