package io.viewstamp.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import io.viewstamp.actuate.CommandObservations;
import io.viewstamp.actuate.ReplicatedCallObservationConvention;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code replication.command} observations: each command and
 * linearizable read of a replicated bean is a Micrometer observation, so that Spring Boot's
 * tracing shows it inside the request that made it, and its meter handler times it. After Spring
 * Boot's observation auto-configuration, whose registry it needs; turned off as any observation
 * is, with {@code management.observations.enable.replication=false}.
 */
@AutoConfiguration(after = ReplicationAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean({ ObservationRegistry.class, ReplicaNodeLifecycle.class })
public final class ReplicationObservationAutoConfiguration {

	/**
	 * The observations: a {@code CommandObserver} bean, which the post-processor of replicated
	 * beans takes once every singleton exists, as it takes the command timer.
	 */
	@Bean
	@ConditionalOnMissingBean
	CommandObservations commandObservations(ObservationRegistry registry,
			ObjectProvider<ReplicatedCallObservationConvention> convention) {
		return new CommandObservations(registry, convention.getIfUnique());
	}

}
