package io.viewstamp.actuate;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.viewstamp.runtime.NodeStatus;
import io.viewstamp.vsr.Status;
import org.jspecify.annotations.Nullable;

/**
 * The replica's progress as Micrometer meters, each read from its latest {@link NodeStatus} when
 * the registry samples it, so that the replica does no work for metrics on its own path:
 * <ul>
 * <li>{@code replication.commits}: function counter, the highest op committed and applied. The op
 * numbers count every committed operation since the cluster began, so the counter is monotonic
 * and its rate is the commit throughput.</li>
 * <li>{@code replication.view.changes}: function counter on the view number. Each view change
 * raises the view by at least one, so its increase counts the view changes (a view that was
 * started by no one and skipped counts too).</li>
 * <li>{@code replication.view} and {@code replication.op}: gauges, the current view and the
 * highest op in the log.</li>
 * <li>{@code replication.status}: gauge, 0 normal, 1 view change, 2 recovering, 3 stopped.</li>
 * <li>{@code replication.peer.lag}: gauge per other replica, tagged {@code peer} with its index,
 * the ops of this replica's log that the peer has not acknowledged. Only the primary knows what
 * its backups acknowledged, so it is NaN on a backup or while a view changes.</li>
 * <li>{@code replication.peer.refused}: function counter per reason, tagged {@code reason}
 * ({@code cluster}, {@code version}, {@code peer-list}, {@code secret}, {@code tls},
 * {@code malformed}, {@code timeout}), the connections this replica refused since it started.</li>
 * <li>{@code replication.messages.ignored}: function counter per reason, tagged {@code reason} (the
 * tags of {@link io.viewstamp.vsr.IgnoreReason}), the messages the replica turned away since it
 * started: a few during view changes and restarts are normal, a steady stream is worth a look.</li>
 * </ul>
 * Gauges are NaN while the replica does not run; counters keep their last value, as a counter must
 * not go down.
 */
public final class ReplicationMetrics implements MeterBinder {

	private final Supplier<@Nullable NodeStatus> status;

	private final int replica;

	private final int replicaCount;

	/** The highest commit seen, so that the counter does not drop to zero when the replica stops. */
	private final AtomicLong commits = new AtomicLong();

	/** The highest view seen, for the same reason. */
	private final AtomicLong views = new AtomicLong();

	/** The most refusals seen per reason, for the same reason. */
	private final Map<String, AtomicLong> refusals = new ConcurrentHashMap<>();

	/** The most ignored messages seen per reason, for the same reason. */
	private final Map<String, AtomicLong> ignored = new ConcurrentHashMap<>();

	/**
	 * @param status the running replica's status, or {@code null} when it does not run; read at
	 * each sample
	 * @param replica this replica's index
	 * @param replicaCount the number of replicas in the cluster, which decides the peers there are
	 * gauges for
	 */
	public ReplicationMetrics(Supplier<@Nullable NodeStatus> status, int replica, int replicaCount) {
		this.status = Objects.requireNonNull(status, "status");
		this.replica = replica;
		this.replicaCount = replicaCount;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		if (registry.find("replication.commits").functionCounter() != null) {
			// Bound already: the auto-configuration binds these meters, and Spring Boot binds every
			// MeterBinder bean too; Micrometer would keep the first and warn about the second.
			return;
		}
		FunctionCounter.builder("replication.commits", this, ReplicationMetrics::commits)
			.description("Operations committed and applied by this replica since the cluster began")
			.baseUnit("operations")
			.register(registry);
		FunctionCounter.builder("replication.view.changes", this, ReplicationMetrics::viewChanges)
			.description("View changes since the cluster began (the view number)")
			.register(registry);
		Gauge.builder("replication.view", this, (metrics) -> metrics.read(NodeStatus::view))
			.description("The replica's current view")
			.register(registry);
		Gauge.builder("replication.op", this, (metrics) -> metrics.read(NodeStatus::op))
			.description("The highest op in the replica's log")
			.register(registry);
		Gauge.builder("replication.status", this, ReplicationMetrics::status)
			.description("The replica's status: 0 normal, 1 view change, 2 recovering, 3 stopped")
			.register(registry);
		for (String reason : NodeStatus.PEER_REFUSAL_REASONS) {
			FunctionCounter.builder("replication.peer.refused", this, (metrics) -> metrics.refusals(reason))
				.description("Connections this replica refused: a peer of another cluster or release, with a wrong "
						+ "shared secret or certificate, or not a replica at all")
				.baseUnit("connections")
				.tag("reason", reason)
				.register(registry);
		}
		for (String reason : NodeStatus.IGNORE_REASONS) {
			FunctionCounter.builder("replication.messages.ignored", this, (metrics) -> metrics.ignored(reason))
				.description("Messages this replica ignored, by the reason its protocol code names")
				.baseUnit("messages")
				.tag("reason", reason)
				.register(registry);
		}
		for (int peer = 0; peer < this.replicaCount; peer++) {
			if (peer == this.replica) {
				continue;
			}
			int index = peer;
			Gauge.builder("replication.peer.lag", this, (metrics) -> metrics.lag(index))
				.description("Ops of the primary's log that the peer has not acknowledged; NaN unless this replica is the primary")
				.baseUnit("operations")
				.tag("peer", Integer.toString(index))
				.register(registry);
		}
	}

	private double commits() {
		NodeStatus current = this.status.get();
		return (current != null) ? this.commits.accumulateAndGet(current.commit(), Math::max) : this.commits.get();
	}

	private double viewChanges() {
		NodeStatus current = this.status.get();
		return (current != null) ? this.views.accumulateAndGet(current.view(), Math::max) : this.views.get();
	}

	private double refusals(String reason) {
		NodeStatus current = this.status.get();
		Long count = (current != null) ? current.peerRefusals().get(reason) : null;
		return this.refusals.computeIfAbsent(reason, (key) -> new AtomicLong())
			.accumulateAndGet((count != null) ? count : 0, Math::max);
	}

	private double ignored(String reason) {
		NodeStatus current = this.status.get();
		Long count = (current != null) ? current.ignoredMessages().get(reason) : null;
		return this.ignored.computeIfAbsent(reason, (key) -> new AtomicLong())
			.accumulateAndGet((count != null) ? count : 0, Math::max);
	}

	private double read(ToLongFunction<NodeStatus> value) {
		NodeStatus current = this.status.get();
		return (current != null) ? value.applyAsLong(current) : Double.NaN;
	}

	private double status() {
		NodeStatus current = this.status.get();
		if (current == null) {
			return Double.NaN;
		}
		if (current.stopped()) {
			return 3;
		}
		Status status = current.status();
		return switch (status) {
			case NORMAL -> 0;
			case VIEW_CHANGE -> 1;
			case RECOVERING -> 2;
		};
	}

	private double lag(int peer) {
		NodeStatus current = this.status.get();
		if (current == null || current.stopped() || current.status() != Status.NORMAL
				|| current.primary() != current.replica()) {
			return Double.NaN;
		}
		List<Long> acknowledged = current.acknowledgedOps();
		if (peer >= acknowledged.size() || acknowledged.get(peer) < 0) {
			// The primary has not heard from it in this view yet: no lag can be told.
			return Double.NaN;
		}
		return Math.max(0, current.op() - acknowledged.get(peer));
	}

}
