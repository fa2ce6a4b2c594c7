package io.viewstamp.autoconfigure;

import java.util.concurrent.atomic.AtomicReference;

import io.viewstamp.ReplicationAdministration;
import io.viewstamp.beans.BeanStateMachine;
import io.viewstamp.beans.CommandObserver;
import io.viewstamp.beans.ReplicatedBeanPostProcessor;
import io.viewstamp.runtime.NodeConfiguration;
import io.viewstamp.runtime.RuntimeOptions;
import io.viewstamp.transport.PeerSecret;
import io.viewstamp.transport.PeerTls;
import tools.jackson.databind.json.JsonMapper;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/**
 * Auto-configuration of replicated beans: the state machine that applies committed commands to
 * the {@code @Replicated} beans, the post-processor that puts a proxy in front of each of them,
 * and the replica that runs while the application does. Every piece backs off when the
 * application defines its own. No class condition: everything it needs (Netty, Jackson) is a
 * required dependency of the starter, and an application that lacks one should fail to start,
 * not lose its replication without a word.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration" })
@EnableConfigurationProperties(ReplicationProperties.class)
public final class ReplicationAutoConfiguration {

	/**
	 * The state machine of the replicated beans; static, like the post-processor that needs it,
	 * so that creating it early does not create this configuration early too.
	 */
	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static BeanStateMachine beanStateMachine(ObjectProvider<JsonMapper> jsonMapper) {
		// The application's mapper, so that its modules and settings apply to commands and state too.
		return new BeanStateMachine(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()));
	}

	/**
	 * The post-processor of {@code @Replicated} beans; static because a post-processor is created
	 * before the other beans of this configuration. The replica starts only after every bean is
	 * created, so the client is looked up at each command: the lifecycle bean once it exists (a bean
	 * factory lookup per command showed among the hottest frames of a profile, docs/benchmarks.md),
	 * then its current client.
	 */
	@Bean
	@ConditionalOnMissingBean
	static ReplicatedBeanPostProcessor replicatedBeanPostProcessor(ObjectProvider<BeanStateMachine> stateMachine,
			ObjectProvider<ReplicaNodeLifecycle> lifecycle, ObjectProvider<CommandObserver> commandObservers) {
		AtomicReference<@Nullable ReplicaNodeLifecycle> found = new AtomicReference<>();
		return new ReplicatedBeanPostProcessor(stateMachine::getObject, () -> {
			ReplicaNodeLifecycle running = found.get();
			if (running == null) {
				running = lifecycle.getIfAvailable();
				found.set(running);
			}
			return (running != null) ? running.getClient() : null;
		}, commandObservers);
	}

	/** Every replica needs every replicated bean before the first command: none may be lazy. */
	@Bean
	@ConditionalOnMissingBean
	static ReplicatedBeansEagerInitializer replicatedBeansEagerInitializer() {
		return new ReplicatedBeansEagerInitializer();
	}

	@Bean
	@ConditionalOnMissingBean
	ReplicaNodeLifecycle replicaNodeLifecycle(ReplicationProperties properties, BeanStateMachine stateMachine,
			ObjectProvider<SslBundles> sslBundles, ObjectProvider<ReplicationCustomizer> customizers) {
		// Checked here, while the context is created, so a mistake names its property before anything starts.
		NodeConfiguration configuration = ReplicaSettings.nodeConfiguration(properties);
		RuntimeOptions fromProperties = ReplicaSettings.runtimeOptions(properties);
		PeerTls tls = ReplicaSettings.peerTls(properties, sslBundles.getIfAvailable());
		PeerSecret secret = ReplicaSettings.peerSecret(properties);
		RuntimeOptions.Builder options = fromProperties.toBuilder()
			.transport(fromProperties.transport().withTls(tls).withSecret(secret));
		customizers.orderedStream().forEach((customizer) -> customizer.customize(options));
		return new ReplicaNodeLifecycle(configuration, options.build(), stateMachine, properties.getClusterId());
	}

	@Bean
	@ConditionalOnMissingBean
	ReplicationAdministration replicationAdministration(ReplicaNodeLifecycle lifecycle) {
		return new ReplicaNodeAdministration(lifecycle);
	}

}
