package io.viewstamp.autoconfigure;

import java.util.List;

import io.viewstamp.actuate.ReplicationReport;
import io.viewstamp.actuate.ReplicationReportSource;
import io.viewstamp.beans.BeanStateMachine;
import io.viewstamp.runtime.NodeStatus;
import io.viewstamp.storage.StorageStatistics;
import io.viewstamp.transport.PeerStatus;

/**
 * The running replica's {@link NodeStatus}, as the endpoint and the health indicator show it.
 * It lives here, not in the actuate package, because only this package may see the transport's
 * and the storage's types.
 */
final class NodeStatusReportSource implements ReplicationReportSource {

	private final ReplicaNodeLifecycle lifecycle;

	private final String clusterId;

	private final BeanStateMachine beans;

	NodeStatusReportSource(ReplicaNodeLifecycle lifecycle, String clusterId, BeanStateMachine beans) {
		this.lifecycle = lifecycle;
		this.clusterId = clusterId;
		this.beans = beans;
	}

	@Override
	public ReplicationReport report() {
		NodeStatus status = this.lifecycle.getStatus();
		if (status == null) {
			return null;
		}
		List<ReplicationReport.Peer> peers = status.peers()
			.stream()
			.filter((peer) -> peer.replica() != status.replica())
			.map((peer) -> peer(peer, status.acknowledgedOps()))
			.toList();
		StorageStatistics storage = status.storage();
		ReplicationReport.Journal journal = new ReplicationReport.Journal(storage.journalFirstOp(),
				storage.journalLastOp(), storage.journalSizeBytes(), storage.bytesWritten(), storage.lastSnapshotOp());
		// The runtime reports as committed only what it has applied, so both numbers are the commit.
		return new ReplicationReport(this.clusterId, status.replica(), status.replicaCount(), status.status().name(),
				status.view(), status.primary(), status.op(), status.commit(), status.commit(), status.stopped(),
				status.stopCause(), peers, journal, status.divergences(), status.lastDivergence(),
				status.lastStateCheckOp(), status.ignoredMessages(),
				this.beans.commandsApplied()
					.entrySet()
					.stream()
					.map((bean) -> new ReplicationReport.Bean(bean.getKey(), bean.getValue()))
					.toList());
	}

	private static ReplicationReport.Peer peer(PeerStatus peer, List<Long> acknowledgedOps) {
		long acknowledged = (peer.replica() < acknowledgedOps.size()) ? acknowledgedOps.get(peer.replica()) : -1;
		return new ReplicationReport.Peer(peer.replica(), peer.address().toString(), peer.connected(),
				(acknowledged >= 0) ? acknowledged : null);
	}

}
