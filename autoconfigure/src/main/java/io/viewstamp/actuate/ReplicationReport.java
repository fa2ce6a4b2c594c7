package io.viewstamp.actuate;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * What the {@code replication} endpoint shows about this application's replica.
 *
 * @param clusterId the configured cluster name
 * @param replica this replica's index
 * @param replicaCount the number of replicas in the peer list (every host that may be a member; the
 * members themselves are in {@code configuration})
 * @param status {@code NORMAL}, {@code VIEW_CHANGE} or {@code RECOVERING}
 * @param view the replica's view
 * @param primary the primary of that view
 * @param opNumber the highest op in its log
 * @param commitNumber the highest op it has committed
 * @param appliedNumber the highest op it has applied (the runtime applies what it commits)
 * @param stopped whether the replica stopped
 * @param stopCause why it stopped on a failure, or {@code null}
 * @param peers the connection to each other replica
 * @param journal the journal's extent
 * @param divergences how many of the primary's results or states this replica's contradicted
 * @param lastDivergence the last such contradiction, described, or {@code null}
 * @param lastStateCheckOp the op of the last check at which this replica's whole state was the
 * primary's (their digests compared), 0 before the first
 * @param ignoredMessages the messages the replica ignored since it started, by reason (the tags of
 * {@link io.viewstamp.vsr.IgnoreReason})
 * @param beans each replicated bean with the commands applied to it since the process started
 * @param configuration the configuration of the replica's epoch: its epoch and members
 * @param page the path of the live cluster page this application serves, which shows this report
 * ({@link ReplicationPage}), or {@code null} when it serves none
 */
public record ReplicationReport(String clusterId, int replica, int replicaCount, String status, long view, int primary,
		long opNumber, long commitNumber, long appliedNumber, boolean stopped, @Nullable String stopCause,
		List<Peer> peers, Journal journal, long divergences, @Nullable String lastDivergence, long lastStateCheckOp,
		Map<String, Long> ignoredMessages, List<Bean> beans, Members configuration, @Nullable String page) {

	/**
	 * This report with a link to the page that shows it: the endpoint adds it, since only the web
	 * application knows whether it serves the page.
	 * @param page the page's path, or {@code null} for none
	 * @return this report when it already names that page, otherwise a copy that does
	 */
	public ReplicationReport withPage(@Nullable String page) {
		if (Objects.equals(page, this.page)) {
			return this;
		}
		return new ReplicationReport(this.clusterId, this.replica, this.replicaCount, this.status, this.view,
				this.primary, this.opNumber, this.commitNumber, this.appliedNumber, this.stopped, this.stopCause,
				this.peers, this.journal, this.divergences, this.lastDivergence, this.lastStateCheckOp,
				this.ignoredMessages, this.beans, this.configuration, page);
	}

	/**
	 * The configuration a replica is in: epoch 0 is the cluster's first, and each change of members
	 * starts the next.
	 *
	 * @param epoch the epoch
	 * @param members the members' indexes, in order
	 * @param addresses each member's address as the configuration records it, by index (a change of
	 * members records every member's; epoch 0 none)
	 */
	public record Members(long epoch, List<Integer> members, SortedMap<Integer, String> addresses) {

		public Members {
			members = List.copyOf(members);
			addresses = Collections.unmodifiableSortedMap(new TreeMap<>(addresses));
		}

		/** Members without recorded addresses, as epoch 0 has. */
		public Members(long epoch, List<Integer> members) {
			this(epoch, members, Collections.emptySortedMap());
		}

	}

	/**
	 * One {@code @Replicated} bean.
	 *
	 * @param name the bean's name, which names it in commands
	 * @param commandsApplied the commands applied to it on this replica since the process started
	 */
	public record Bean(String name, long commandsApplied) {
	}

	/**
	 * One other replica, as this one sees it.
	 *
	 * @param index the peer's index
	 * @param address where it listens, as {@code host:port}
	 * @param connected whether a connection with it is open
	 * @param lastAcknowledgedOp the highest op it has acknowledged as durable, as this replica knows
	 * when it is the primary; {@code null} on a backup, which does not know
	 * @param commandsUnknown this application's commands that the peer did not advertise at its last
	 * handshake: it runs another release, and they are refused until it runs this one (a rolling
	 * upgrade under way); empty when it knows them all, or has not been heard from since this
	 * replica started
	 */
	public record Peer(int index, String address, boolean connected, @Nullable Long lastAcknowledgedOp,
			List<String> commandsUnknown) {

		public Peer {
			commandsUnknown = List.copyOf(commandsUnknown);
		}

	}

	/**
	 * The journal of this replica.
	 *
	 * @param firstOp the lowest op the journal holds after the last snapshot, 0 when none
	 * @param lastOp the highest op it holds, 0 when none
	 * @param sizeBytes bytes of the journal's files now, what the last snapshot has not compacted away
	 * @param bytesWritten bytes written to the journal, superblock and snapshots since start
	 * @param lastSnapshotOp the op of the newest durable snapshot, 0 when none
	 */
	public record Journal(long firstOp, long lastOp, long sizeBytes, long bytesWritten, long lastSnapshotOp) {
	}

	/**
	 * Members that can take part in the protocol now: this replica if it is a member, and every
	 * connected peer that is one. (The peer list may name hosts that are not members.)
	 */
	public int replicasReachable() {
		List<Integer> members = this.configuration.members();
		int reachable = members.contains(this.replica) ? 1 : 0;
		return reachable + (int) this.peers.stream()
			.filter((peer) -> peer.connected() && members.contains(peer.index()))
			.count();
	}

	/** The number of members the protocol needs to make progress: a majority of the configuration's. */
	public int majority() {
		return this.configuration.members().size() / 2 + 1;
	}

	/** Whether this replica is a member of its configuration; one that is not is a spare, or was removed. */
	public boolean isMember() {
		return this.configuration.members().contains(this.replica);
	}

}
