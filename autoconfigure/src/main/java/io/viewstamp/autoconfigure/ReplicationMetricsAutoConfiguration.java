package io.viewstamp.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.viewstamp.actuate.CommandLatencyMetrics;
import io.viewstamp.actuate.ReplicationMetrics;
import io.viewstamp.runtime.NodeConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the replica's Micrometer meters: the {@code replication.*} gauges and
 * counters of {@link ReplicationMetrics}, and the {@code replication.command.latency} timer of
 * {@link CommandLatencyMetrics}. Apart from {@link ReplicationAutoConfiguration} so that an
 * application without Micrometer still gets its replica; after Spring Boot's metrics
 * auto-configuration, whose registry it needs.
 */
@AutoConfiguration(after = ReplicationAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, ReplicaNodeLifecycle.class })
public final class ReplicationMetricsAutoConfiguration {

	/**
	 * The replica's meters, bound here rather than left to Spring Boot's binding of
	 * {@code MeterBinder} beans so that they exist with any registry, not only Boot's own.
	 * Spring Boot binds them again, as it binds every {@code MeterBinder} bean, which
	 * {@link ReplicationMetrics#bindTo} ignores.
	 */
	@Bean
	@ConditionalOnMissingBean
	ReplicationMetrics replicationMetrics(ReplicaNodeLifecycle lifecycle, MeterRegistry registry) {
		NodeConfiguration configuration = lifecycle.getConfiguration();
		// A single replica has no peers listed; a cluster lists every replica, this one included.
		int replicaCount = Math.max(1, configuration.peers().size());
		ReplicationMetrics metrics = new ReplicationMetrics(lifecycle::getStatus, configuration.replica(),
				replicaCount);
		metrics.bindTo(registry);
		return metrics;
	}

	/**
	 * The command timer: a {@code CommandObserver} bean, which the post-processor of replicated
	 * beans takes from its {@code ObjectProvider} once every singleton exists, so that every
	 * command is timed, including those of beans proxied before the registry existed.
	 */
	@Bean
	@ConditionalOnMissingBean
	CommandLatencyMetrics commandLatencyMetrics(MeterRegistry registry) {
		return new CommandLatencyMetrics(registry);
	}

}
