package io.viewstamp.autoconfigure;

import io.viewstamp.ReplicationAdministration;
import io.viewstamp.actuate.ReplicationEndpoint;
import io.viewstamp.actuate.ReplicationPage;
import io.viewstamp.actuate.ReplicationReportSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the {@code replication} actuator endpoint. Apart from
 * {@link ReplicationAutoConfiguration} so that an application without actuator on its classpath
 * still gets its replica; the health contributor has its own
 * ({@link ReplicationHealthContributorAutoConfiguration}). The endpoint links to the live cluster page
 * when {@link ReplicationPageAutoConfiguration} serves it.
 */
@AutoConfiguration(after = ReplicationAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(ReplicaNodeLifecycle.class)
@ConditionalOnAvailableEndpoint(ReplicationEndpoint.class)
@Import(ReplicationReportSourceConfiguration.class)
public final class ReplicationEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ReplicationEndpoint replicationEndpoint(ReplicationReportSource source,
			ObjectProvider<ReplicationAdministration> administration, ObjectProvider<ReplicationPage> page) {
		// The page's auto-configuration runs after this one and adds its bean only with a web server.
		ReplicationPage served = page.getIfAvailable();
		return new ReplicationEndpoint(source, administration.getIfAvailable(),
				(served != null) ? served.path() : null);
	}

}
