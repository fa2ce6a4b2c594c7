package io.viewstamp.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.viewstamp.CommandNotYetAvailableException;
import io.viewstamp.ReadOnly;
import io.viewstamp.Replicated;
import io.viewstamp.actuate.ReplicationEndpoint;
import io.viewstamp.actuate.ReplicationReport;
import io.viewstamp.runtime.NodeStatus;
import io.viewstamp.transport.LoopbackPorts;
import io.viewstamp.transport.PeerAddress;
import io.viewstamp.vsr.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * A rolling upgrade of a three-replica Spring Boot application whose second release adds a
 * command: each replica in turn is closed and started again on release 2, backups first and the
 * primary last, as an operator does it. While any member still runs release 1, the new command is
 * refused on the upgraded replicas before it is submitted, naming the replicas that lack it; the
 * old commands run throughout; no replica ever stops; and once all three run release 2, the new
 * command runs everywhere and every replica holds the same tallies, each acknowledged call counted
 * once.
 */
class RollingUpgradeTest {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final String NEW_COMMAND = "tally#recordMany(java.lang.String,int)";

	@TempDir
	Path root;

	private final ConfigurableApplicationContext[] replicas = new ConfigurableApplicationContext[3];

	private List<PeerAddress> peers = List.of();

	/** What the tallies must hold: every acknowledged call, counted once. */
	private final Map<String, Integer> expected = new TreeMap<>();

	@AfterEach
	void closeAll() {
		for (ConfigurableApplicationContext replica : this.replicas) {
			if (replica != null) {
				replica.close();
			}
		}
	}

	@Test
	void aCommandAddedByTheNextReleaseIsRefusedUntilEveryReplicaRunsItAndNoReplicaStops() {
		this.peers = LoopbackPorts.freeAddresses(3);
		for (int index = 0; index < 3; index++) {
			this.replicas[index] = start(index, Release1.class);
		}
		awaitAllNormal();
		for (int index = 0; index < 3; index++) {
			record(index, "apples");
		}

		// Backups first: replica 1, then 2, each closed and started again on release 2.
		upgrade(1);
		assertRefused(1, Map.of(0, this.peers.get(0).toString(), 2, this.peers.get(2).toString()));
		// What an operator sees on the upgraded replica: which peers lack which of its commands.
		assertThat(this.replicas[1].getBean(ReplicationEndpoint.class).replication().peers())
			.extracting(ReplicationReport.Peer::index, ReplicationReport.Peer::commandsUnknown)
			.containsExactly(tuple(0, List.of(NEW_COMMAND)), tuple(2, List.of(NEW_COMMAND)));
		assertThat(this.replicas[0].getBean(ReplicationEndpoint.class).replication().peers())
			.allSatisfy((peer) -> assertThat(peer.commandsUnknown()).isEmpty());
		record(1, "pears");
		record(0, "pears");
		upgrade(2);
		assertRefused(2, Map.of(0, this.peers.get(0).toString()));
		assertRefused(1, Map.of(0, this.peers.get(0).toString()));
		record(2, "plums");

		// The primary last: its clean stop hands its view to an upgraded backup.
		int primary = status(1).primary();
		assertThat(primary).isZero();
		upgrade(0);

		for (int index = 0; index < 3; index++) {
			assertThat(tally(index, Release2.Tally.class).recordMany("figs", index + 2)).isPositive();
			this.expected.merge("figs", index + 2, Integer::sum);
		}
		assertThat(this.replicas[1].getBean(ReplicationEndpoint.class).replication().peers())
			.allSatisfy((peer) -> assertThat(peer.commandsUnknown()).isEmpty());
		for (int index = 0; index < 3; index++) {
			int replica = index;
			await().atMost(WAIT).untilAsserted(() -> assertThat(tally(replica, Release2.Tally.class).counts())
				.isEqualTo(this.expected));
			assertThat(status(replica).stopped()).isFalse();
			assertThat(status(replica).divergences()).isZero();
		}
	}

	private void upgrade(int index) {
		this.replicas[index].close();
		assertNoReplicaStopped();
		this.replicas[index] = start(index, Release2.class);
		awaitAllNormal();
		// Caught up: it holds every tally acknowledged so far.
		await().atMost(WAIT).untilAsserted(() -> assertThat(tally(index, Release2.Tally.class).counts())
			.isEqualTo(this.expected));
	}

