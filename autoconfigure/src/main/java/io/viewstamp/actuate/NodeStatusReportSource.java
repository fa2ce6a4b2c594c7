package io.viewstamp.actuate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import io.viewstamp.beans.BeanStateMachine;
import io.viewstamp.runtime.NodeStatus;
import io.viewstamp.runtime.ReplicationClient;
import io.viewstamp.storage.StorageStatistics;
import io.viewstamp.transport.PeerStatus;
import io.viewstamp.vsr.Configuration;
import org.jspecify.annotations.Nullable;

/**
 * The running replica's {@link NodeStatus}, as the endpoint and the health indicator show it.
 */
public final class NodeStatusReportSource implements ReplicationReportSource {

	private final Supplier<@Nullable NodeStatus> status;

	private final String clusterId;

	private final BeanStateMachine beans;

	private final Supplier<@Nullable ReplicationClient> client;

	/**
	 * A source of reports.
	 * @param status the replica's latest status, {@code null} while it does not run
	 * @param clusterId the configured cluster id
	 * @param beans the replicated beans' state machine, for their command counts
	 */
	public NodeStatusReportSource(Supplier<@Nullable NodeStatus> status, String clusterId, BeanStateMachine beans) {
		this(status, clusterId, beans, () -> null);
	}

	/**
	 * A source of reports.
	 * @param status the replica's latest status, {@code null} while it does not run
	 * @param clusterId the configured cluster id
	 * @param beans the replicated beans' state machine, for their command counts and names
	 * @param client the replica's client, {@code null} while it does not run, for the commands each
	 * peer does not know
	 */
	public NodeStatusReportSource(Supplier<@Nullable NodeStatus> status, String clusterId, BeanStateMachine beans,
			Supplier<@Nullable ReplicationClient> client) {
		this.status = status;
		this.clusterId = clusterId;
		this.beans = beans;
		this.client = client;
	}

	@Override
	public @Nullable ReplicationReport report() {
		NodeStatus status = this.status.get();
		if (status == null) {
			return null;
		}
		Map<Integer, List<String>> unknown = commandsUnknownByPeer();
		List<ReplicationReport.Peer> peers = status.peers()
			.stream()
			.filter((peer) -> peer.replica() != status.replica())
			.map((peer) -> peer(peer, status.acknowledgedOps(), unknown.getOrDefault(peer.replica(), List.of())))
			.toList();
		StorageStatistics storage = Objects.requireNonNull(status.storage(), "a running replica's status has it");
		ReplicationReport.Journal journal = new ReplicationReport.Journal(storage.journalFirstOp(),
				storage.journalLastOp(), storage.journalSizeBytes(), storage.bytesWritten(), storage.lastSnapshotOp());
		// The runtime reports as committed only what it has applied, so both numbers are the commit. The
		// page is the endpoint's to link (ReplicationEndpoint), as only the web application knows it.
		return new ReplicationReport(this.clusterId, status.replica(), status.replicaCount(), status.status().name(),
				status.view(), status.primary(), status.op(), status.commit(), status.commit(), status.stopped(),
				status.stopCause(), peers, journal, status.divergences(), status.lastDivergence(),
				status.lastStateCheckOp(), status.ignoredMessages(),
				this.beans.commandsApplied()
					.entrySet()
					.stream()
					.map((bean) -> new ReplicationReport.Bean(bean.getKey(), bean.getValue()))
					.toList(),
				members(status.configuration()), null);
	}

	private static ReplicationReport.Members members(Configuration configuration) {
		return new ReplicationReport.Members(configuration.epoch(), configuration.memberIndexes(),
				configuration.addresses());
	}

	/** Each peer's unknown commands, in name order; a peer that knows them all is absent. */
	private Map<Integer, List<String>> commandsUnknownByPeer() {
		ReplicationClient running = this.client.get();
		if (running == null) {
			return Map.of();
		}
		Map<Integer, List<String>> unknown = new TreeMap<>();
		for (String command : new TreeSet<>(this.beans.commandNames())) {
			running.replicasLacking(command)
				.keySet()
				.forEach((replica) -> unknown.computeIfAbsent(replica, (key) -> new ArrayList<>()).add(command));
		}
		return unknown;
	}

	private static ReplicationReport.Peer peer(PeerStatus peer, List<Long> acknowledgedOps, List<String> commandsUnknown) {
		long acknowledged = (peer.replica() < acknowledgedOps.size()) ? acknowledgedOps.get(peer.replica()) : -1;
		return new ReplicationReport.Peer(peer.replica(), peer.address().toString(), peer.connected(),
				(acknowledged >= 0) ? acknowledged : null, commandsUnknown);
	}

}
