package io.viewstamp.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.viewstamp.beans.BeanStateMachine;
import io.viewstamp.beans.ReplicatedBeanPostProcessor;
import io.viewstamp.runtime.NodeConfiguration;
import io.viewstamp.runtime.RuntimeOptions;
import io.viewstamp.transport.LogCapture;
import io.viewstamp.transport.LoopbackPorts;
import io.viewstamp.vsr.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an application gets from {@link ReplicationAutoConfiguration}: a replica that runs its
 * {@code @Replicated} beans, pieces it can replace, and no replica at all on a configuration
 * that does not hold together.
 */
class ReplicationAutoConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ReplicationAutoConfiguration.class));

	/** For the configuration classes, which can not see the test's fields. */
	@TempDir
	static Path sharedRoot;

	@TempDir
	Path root;

	@Test
	void whenPeersAreMissingThenASingleReplicaStartsAndRunsCommands() {
		Path dataDir = this.root.resolve("alone");
		this.runner.withUserConfiguration(CounterConfiguration.class)
			.withPropertyValues("replication.data-dir=" + dataDir)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Counter counter = context.getBean(Counter.class);
				assertThat(AopUtils.isCglibProxy(counter)).isTrue();
				assertThat(counter.add(3)).isEqualTo(3);
				assertThat(counter.add(2)).isEqualTo(5);
				assertThat(counter.value()).isEqualTo(5);
				ReplicaNodeLifecycle lifecycle = context.getBean(ReplicaNodeLifecycle.class);
				assertThat(lifecycle.isRunning()).isTrue();
				// The status is published at each tick: wait for one after the commands.
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					assertThat(lifecycle.getStatus().status()).isEqualTo(Status.NORMAL);
					assertThat(lifecycle.getStatus().commit()).isPositive();
				});
			});
		assertThat(dataDir.resolve("superblock")).exists();
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void jacksonsConfigurationIsNotCreatedBeforeThePostProcessorsCanSeeIt(CapturedOutput output) {
		this.runner.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
			.withUserConfiguration(CounterConfiguration.class)
			.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(Counter.class).add(4)).isEqualTo(4);
			});
		// The post-processor of replicated beans must not pull the mapper (and Jackson's
		// configuration) into existence while post-processors are still being registered.
		assertThat(output).doesNotContain("is not eligible for getting processed by all BeanPostProcessors");
	}

	@Test
	void theReplicaLogsTheClusterByTheNameItWasGivenBesideItsId() {
		try (LogCapture logs = new LogCapture(ReplicaNodeLifecycle.class.getName())) {
			this.runner.withUserConfiguration(CounterConfiguration.class)
				.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"), "replication.cluster-id=orders")
				.run((context) -> assertThat(context).hasNotFailed());
			assertThat(logs.all()).contains("Replica 0 of cluster 'orders' (cluster id " + ReplicaSettings.clusterId("orders")
					+ " in the replicas' messages) starts, its data in " + this.root.resolve("alone"));
		}
	}

	@Test
	void replicatedBeansAreCreatedAtStartupEvenWhenEveryBeanIsLazyOrTheBeanSaysLazy() {
		// Another replica's command may come before any local use: the bean must be there for it.
		this.runner.withInitializer((context) -> context.addBeanFactoryPostProcessor(
				new LazyInitializationBeanFactoryPostProcessor()))
			.withUserConfiguration(CounterConfiguration.class, LazyCounterConfiguration.class)
			.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(BeanStateMachine.class).commandsApplied()).containsOnlyKeys("counter",
						"lazyCounter");
			});
	}

	@Test
	void whenASingleReplicaRestartsThenItKeepsItsState() {
		Path dataDir = this.root.resolve("alone");
		ApplicationContextRunner application = this.runner.withUserConfiguration(CounterConfiguration.class)
			.withPropertyValues("replication.data-dir=" + dataDir);
		application.run((context) -> assertThat(context.getBean(Counter.class).add(7)).isEqualTo(7));
		application.run((context) -> assertThat(context.getBean(Counter.class).add(1)).isEqualTo(8));
	}

	@Test
	void aReplicaOfAClusterKeepsTheJvmRunningUntilTheContextClosesAndASingleReplicaDoesNot() throws IOException {
		// Its threads are daemons: without a web server, an application would end when main returns.
		List<Thread> before = keepAliveThreads();
		this.runner.withPropertyValues("replication.peers=127.0.0.1:" + freePort() + ",127.0.0.1:" + freePort(),
				"replication.data-dir=" + this.root.resolve("member"), "replication.initialize=true")
			.run((context) -> assertThat(keepAliveThreads()).hasSize(before.size() + 1)
				.allSatisfy((thread) -> assertThat(thread.isDaemon()).isFalse()));
		await().atMost(Duration.ofSeconds(10)).until(() -> keepAliveThreads().size() == before.size());

		this.runner.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"))
			.run((context) -> assertThat(keepAliveThreads()).hasSameSizeAs(before));
	}

	private static List<Thread> keepAliveThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith("viewstamp-keep-alive-") && thread.isAlive())
			.toList();
	}

	@Test
	void whenTheContextClosesThenTheReplicaStops() {
		ReplicaNodeLifecycle[] lifecycle = new ReplicaNodeLifecycle[1];
		this.runner.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"))
			.run((context) -> lifecycle[0] = context.getBean(ReplicaNodeLifecycle.class));
		assertThat(lifecycle[0].isRunning()).isFalse();
		assertThat(lifecycle[0].getClient()).isNull();
	}

	@Test
	void whenPropertiesAreBoundThenTheReplicaRunsWithThem() throws IOException {
		List<String> peers = List.of("127.0.0.1:" + freePort(), "127.0.0.1:" + freePort(), "127.0.0.1:" + freePort());
		this.runner
			.withPropertyValues("replication.cluster-id=demo", "replication.replica=1",
					"replication.peers=" + String.join(",", peers), "replication.data-dir=" + this.root.resolve("1"),
					"replication.request-timeout=2s", "replication.snapshot-interval=500",
					"replication.state-check-interval=700", "replication.transport.ping-interval=250ms",
					"replication.transport.idle-timeout=3s", "replication.secret=a shared secret of the cluster",
					"replication.pipeline-depth=100", "replication.batch-size=16", "replication.client-sessions=8",
					"replication.pending-requests=1000", "replication.heartbeat-interval=50ms",
					"replication.primary-timeout=301ms", "replication.view-change-timeout=2s")
			.run((context) -> {
				NodeConfiguration configuration = context.getBean(ReplicaNodeLifecycle.class).getConfiguration();
				assertThat(configuration.clusterId()).isEqualTo(ReplicaSettings.clusterId("demo"));
				assertThat(configuration.replica()).isEqualTo(1);
				assertThat(configuration.peers()).hasSize(3);
				assertThat(configuration.peers().get(2).toString()).isEqualTo(peers.get(2));
				RuntimeOptions options = context.getBean(ReplicaNodeLifecycle.class).getOptions();
				assertThat(options.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(options.replica().snapshotIntervalOps()).isEqualTo(500);
				assertThat(options.stateCheckIntervalOps()).isEqualTo(700);
				assertThat(options.transport().pingInterval()).isEqualTo(Duration.ofMillis(250));
				assertThat(options.transport().idleTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(options.transport().secret()).isNotNull();
				assertThat(options.replica().pipelinePreparesMax()).isEqualTo(100);
				assertThat(options.replica().viewChangeEntriesMax()).as("covers the pipeline").isEqualTo(200);
				assertThat(options.replica().prepareRequestsMax()).isEqualTo(16);
				assertThat(options.clientSessionsMax()).isEqualTo(8);
				assertThat(options.pendingRequestsMax()).isEqualTo(1000);
				// In ticks of 10 ms, rounded up.
				assertThat(options.replica().heartbeatIntervalTicks()).isEqualTo(5);
				assertThat(options.replica().primaryTimeoutTicks()).isEqualTo(31);
				assertThat(options.replica().viewChangeTimeoutTicks()).isEqualTo(200);
			});
	}

	@Test
	void customizersChangeWhatThePropertiesGaveInTheirOrder() {
		this.runner.withUserConfiguration(CustomizerConfiguration.class)
			.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"), "replication.request-timeout=2s")
			.run((context) -> {
				RuntimeOptions options = context.getBean(ReplicaNodeLifecycle.class).getOptions();
				assertThat(options.requestTimeout()).as("from the properties").isEqualTo(Duration.ofSeconds(2));
				assertThat(options.tickInterval()).isEqualTo(Duration.ofMillis(20));
				assertThat(options.requestResendInterval()).as("the later customizer's").isEqualTo(Duration.ofMillis(300));
			});
	}

	@Test
	void aCustomizerThatSetsAnUnusableValueFailsStartupNamingIt() {
		this.runner.withBean(ReplicationCustomizer.class, () -> (options) -> options.clientSessionsMax(0))
			.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("clientSessionsMax is 0"));
	}

	@Test
	void theDefaultsOfTheProtocolPropertiesAreTheProtocolsOwn() {
		this.runner.withPropertyValues("replication.data-dir=" + this.root.resolve("alone")).run((context) -> {
			RuntimeOptions options = context.getBean(ReplicaNodeLifecycle.class).getOptions();
			assertThat(options.replica()).isEqualTo(RuntimeOptions.defaults().replica());
			assertThat(options.clientSessionsMax()).isEqualTo(RuntimeOptions.defaults().clientSessionsMax());
			assertThat(options.pendingRequestsMax()).isEqualTo(RuntimeOptions.defaults().pendingRequestsMax());
		});
	}

	@Test
	void whenAReplicaOfSeveralHasAnEmptyDataDirectoryAndItsPeerHasNotAnsweredThenItFormatsNothingAndWaits()
			throws IOException {
		Path dataDir = this.root.resolve("0");
		this.runner.withPropertyValues("replication.peers=127.0.0.1:" + freePort() + ",127.0.0.1:" + freePort(),
				"replication.data-dir=" + dataDir)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(dataDir.resolve("superblock")).doesNotExist();
				assertThat(context.getBean(ReplicaNodeLifecycle.class).getStatus().status()).isEqualTo(Status.RECOVERING);
			});
	}

	@Test
	void initializeNoLongerFormatsOnItsOwnSoItIsSafeToLeaveSet() throws IOException {
		Path dataDir = this.root.resolve("0");
		this.runner
			.withPropertyValues("replication.peers=127.0.0.1:" + freePort() + ",127.0.0.1:" + freePort(),
					"replication.data-dir=" + dataDir, "replication.initialize=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				// Its peer never answered: whether a member holds the cluster's state is unknown.
				assertThat(dataDir.resolve("superblock")).doesNotExist();
			});
	}

	@Test
	void whenTheApplicationHasAJsonMapperThenTheStateMachineUsesIt() {
		this.runner.withUserConfiguration(CounterConfiguration.class, JsonMapperConfiguration.class)
			.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"))
			.run((context) -> {
				assertThat(context).hasSingleBean(BeanStateMachine.class);
				assertThat(context.getBean(Counter.class).add(1)).isEqualTo(1);
			});
	}

	@Test
	void whenTheApplicationDefinesItsOwnPiecesThenEachBacksOff() {
		this.runner.withUserConfiguration(OwnPiecesConfiguration.class)
			.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"))
			.run((context) -> {
				assertThat(context).hasSingleBean(BeanStateMachine.class)
					.hasSingleBean(ReplicatedBeanPostProcessor.class)
					.hasSingleBean(ReplicaNodeLifecycle.class);
				assertThat(context.getBean(BeanStateMachine.class)).isSameAs(OwnPiecesConfiguration.STATE_MACHINE);
				assertThat(context.getBean(ReplicatedBeanPostProcessor.class))
					.isSameAs(OwnPiecesConfiguration.POST_PROCESSOR);
				assertThat(context.getBean(ReplicaNodeLifecycle.class).getConfiguration().clusterId()).isEqualTo(42);
			});
	}

	@Test
	void theClusterIdIsTheFirstEightBytesOfTheSha256OfItsName() {
		// SHA-256("abc") starts with ba7816bf8f01cfea (FIPS 180-2's example); the mapping must never
		// change, or replicas of different versions would refuse each other.
		assertThat(ReplicaSettings.clusterId("viewstamp")).isEqualTo(ReplicaSettings.clusterId("viewstamp"))
			.isNotEqualTo(ReplicaSettings.clusterId("demo"));
		assertThat(ReplicaSettings.clusterId("abc")).isEqualTo(0xba7816bf8f01cfeaL);
	}

	static int freePort() {
		return LoopbackPorts.freePorts(1)[0];
	}

	@Configuration(proxyBeanMethods = false)
	static class LazyCounterConfiguration {

		@Bean
		@Lazy
		Counter lazyCounter() {
			return new Counter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizerConfiguration {

		@Bean
		@Order(2)
		ReplicationCustomizer later() {
			return (options) -> options.requestResendInterval(Duration.ofMillis(300));
		}

		@Bean
		@Order(1)
		ReplicationCustomizer earlier() {
			return (options) -> options.tickInterval(Duration.ofMillis(20)).requestResendInterval(Duration.ofMillis(250));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CounterConfiguration {

		@Bean
		Counter counter() {
			return new Counter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class JsonMapperConfiguration {

		@Bean
		JsonMapper jsonMapper() {
			return JsonMapper.builder().build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnPiecesConfiguration {

		static final BeanStateMachine STATE_MACHINE = new BeanStateMachine(JsonMapper.builder().build());

		static final ReplicatedBeanPostProcessor POST_PROCESSOR = new ReplicatedBeanPostProcessor(STATE_MACHINE,
				() -> null);

		@Bean
		BeanStateMachine ownStateMachine() {
			return STATE_MACHINE;
		}

		@Bean
		static ReplicatedBeanPostProcessor ownPostProcessor() {
			return POST_PROCESSOR;
		}

		@Bean
		ReplicaNodeLifecycle ownLifecycle() throws IOException {
			Path dataDir = Files.createTempDirectory(sharedRoot, "own-lifecycle");
			return new ReplicaNodeLifecycle(new NodeConfiguration(42, 0, List.of(), dataDir), RuntimeOptions.defaults(),
					STATE_MACHINE);
		}

	}

}
