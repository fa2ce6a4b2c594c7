package io.viewstamp.benchmarks.w1.spring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import io.viewstamp.autoconfigure.ReplicaNodeLifecycle;
import io.viewstamp.benchmarks.w1.LoadRun;
import io.viewstamp.benchmarks.w1.LoadSchedule;
import io.viewstamp.runtime.NodeStatus;
import io.viewstamp.runtime.ReplicaNode;
import io.viewstamp.vsr.Status;

/**
 * Runs W1's load in this replica's application once the cluster serves, then exits the process:
 * {@code bench.variant=primary-async} or {@code primary-sync} waits for the primary to be here, and
 * {@code backup-async} for it to be elsewhere, as {@code bench.primary} places it.
 */
@Component
@Order(1)
@ConditionalOnProperty("bench.variant")
class CounterLoad implements ApplicationRunner {

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

	private final Counter counter;

	private final ReplicaNodeLifecycle lifecycle;

	private final Environment environment;

	private final ConfigurableApplicationContext context;

	CounterLoad(Counter counter, ReplicaNodeLifecycle lifecycle, Environment environment,
			ConfigurableApplicationContext context) {
		this.counter = counter;
		this.lifecycle = lifecycle;
		this.environment = environment;
		this.context = context;
	}

	@Override
	public void run(ApplicationArguments args) throws Exception {
		String variant = this.environment.getRequiredProperty("bench.variant");
		Path results = Path.of(this.environment.getRequiredProperty("bench.results"));
		ReplicaNode node = awaitNormal();
		int self = node.status().replica();
		// Every replica of the run places the primary as bench.primary says (PrimaryPlacementRunner).
		boolean onPrimary = variant.startsWith("primary");
		awaitPrimary(node, onPrimary);
		System.out.printf("[w1 viewstamp %s] replica %d, primary %d%n", variant, self, node.status().primary());
		LoadRun run = switch (variant) {
			case "primary-sync" -> new LoadRun("viewstamp", "spring-sync", this.counter::increment,
					LoadRun.processesFromSystemProperties(), results);
			case "primary-async", "backup-async" -> new LoadRun("viewstamp",
					variant.equals("primary-async") ? "spring-async" : "spring-async-backup",
					(caller) -> this.counter.incrementAsync(), LoadRun.processesFromSystemProperties(), results);
			default -> throw new IllegalArgumentException("bench.variant must be primary-async, primary-sync or "
					+ "backup-async; got " + variant);
		};
		boolean correct = run.withLogOps(() -> node.status().op()).run(LoadSchedule.fromSystemProperties(),
				this.counter::value);
		int exitCode = correct ? 0 : 1;
		System.exit(SpringApplication.exit(this.context, () -> exitCode));
	}

	private ReplicaNode awaitNormal() throws InterruptedException {
		long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			ReplicaNode node = this.lifecycle.getNode();
			if (node != null) {
				NodeStatus status = node.status();
				if (status.status() == Status.NORMAL && status.peers().stream().allMatch((peer) -> peer.connected())) {
					return node;
				}
			}
			TimeUnit.MILLISECONDS.sleep(50);
		}
		throw new IllegalStateException("The cluster did not become normal with every peer connected within "
				+ READY_TIMEOUT);
	}

	private static void awaitPrimary(ReplicaNode node, boolean self) throws InterruptedException {
		long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			NodeStatus status = node.status();
			if (status.status() == Status.NORMAL && (status.primary() == status.replica()) == self) {
				return;
			}
			TimeUnit.MILLISECONDS.sleep(50);
		}
		throw new IllegalStateException("The primary did not move " + (self ? "here" : "away") + " within "
				+ READY_TIMEOUT);
	}

}
