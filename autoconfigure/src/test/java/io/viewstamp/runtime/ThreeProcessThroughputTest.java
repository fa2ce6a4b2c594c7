package io.viewstamp.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rough throughput of a three-process cluster on this machine: a closed-loop load inside each
 * replica's process at once, then the replicas' ledgers compared. It prints its figures and
 * asserts only correctness (no duplicate, equal ledgers); it runs on demand, not in the build:
 *
 * <pre>
 * mvn -o -pl autoconfigure test -Dtest=ThreeProcessThroughputTest -Dthroughput.clients=32 -Dthroughput.seconds=10
 * </pre>
 */
@EnabledIfSystemProperty(named = "throughput.clients", matches = "\\d+")
class ThreeProcessThroughputTest {

	@TempDir
	Path root;

	@Test
	void loadOnEveryReplicaAtOnce() {
		int clients = Integer.getInteger("throughput.clients");
		Duration duration = Duration.ofSeconds(Integer.getInteger("throughput.seconds", 10));
		try (ProcessCluster cluster = ProcessCluster.start(this.root, Duration.ofSeconds(5), OptionalInt.empty())) {
			cluster.awaitNormalView(-1);
			// A short first round warms the JVMs' compilers; the second is the one reported.
			for (String round : List.of("warmup", "measured")) {
				Duration length = round.equals("warmup") ? Duration.ofSeconds(3) : duration;
				List<CompletableFuture<String>> reports = new ArrayList<>();
				for (int replica = 0; replica < ProcessCluster.REPLICA_COUNT; replica++) {
					int index = replica;
					reports.add(CompletableFuture.supplyAsync(() -> cluster.load(index, clients, length, round + index)));
				}
				for (int replica = 0; replica < reports.size(); replica++) {
					System.out.printf("[throughput %s] replica %d (%s): %s%n", round, replica,
							(replica == cluster.primary()) ? "primary" : "backup", reports.get(replica).join());
				}
			}
			Map<Integer, ProcessCluster.LedgerState> states = cluster.awaitConverged();
			ProcessCluster.LedgerState first = states.values().iterator().next();
			for (ProcessCluster.LedgerState state : states.values()) {
				assertThat(state.checksum()).isEqualTo(first.checksum());
				assertThat(state.ids()).doesNotHaveDuplicates();
			}
			System.out.printf("[throughput] %d commands in every ledger, %d clients per replica, %s measured%n",
					first.size(), clients, duration);
		}
	}

}
