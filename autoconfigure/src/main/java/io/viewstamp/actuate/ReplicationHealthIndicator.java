package io.viewstamp.actuate;

import java.util.Objects;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Up when the replica takes part in the protocol: its status is normal and a majority of the
 * configuration's members, itself included, can reach each other. Out of service when it is not a
 * member (a spare waiting to be added: its state follows no prepares). Down otherwise, with a detail
 * saying why, since then commands through this replica can not commit.
 */
public class ReplicationHealthIndicator implements HealthIndicator {

	private static final String NORMAL = "NORMAL";

	private static final String RECOVERING = "RECOVERING";

	private final ReplicationReportSource source;

	/**
	 * @param source the replica's state
	 */
	public ReplicationHealthIndicator(ReplicationReportSource source) {
		this.source = Objects.requireNonNull(source, "source");
	}

	@Override
	public Health health() {
		ReplicationReport report = this.source.report();
		if (report == null) {
			return Health.down().withDetail("reason", "The replica is not running").build();
		}
		Health.Builder builder = withDetails(report);
		if (report.stopped()) {
			return builder.down()
				.withDetail("reason", "The replica stopped" + ((report.stopCause() != null) ? ": " + report.stopCause() : ""))
				.build();
		}
		if (report.divergences() > 0) {
			String divergence = report.lastDivergence();
			return builder.down()
				.withDetail("reason", (divergence != null) ? divergence : "The replica's state diverged")
				.build();
		}
		if (RECOVERING.equals(report.status())) {
			return builder.down()
				.withDetail("reason", "The replica is RECOVERING: it has no state of its own yet. It waits for every "
						+ "member to say whether it holds data, then forms a new cluster (none does) or takes its state "
						+ "from a majority of its peers (one does). Start the members it waits for (its log names them).")
				.build();
		}
		if (!NORMAL.equals(report.status())) {
			return builder.down()
				.withDetail("reason", "The replica's status is " + report.status() + ", not NORMAL: it does not take part "
						+ "in the protocol until it is")
				.build();
		}
		if (!report.isMember()) {
			// Its state follows no prepares until a change adds it: local reads would be stale.
			return builder.outOfService()
				.withDetail("reason", "The replica is not a member of epoch " + report.configuration().epoch()
						+ " (members " + report.configuration().members() + "): it waits for a change of members to add "
						+ "it (POST /actuator/replication {\"add\": " + report.replica() + "} on the primary's "
						+ "application), and takes no traffic until then")
				.build();
		}
		if (report.replicasReachable() < report.majority()) {
			return builder.down()
				.withDetail("reason", "Only " + report.replicasReachable() + " of the "
						+ report.configuration().members().size() + " members " + report.configuration().members()
						+ " are connected (this one included); commands need " + report.majority())
				.build();
		}
		return builder.up().build();
	}

	private static Health.Builder withDetails(ReplicationReport report) {
		return Health.unknown()
			.withDetail("status", report.status())
			.withDetail("view", report.view())
			.withDetail("primary", report.primary())
			.withDetail("replicasConnected", report.replicasReachable())
			.withDetail("replicaCount", report.replicaCount())
			.withDetail("epoch", report.configuration().epoch())
			.withDetail("members", report.configuration().members());
	}

}
