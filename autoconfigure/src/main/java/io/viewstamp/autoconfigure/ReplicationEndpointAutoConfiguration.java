package io.viewstamp.autoconfigure;

import io.viewstamp.actuate.NodeStatusReportSource;
import io.viewstamp.actuate.ReplicationEndpoint;
import io.viewstamp.actuate.ReplicationHealthIndicator;
import io.viewstamp.actuate.ReplicationReportSource;
import io.viewstamp.beans.BeanStateMachine;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the replica's monitoring: the {@code replication} endpoint and health
 * indicator. Apart from {@link ReplicationAutoConfiguration} so that an application without
 * actuator on its classpath still gets its replica.
 */
@AutoConfiguration(after = ReplicationAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(ReplicaNodeLifecycle.class)
public final class ReplicationEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ReplicationReportSource replicationReportSource(ReplicaNodeLifecycle lifecycle, ReplicationProperties properties,
			BeanStateMachine beans) {
		return new NodeStatusReportSource(lifecycle::getStatus, properties.getClusterId(), beans);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	ReplicationEndpoint replicationEndpoint(ReplicationReportSource source) {
		return new ReplicationEndpoint(source);
	}

	/** The health indicator, only where Spring Boot's health support is on the classpath. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	static class ReplicationHealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "replicationHealthIndicator")
		@ConditionalOnEnabledHealthIndicator("replication")
		ReplicationHealthIndicator replicationHealthIndicator(ReplicationReportSource source) {
			return new ReplicationHealthIndicator(source);
		}

	}

}
