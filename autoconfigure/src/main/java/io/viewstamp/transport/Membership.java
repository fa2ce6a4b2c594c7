package io.viewstamp.transport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.viewstamp.transport.Handshake.Accepted;
import io.viewstamp.transport.Handshake.Hello;
import io.viewstamp.vsr.Cluster;

/**
 * Who this replica is and who its peers are, and the handshake rules that follow: both ends of a
 * connection have the same cluster id, and the lower index dials the higher one, so every pair of
 * replicas has exactly one connection. The checks return the problem in words fit for both logs.
 *
 * @param clusterId the cluster id every replica shares
 * @param replica this replica's index
 * @param addresses the addresses this replica starts with (its peer list), in index order, this one's
 * included; the transport learns more as the cluster's members change
 * @param holdsData whether this replica's data directory holds a replica's state, as its handshakes say now
 * @param commands the commands this replica's application knows, as its handshakes say now
 */
record Membership(long clusterId, int replica, List<PeerAddress> addresses, BooleanSupplier holdsData,
		Supplier<CommandCatalog> commands) {

	private static final String SAME_PEER_LIST = "check that every replica has the same peer list "
			+ "(replication.peers), in the same order";

	Membership {
		addresses = List.copyOf(addresses);
	}

	/**
	 * Checks a configuration.
	 * @throws TransportException when it is inconsistent, saying what to change
	 */
	static Membership of(long clusterId, int replica, List<PeerAddress> peers) {
		return of(clusterId, replica, peers, () -> true, () -> CommandCatalog.EMPTY);
	}

	/**
	 * Checks a configuration, of a replica whose handshakes say what {@code holdsData} and
	 * {@code commands} say at the time.
	 * @throws TransportException when it is inconsistent, saying what to change
	 */
	static Membership of(long clusterId, int replica, List<PeerAddress> peers, BooleanSupplier holdsData,
			Supplier<CommandCatalog> commands) {
		if (peers.isEmpty()) {
			throw new TransportException("The peer list is empty: list every replica's host:port, this one's included");
		}
		if (peers.size() > Cluster.REPLICAS_MAX) {
			throw new TransportException("The peer list has " + peers.size() + " addresses, more than the "
					+ Cluster.REPLICAS_MAX + " replicas a cluster may have: list at most " + Cluster.REPLICAS_MAX
					+ " addresses");
		}
		if (replica < 0 || replica >= peers.size()) {
			throw new TransportException("Replica index " + replica + " is outside the peer list's 0.."
					+ (peers.size() - 1) + ": set replication.replica to this replica's position in replication.peers");
		}
		Map<String, Integer> indexes = new HashMap<>();
		List<PeerAddress> addresses = new ArrayList<>(peers.size());
		for (int index = 0; index < peers.size(); index++) {
			PeerAddress address = peers.get(index);
			if (address == null) {
				throw new TransportException("The peer list has no address for replica " + index + ": give every "
						+ "replica's host:port");
			}
			// Host names are case-insensitive, so LOCALHOST:7401 and localhost:7401 are one address.
			Integer previous = indexes.putIfAbsent(address.toString().toLowerCase(Locale.ROOT), index);
			if (previous != null) {
				throw new TransportException("The peer list names " + address + " twice (replicas " + previous + " and "
						+ index + "): every replica needs an address of its own");
			}
			addresses.add(address);
		}
		return new Membership(clusterId, replica, addresses, holdsData, commands);
	}

	/** The number of replicas. */
	int size() {
		return this.addresses.size();
	}

	/** This replica's address. */
	PeerAddress localAddress() {
		return this.addresses.get(this.replica);
	}

	/**
	 * What is wrong with a dialer's hello, seen from this replica as the acceptor.
	 * @return the problem, or empty when the dialer may connect
	 */
	Optional<String> problemWithHello(Hello hello) {
		if (hello.clusterId() != this.clusterId) {
			return Optional.of(clusterProblem("claims", hello.clusterId()));
		}
		if (hello.dialer() < 0 || hello.dialer() >= Cluster.REPLICAS_MAX) {
			return Optional.of("the peer claims to be replica " + hello.dialer() + ", but a cluster has replicas "
					+ "0.." + (Cluster.REPLICAS_MAX - 1) + ": " + SAME_PEER_LIST);
		}
		if (hello.dialer() >= this.replica) {
			return Optional.of("the peer claims to be replica " + hello.dialer() + " and dials replica " + this.replica
					+ ", but only a lower index dials a higher one: " + SAME_PEER_LIST);
		}
		if (hello.acceptor() != this.replica) {
			return Optional.of("the peer, replica " + hello.dialer() + ", believes it dials replica " + hello.acceptor()
					+ ", but this is replica " + this.replica + " (" + localAddress() + "): " + SAME_PEER_LIST);
		}
		return Optional.empty();
	}

	/**
	 * What is wrong with an acceptor's answer, seen from this replica as the dialer.
	 * @param dialed the index this replica dialed
	 * @param at the address it dialed
	 * @return the problem, or empty when the connection is good
	 */
	Optional<String> problemWithAccepted(int dialed, PeerAddress at, Accepted accepted) {
		if (accepted.clusterId() != this.clusterId) {
			return Optional.of(clusterProblem("answers with", accepted.clusterId()));
		}
		if (accepted.acceptor() != dialed) {
			return Optional.of("the peer answers as replica " + accepted.acceptor() + ", but replica " + this.replica
					+ " dialed replica " + dialed + " at " + at + ": " + SAME_PEER_LIST);
		}
		return Optional.empty();
	}

	private String clusterProblem(String verb, long peerClusterId) {
		return "the peer " + verb + " cluster id " + peerClusterId + ", this replica belongs to cluster "
				+ this.clusterId + ": check replication.cluster-id on both";
	}

}
