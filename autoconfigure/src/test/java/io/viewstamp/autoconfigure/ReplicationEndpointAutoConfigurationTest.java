package io.viewstamp.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.viewstamp.actuate.ReplicationEndpoint;
import io.viewstamp.actuate.ReplicationHealthIndicator;
import io.viewstamp.actuate.ReplicationReport;
import io.viewstamp.runtime.NodeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code replication} endpoint and health indicator, when actuator is there, and a replica
 * that works the same when it is not.
 */
class ReplicationEndpointAutoConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ReplicationAutoConfiguration.class,
				ReplicationEndpointAutoConfiguration.class, ReplicationHealthContributorAutoConfiguration.class))
		.withUserConfiguration(ReplicationAutoConfigurationTest.CounterConfiguration.class);

	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	Path root;

	@Test
	void whenTheEndpointIsExposedThenItReportsTheRunningReplica() {
		this.runner
			.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"), "replication.cluster-id=demo",
					"management.endpoints.web.exposure.include=replication")
			.run((context) -> {
				context.getBean(Counter.class).add(4);
				ReplicationEndpoint endpoint = context.getBean(ReplicationEndpoint.class);
				// The status is published at each tick: wait for the one after the command.
				await().atMost(WAIT).until(() -> endpoint.replication().commitNumber() > 0);
				ReplicationReport report = endpoint.replication();
				assertThat(report.clusterId()).isEqualTo("demo");
				assertThat(report.replica()).isZero();
				assertThat(report.status()).isEqualTo("NORMAL");
				assertThat(report.commitNumber()).isPositive();
				assertThat(report.appliedNumber()).isEqualTo(report.commitNumber());
				assertThat(report.opNumber()).isGreaterThanOrEqualTo(report.commitNumber());
				assertThat(report.peers()).isEmpty();
				assertThat(report.journal().lastOp()).isGreaterThanOrEqualTo(report.commitNumber());
				assertThat(report.beans()).containsExactly(new ReplicationReport.Bean("counter", 1));
				assertThat(report.configuration()).isEqualTo(new ReplicationReport.Members(0, List.of(0)));
				assertThat(report.divergences()).isZero();
				assertThat(report.ignoredMessages()).containsOnlyKeys(NodeStatus.IGNORE_REASONS)
					.containsEntry("prepare-ok-not-primary", 0L);
			});
	}

	@Test
	void whenTheEndpointIsNotExposedThenItIsNotCreated() {
		this.runner.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ReplicationEndpoint.class));
	}

	@Test
	void whenASingleReplicaRunsThenItIsHealthy() {
		this.runner.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"))
			.run((context) -> {
				HealthIndicator health = context.getBean("replicationHealthIndicator", HealthIndicator.class);
				// A restarted replica goes through a view change of its own before it is normal.
				await().atMost(WAIT).untilAsserted(() -> assertThat(health.health().getStatus()).isEqualTo(Status.UP));
			});
	}

	@Test
	void whenTheHealthIndicatorIsDisabledThenItIsNotCreated() {
		this.runner
			.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"),
					"management.health.replication.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ReplicationHealthIndicator.class));
	}

	@Test
	void theHealthContributorWorksWithoutTheEndpointClass() {
		this.runner.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ReplicationEndpoint.class)
				.hasSingleBean(ReplicationHealthIndicator.class));
	}

	@Test
	void whenActuatorIsMissingThenTheReplicaStillWorks() {
		this.runner.withClassLoader(new FilteredClassLoader(Endpoint.class, HealthIndicator.class))
			.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"),
					"management.endpoints.web.exposure.include=replication")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(ReplicationEndpoint.class)
					.doesNotHaveBean(ReplicationHealthIndicator.class);
				assertThat(context.getBean(Counter.class).add(2)).isEqualTo(2);
			});
	}

	@Test
	void whenTheHealthModuleIsMissingThenOnlyTheEndpointIsCreated() {
		this.runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"),
					"management.endpoints.web.exposure.include=replication")
			.run((context) -> assertThat(context).hasSingleBean(ReplicationEndpoint.class)
				.doesNotHaveBean(ReplicationHealthIndicator.class));
	}

}
