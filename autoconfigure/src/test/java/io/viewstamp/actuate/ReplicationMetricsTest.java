package io.viewstamp.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.viewstamp.runtime.NodeStatus;
import io.viewstamp.vsr.IgnoreReason;
import io.viewstamp.vsr.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the {@code replication.*} meters of {@link ReplicationMetrics} show of a replica's status.
 */
class ReplicationMetricsTest {

	private final AtomicReference<NodeStatus> status = new AtomicReference<>();

	private final MeterRegistry registry = new SimpleMeterRegistry();

	ReplicationMetricsTest() {
		new ReplicationMetrics(this.status::get, 0, 3).bindTo(this.registry);
	}

	@Test
	void whenTheReplicaDoesNotRunThenGaugesAreNaNAndCountersZero() {
		assertThat(gauge("replication.view")).isNaN();
		assertThat(gauge("replication.op")).isNaN();
		assertThat(gauge("replication.status")).isNaN();
		assertThat(this.registry.get("replication.commits").functionCounter().count()).isZero();
		assertThat(lag("1")).isNaN();
	}

	@Test
	void whenThisReplicaIsThePrimaryThenEachPeerLagsByTheOpsItHasNotAcknowledged() {
		this.status.set(status(Status.NORMAL, 0, 10, false, List.of(10L, 7L, -1L)));
		assertThat(lag("1")).isEqualTo(3);
		// Not heard from in this view: no lag can be told.
		assertThat(lag("2")).isNaN();
		assertThat(this.registry.find("replication.peer.lag").tag("peer", "0").gauge()).isNull();
		assertThat(gauge("replication.op")).isEqualTo(10);
		assertThat(gauge("replication.status")).isZero();
	}

	@Test
	void whenThisReplicaIsABackupThenLagIsNaN() {
		this.status.set(status(Status.NORMAL, 1, 10, false, List.of(-1L, -1L, -1L)));
		assertThat(lag("1")).isNaN();
		assertThat(lag("2")).isNaN();
	}

	@Test
	void whenTheReplicaStopsThenCountersKeepTheirValueAndStatusSaysStopped() {
		this.status.set(status(Status.VIEW_CHANGE, 0, 10, false, List.of(-1L, -1L, -1L)));
		assertThat(gauge("replication.status")).isEqualTo(1);
		assertThat(this.registry.get("replication.commits").functionCounter().count()).isEqualTo(8);
		assertThat(this.registry.get("replication.view.changes").functionCounter().count()).isEqualTo(4);
		this.status.set(status(Status.NORMAL, 0, 10, true, List.of(-1L, -1L, -1L)));
		assertThat(gauge("replication.status")).isEqualTo(3);
		this.status.set(null);
		assertThat(this.registry.get("replication.commits").functionCounter().count()).isEqualTo(8);
		assertThat(this.registry.get("replication.view.changes").functionCounter().count()).isEqualTo(4);
	}

	@Test
	void refusedConnectionsAreCountedByReasonAndNeverGoDown() {
		assertThat(refused("secret")).isZero();
		this.status.set(status(Status.NORMAL, 0, 10, false, List.of(-1L, -1L, -1L), Map.of("secret", 3L, "cluster", 1L)));
		assertThat(refused("secret")).isEqualTo(3);
		assertThat(refused("cluster")).isEqualTo(1);
		assertThat(refused("timeout")).isZero();
		this.status.set(null);
		assertThat(refused("secret")).isEqualTo(3);
	}

	@Test
	void ignoredMessagesAreCountedByReasonAndNeverGoDown() {
		assertThat(ignored("prepare-ok-not-primary")).isZero();
		NodeStatus base = status(Status.NORMAL, 0, 10, false, List.of(-1L, -1L, -1L));
		this.status.set(new NodeStatus(base.replica(), base.replicaCount(), base.status(), base.view(), base.primary(),
				base.op(), base.commit(), base.clientSessions(), base.stopped(), base.stopCause(), base.peers(),
				base.storage(), base.acknowledgedOps(), base.divergences(), base.lastDivergence(),
				base.lastStateCheckOp(), base.peerRefusals(),
				NodeStatus.ignoreCounts(Map.of(IgnoreReason.PREPARE_OK_NOT_PRIMARY, 5L, IgnoreReason.REQUEST_QUEUE_FULL, 2L)),
				base.configuration()));
		assertThat(ignored("prepare-ok-not-primary")).isEqualTo(5);
		assertThat(ignored("request-queue-full")).isEqualTo(2);
		assertThat(ignored("not-from-primary")).isZero();
		this.status.set(null);
		assertThat(ignored("prepare-ok-not-primary")).isEqualTo(5);
	}

	@Test
	void whenRecoveringThenStatusIsTwo() {
		this.status.set(status(Status.RECOVERING, 0, 0, false, List.of(-1L, -1L, -1L)));
		assertThat(gauge("replication.status")).isEqualTo(2);
	}

	private double refused(String reason) {
		return this.registry.get("replication.peer.refused").tag("reason", reason).functionCounter().count();
	}

	private double ignored(String reason) {
		return this.registry.get("replication.messages.ignored").tag("reason", reason).functionCounter().count();
	}

	private double gauge(String name) {
		return this.registry.get(name).gauge().value();
	}

	private double lag(String peer) {
		return this.registry.get("replication.peer.lag").tag("peer", peer).gauge().value();
	}

	/** Replica 0 of 3 in view 4, with {@code commit} two ops behind {@code op}. */
	private static NodeStatus status(Status status, int primary, long op, boolean stopped, List<Long> acknowledged) {
		return status(status, primary, op, stopped, acknowledged, Map.of());
	}

	private static NodeStatus status(Status status, int primary, long op, boolean stopped, List<Long> acknowledged,
			Map<String, Long> refusals) {
		Map<String, Long> peerRefusals = new LinkedHashMap<>();
		NodeStatus.PEER_REFUSAL_REASONS.forEach((reason) -> peerRefusals.put(reason, refusals.getOrDefault(reason, 0L)));
		return new NodeStatus(0, 3, status, 4, primary, op, Math.max(0, op - 2), 0, stopped, null, List.of(), null,
				acknowledged, 0, null, 0, peerRefusals, NodeStatus.ignoreCounts(Map.of()),
				io.viewstamp.vsr.Configuration.initial(3));
	}

}
