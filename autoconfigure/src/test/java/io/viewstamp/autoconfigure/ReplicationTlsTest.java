package io.viewstamp.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import io.viewstamp.autoconfigure.ReplicationAutoConfigurationTest.CounterConfiguration;
import io.viewstamp.transport.LoopbackPorts;
import io.viewstamp.transport.PeerAddress;
import io.viewstamp.vsr.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three applications whose replicas talk mutual TLS, set up the way a user does: an SSL bundle
 * under {@code spring.ssl.bundle} and its name in {@code replication.ssl-bundle}.
 */
class ReplicationTlsTest {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@TempDir
	Path root;

	@Test
	void replicasConfiguredWithAnSslBundleFormAClusterOverTlsAndReplicateCommands() throws Exception {
		List<PeerAddress> peers = LoopbackPorts.freeAddresses(3);
		ApplicationContextRunner[] replicas = new ApplicationContextRunner[3];
		for (int index = 0; index < 3; index++) {
			replicas[index] = replica(index, peers);
		}
		AssertableApplicationContext[] contexts = new AssertableApplicationContext[3];
		// Each context stays open while the next ones start, and all three while the test runs.
		replicas[0].run(nested(contexts, 0, () -> replicas[1].run(nested(contexts, 1, () -> replicas[2].run(nested(contexts, 2, () -> {
			for (AssertableApplicationContext context : contexts) {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(ReplicaNodeLifecycle.class).getOptions().transport().tls()).isNotNull();
			}
			await().atMost(WAIT).until(() -> allNormal(contexts));

			for (int index = 0; index < 3; index++) {
				contexts[index].getBean(Counter.class).add(index + 1);
			}
			for (AssertableApplicationContext context : contexts) {
				await().atMost(WAIT).until(() -> context.getBean(Counter.class).value() == 6);
			}
		}))))));
	}

	private ApplicationContextRunner replica(int index, List<PeerAddress> peers) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, ReplicationAutoConfiguration.class))
			.withUserConfiguration(CounterConfiguration.class)
			.withPropertyValues("spring.ssl.bundle.jks.peers.keystore.location=classpath:tls/replica.p12",
					"spring.ssl.bundle.jks.peers.keystore.password=changeit",
					"spring.ssl.bundle.jks.peers.truststore.location=classpath:tls/trusted.p12",
					"spring.ssl.bundle.jks.peers.truststore.password=changeit", "replication.ssl-bundle=peers",
					"replication.cluster-id=tls", "replication.initialize=true", "replication.replica=" + index,
					"replication.peers=" + peers.stream().map(PeerAddress::toString).collect(Collectors.joining(",")),
					"replication.data-dir=" + this.root.resolve("replica-" + index));
	}

	private static boolean allNormal(AssertableApplicationContext[] contexts) {
		long view = contexts[0].getBean(ReplicaNodeLifecycle.class).getStatus().view();
		for (AssertableApplicationContext context : contexts) {
			var status = context.getBean(ReplicaNodeLifecycle.class).getStatus();
			if (status.status() != Status.NORMAL || status.view() != view) {
				return false;
			}
		}
		return true;
	}

	private static ContextConsumer<AssertableApplicationContext> nested(AssertableApplicationContext[] contexts,
			int index, ThrowingRunnable then) {
		return (context) -> {
			contexts[index] = context;
			then.run();
		};
	}

	@FunctionalInterface
	private interface ThrowingRunnable {

		void run() throws Throwable;

	}

}
