package io.viewstamp.runtime;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.viewstamp.runtime.InvalidNodeConfigurationException.Problem;
import io.viewstamp.transport.PeerAddress;
import io.viewstamp.vsr.Cluster;

/**
 * Who this replica is: the cluster it belongs to, its index, every replica's address (the same
 * list, in the same order, on every replica) and where its data lives.
 *
 * @param clusterId the cluster id; replicas and data directories of another cluster are refused
 * @param replica this replica's index in {@code peers}
 * @param peers the address of every replica, this one included; empty for a single replica that
 * needs no network
 * @param dataDirectory the directory of this replica's journal, superblock and snapshots
 */
public record NodeConfiguration(long clusterId, int replica, List<PeerAddress> peers, Path dataDirectory) {

	public NodeConfiguration {
		Objects.requireNonNull(peers, "peers");
		Objects.requireNonNull(dataDirectory, "dataDirectory");
		peers = List.copyOf(peers);
		if (peers.size() > Cluster.REPLICAS_MAX) {
			throw new InvalidNodeConfigurationException(Problem.TOO_MANY_PEERS,
					peers.size() + " peers are configured, more than the " + Cluster.REPLICAS_MAX
							+ " replicas a cluster may have: list at most " + Cluster.REPLICAS_MAX + " addresses",
					-1, -1);
		}
		int replicaCount = Math.max(1, peers.size());
		if (replica < 0 || replica >= replicaCount) {
			throw new InvalidNodeConfigurationException(Problem.REPLICA_OUTSIDE_PEERS, "Replica index " + replica
					+ " is outside the " + replicaCount + " configured peers: use an index from 0 to " + (replicaCount - 1)
					+ ", the position of this replica's own address in the peer list", replica, -1);
		}
		Map<PeerAddress, Integer> seen = new HashMap<>();
		for (int index = 0; index < peers.size(); index++) {
			Integer first = seen.putIfAbsent(peers.get(index), index);
			if (first != null) {
				throw new InvalidNodeConfigurationException(Problem.PEER_LISTED_TWICE, "Peer " + peers.get(index)
						+ " is listed twice in " + peers + ": every replica needs an address of its own", index, first);
			}
		}
	}

	/** The number of replicas in the cluster. */
	public int replicaCount() {
		return Math.max(1, this.peers.size());
	}

	/** The cluster as the protocol sees it. */
	Cluster cluster() {
		return new Cluster(this.clusterId, replicaCount());
	}

}
