package io.viewstamp.autoconfigure;

import io.viewstamp.actuate.ReplicationHealthIndicator;
import io.viewstamp.actuate.ReplicationReportSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the {@code replication} health contributor, as Spring Boot configures its
 * own (one auto-configuration per contributor, off with
 * {@code management.health.replication.enabled=false}). Only where Boot's health support is on the
 * classpath, and only for an application whose replica runs.
 */
@AutoConfiguration(after = ReplicationAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(ReplicaNodeLifecycle.class)
@ConditionalOnEnabledHealthIndicator("replication")
@Import(ReplicationReportSourceConfiguration.class)
public final class ReplicationHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "replicationHealthIndicator")
	ReplicationHealthIndicator replicationHealthIndicator(ReplicationReportSource source) {
		return new ReplicationHealthIndicator(source);
	}

}
