package io.viewstamp.autoconfigure;

import io.viewstamp.actuate.NodeStatusReportSource;
import io.viewstamp.actuate.ReplicationReportSource;
import io.viewstamp.beans.BeanStateMachine;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The running replica's report, which the endpoint and the health contributor both read; imported
 * by each of their auto-configurations, so that either works without the other.
 */
@Configuration(proxyBeanMethods = false)
class ReplicationReportSourceConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ReplicationReportSource replicationReportSource(ReplicaNodeLifecycle lifecycle, ReplicationProperties properties,
			BeanStateMachine beans) {
		return new NodeStatusReportSource(lifecycle::getStatus, properties.getClusterId(), beans, lifecycle::getClient);
	}

}