	private void assertRefused(int index, Map<Integer, String> lacking) {
		Release2.Tally tally = tally(index, Release2.Tally.class);
		Map<String, Integer> before = tally.counts();
		assertThatExceptionOfType(CommandNotYetAvailableException.class).isThrownBy(() -> tally.recordMany("figs", 5))
			.satisfies((refused) -> {
				assertThat(refused.command()).isEqualTo(NEW_COMMAND);
				assertThat(refused.replicasLacking()).isEqualTo(new TreeMap<>(lacking));
			})
			.withMessageContaining("Command " + NEW_COMMAND + " is not known yet to replica")
			.withMessageContaining("finish the rolling upgrade");
		assertThat(tally.counts()).isEqualTo(before);
		assertNoReplicaStopped();
	}

	private void record(int index, String item) {
		ConfigurableApplicationContext context = this.replicas[index];
		Object bean = context.getBean("tally");
		int count = (bean instanceof Release2.Tally v2) ? v2.record(item) : ((Release1.Tally) bean).record(item);
		this.expected.merge(item, 1, Integer::sum);
		assertThat(count).isEqualTo(this.expected.get(item));
	}

	private <T> T tally(int index, Class<T> type) {
		return this.replicas[index].getBean("tally", type);
	}

	private NodeStatus status(int index) {
		NodeStatus status = this.replicas[index].getBean(ReplicaNodeLifecycle.class).getStatus();
		assertThat(status).as("replica %d runs", index).isNotNull();
		return status;
	}

	private void assertNoReplicaStopped() {
		for (ConfigurableApplicationContext replica : this.replicas) {
			if (replica != null && replica.isActive()) {
				NodeStatus status = replica.getBean(ReplicaNodeLifecycle.class).getStatus();
				assertThat(status.stopped()).as("stopped: %s", status.stopCause()).isFalse();
			}
		}
	}

	private void awaitAllNormal() {
		await().atMost(WAIT).until(() -> {
			NodeStatus first = status(0);
			for (int index = 0; index < 3; index++) {
				NodeStatus status = status(index);
				if (status.status() != Status.NORMAL || status.view() != first.view()
						|| status.peers().stream().anyMatch((peer) -> !peer.connected())) {
					return false;
				}
			}
			return true;
		});
	}

	private ConfigurableApplicationContext start(int index, Class<?> release) {
		return new SpringApplicationBuilder(release).web(WebApplicationType.NONE)
			.properties("replication.cluster-id=upgrades", "replication.replica=" + index,
					"management.endpoints.web.exposure.include=replication",
					"replication.peers=" + this.peers.stream().map(PeerAddress::toString).collect(Collectors.joining(",")),
					"replication.data-dir=" + this.root.resolve("replica-" + index))
			.run();
	}

	/** The first release of the application: a tally of items, one at a time. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ReplicationAutoConfiguration.class, ReplicationEndpointAutoConfiguration.class })
	static class Release1 {

		@Bean
		Tally tally() {
			return new Tally();
		}

		@Replicated
		public static class Tally {

			private final TreeMap<String, Integer> counts = new TreeMap<>();

			public int record(String item) {
				return this.counts.merge(item, 1, Integer::sum);
			}

			@ReadOnly
			public Map<String, Integer> counts() {
				return new TreeMap<>(this.counts);
			}

		}

	}

	/** The second release: the same tally, with the same state, and a new command. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ReplicationAutoConfiguration.class, ReplicationEndpointAutoConfiguration.class })
	static class Release2 {

		@Bean
		Tally tally() {
			return new Tally();
		}

		@Replicated
		public static class Tally {

			private final TreeMap<String, Integer> counts = new TreeMap<>();

			public int record(String item) {
				return this.counts.merge(item, 1, Integer::sum);
			}

			/** New in release 2. */
			public int recordMany(String item, int times) {
				return this.counts.merge(item, times, Integer::sum);
			}

			@ReadOnly
			public Map<String, Integer> counts() {
				return new TreeMap<>(this.counts);
			}

		}

	}

}
