package io.viewstamp.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

import io.viewstamp.runtime.ProcessCluster;

/**
 * The rough throughput of a three-process cluster on this machine: three replica JVMs (the
 * {@code ReplicaProcess} of the cluster tests, each with its fsync'd data directory), a closed-loop
 * load inside each replica's process at once, a warm-up round and a measured one, then the replicas'
 * ledgers compared. It prints each replica's figures and fails, with a non-zero exit, only when the
 * ledgers disagree or hold a command twice. Run it from the repository's root:
 *
 * <pre>
 * mvn -B -pl benchmarks -am verify -DskipTests -Pthroughput [-Dthroughput.clients=32] [-Dthroughput.seconds=10]
 * </pre>
 */
public final class ThreeProcessThroughput {

	private static final Duration WARM_UP = Duration.ofSeconds(3);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

	private ThreeProcessThroughput() {
	}

	public static void main(String[] args) throws IOException {
		int clients = Integer.getInteger("throughput.clients", 32);
		Duration measured = Duration.ofSeconds(Integer.getInteger("throughput.seconds", 10));
		Path root = BenchmarkDirectories.create("three-process-throughput");
		try (ProcessCluster cluster = ProcessCluster.start(root, REQUEST_TIMEOUT, OptionalInt.empty())) {
			int primary = cluster.primary();
			// The first round warms the JVMs' compilers; the second is the one reported.
			run(cluster, primary, clients, WARM_UP, "warmup");
			run(cluster, primary, clients, measured, "measured");
			Map<Integer, ProcessCluster.LedgerState> states = cluster.awaitConverged();
			ProcessCluster.LedgerState first = states.values().iterator().next();
			for (Map.Entry<Integer, ProcessCluster.LedgerState> state : states.entrySet()) {
				if (state.getValue().checksum() != first.checksum()) {
					throw new IllegalStateException("Replica " + state.getKey() + "'s ledger differs from the others: "
							+ states);
				}
				if (state.getValue().ids().stream().distinct().count() != state.getValue().ids().size()) {
					throw new IllegalStateException("Replica " + state.getKey() + "'s ledger holds a command twice");
				}
			}
			System.out.printf("[throughput] %d commands in every ledger, %d clients per replica, %s measured%n",
					first.size(), clients, measured);
		}
		finally {
			BenchmarkDirectories.delete(root);
		}
	}

	private static void run(ProcessCluster cluster, int primary, int clients, Duration length, String round) {
		List<CompletableFuture<String>> reports = new ArrayList<>();
		for (int replica = 0; replica < ProcessCluster.REPLICA_COUNT; replica++) {
			int index = replica;
			reports.add(CompletableFuture.supplyAsync(() -> cluster.load(index, clients, length, round + index)));
		}
		for (int replica = 0; replica < reports.size(); replica++) {
			System.out.printf("[throughput %s] replica %d (%s): %s%n", round, replica,
					(replica == primary) ? "primary" : "backup", reports.get(replica).join());
		}
	}

}
