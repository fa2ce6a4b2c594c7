package io.viewstamp.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import io.viewstamp.runtime.ProcessCluster.ClusterView;
import io.viewstamp.runtime.ProcessCluster.LedgerState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three replicas as three real JVMs on 127.0.0.1 ({@link ProcessCluster}), with clients on every
 * replica, through a crash of the primary (SIGKILL) and its restart, and through the loss of a
 * backup's data directory. After each, every acknowledged command is in every replica's ledger
 * exactly once, no command appears that no client submitted, and the replicas' ledgers are equal
 * (same checksum over the same ids at the same ops). A command whose outcome the client does not
 * know (timed out, or its replica died) may be there once or not at all, never twice.
 *
 * <p>The figures printed (time to a new view, counts) are for the record, never asserted: timing
 * belongs to the benchmarks. The logs of a failed run stay in the temporary directory it names.
 */
class ThreeProcessClusterTest {

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * Small enough that a replica which misses a few hundred ops can no longer get them from its
	 * peers' journals and catches up through a snapshot instead.
	 */
	private static final int SNAPSHOT_INTERVAL_OPS = 200;

	private static final int CLIENTS_PER_REPLICA = 3;

	private static final int COMMANDS_PER_CLIENT = 150;

	/** Bounds a load that runs until the test stops it. */
	private static final int COMMANDS_PER_CLIENT_MAX = 100_000;

	/** Commands acknowledged before the fault, so the fault hits a cluster under load with a history. */
	private static final int COMMANDS_BEFORE_FAULT_MIN = 300;

	/** Ops committed while a replica is down: past two snapshots, so it needs a snapshot to catch up. */
	private static final int OPS_WHILE_DOWN_MIN = 2 * SNAPSHOT_INTERVAL_OPS + 50;

	private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(45);

	private static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

	@TempDir(cleanup = CleanupMode.ON_SUCCESS)
	Path root;

	private ProcessCluster cluster;

	private ClusterLoad load;

	@AfterEach
	void stopCluster() {
		if (this.load != null) {
			this.load.close();
		}
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void whenClientsSubmitOnEveryReplicaThenEachCommandIsAppliedOnceEverywhere() {
		this.cluster = ProcessCluster.start(this.root, REQUEST_TIMEOUT, OptionalInt.empty());
		this.cluster.awaitNormalView(-1);
		this.load = new ClusterLoad(this.cluster, "every", CLIENTS_PER_REPLICA, COMMANDS_PER_CLIENT);
		this.load.awaitCompletion(LOAD_TIMEOUT);
		System.out.println("[clients on every replica] " + this.load.summary());

		Map<Integer, LedgerState> states = this.cluster.awaitConverged();

		// Without a fault, nothing may time out or fail: every command is acknowledged.
		assertThat(this.load.unknown()).as("commands without an acknowledgement in a cluster without faults").isEmpty();
		assertThat(this.load.acknowledged())
			.hasSize(ProcessCluster.REPLICA_COUNT * CLIENTS_PER_REPLICA * COMMANDS_PER_CLIENT);
		assertExactlyOnceAndEqual(states);
	}

	@Test
	void whenThePrimaryIsKilledUnderLoadThenANewViewFormsAndTheRestartedReplicaCatchesUp() {
		this.cluster = ProcessCluster.start(this.root, REQUEST_TIMEOUT, OptionalInt.of(SNAPSHOT_INTERVAL_OPS));
		ClusterView before = this.cluster.awaitNormalView(-1);
		int killed = before.primary();
		List<Integer> survivors = otherReplicas(killed);
		this.load = new ClusterLoad(this.cluster, "kill", CLIENTS_PER_REPLICA, COMMANDS_PER_CLIENT_MAX);
		awaitAcknowledged(COMMANDS_BEFORE_FAULT_MIN);

		long killedAtNanos = System.nanoTime();
		this.cluster.kill(killed);
		long[] acknowledgedAtKill = survivors.stream().mapToLong(this.load::acknowledgedOn).toArray();
		ClusterView after = this.cluster.awaitNormalView(before.view());
		long newViewMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAtNanos);

		assertThat(after.primary()).as("the primary of the view after the crash").isNotEqualTo(killed);
		long commitAfterViewChange = this.cluster.status(after.primary()).commit();
		awaitCommit(after.primary(), commitAfterViewChange + OPS_WHILE_DOWN_MIN);
		long acknowledgedSinceKill = 0;
		for (int index = 0; index < survivors.size(); index++) {
			acknowledgedSinceKill += this.load.acknowledgedOn(survivors.get(index)) - acknowledgedAtKill[index];
		}
		assertThat(acknowledgedSinceKill).as("commands acknowledged on the survivors after the crash").isPositive();
		System.out.println("[kill primary] killed replica " + killed + ", primary of view " + before.view()
				+ "; replicas " + survivors + " were normal in view " + after.view() + " with primary " + after.primary()
				+ " " + newViewMillis + " ms after the kill; " + acknowledgedSinceKill
				+ " commands acknowledged on the survivors since the kill");

		// It restarts from its data directory while the load goes on, and rejoins the current view.
		this.cluster.start(killed);
		this.cluster.awaitNormalView(-1);
		finishAndCheck("kill primary");
	}

	@Test
	void whenABackupLosesItsDataThenItRecoversFromTheOthers() {
		this.cluster = ProcessCluster.start(this.root, REQUEST_TIMEOUT, OptionalInt.of(SNAPSHOT_INTERVAL_OPS));
		ClusterView view = this.cluster.awaitNormalView(-1);
		int wiped = (view.primary() + 1) % ProcessCluster.REPLICA_COUNT;
		this.load = new ClusterLoad(this.cluster, "wipe", CLIENTS_PER_REPLICA, COMMANDS_PER_CLIENT_MAX);
		awaitAcknowledged(COMMANDS_BEFORE_FAULT_MIN);
		// Past two snapshots, the journals no longer start at op 1: the new replica needs a snapshot.
		awaitCommit(view.primary(), OPS_WHILE_DOWN_MIN);

		this.cluster.kill(wiped);
		this.cluster.wipe(wiped);
		long acknowledgedBeforeRecovery = this.load.acknowledgedOn(wiped);
		long recoveryStartedNanos = System.nanoTime();
		this.cluster.start(wiped);
		this.cluster.awaitNormalView(-1);
		long recoveryMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - recoveryStartedNanos);
		await("clients on the recovered replica " + wiped + " to be served").atMost(PROGRESS_TIMEOUT)
			.pollInterval(POLL_INTERVAL)
			.until(() -> this.load.acknowledgedOn(wiped) > acknowledgedBeforeRecovery);
		System.out.println("[wipe backup] replica " + wiped + " started on an empty data directory and was normal "
				+ recoveryMillis + " ms later (JVM start included), at commit " + this.cluster.status(wiped).commit());
		finishAndCheck("wipe backup");
	}

	/** Stops the load, waits for the replicas to agree, and checks the ledgers against what clients saw. */
	private void finishAndCheck(String scenario) {
		this.load.stop(REQUEST_TIMEOUT);
		System.out.println("[" + scenario + "] " + this.load.summary() + ", unknown outcome="
				+ this.load.unknown().size());
		Map<Integer, LedgerState> states = this.cluster.awaitConverged();
		LedgerState any = states.values().iterator().next();
		System.out.println("[" + scenario + "] converged: " + states.size() + " replicas with " + any.size()
				+ " commands, checksum " + Long.toHexString(any.checksum()));
		assertExactlyOnceAndEqual(states);
	}

	private void assertExactlyOnceAndEqual(Map<Integer, LedgerState> states) {
		LedgerChecks.assertExactlyOnceAndEqual(this.load, states);
	}

	private void awaitAcknowledged(long count) {
		await(count + " commands acknowledged").atMost(PROGRESS_TIMEOUT)
			.pollInterval(POLL_INTERVAL)
			.until(() -> this.load.acknowledgedCount() >= count);
	}

	private void awaitCommit(int replica, long commit) {
		await("replica " + replica + " to commit op " + commit).atMost(PROGRESS_TIMEOUT)
			.pollInterval(POLL_INTERVAL)
			.ignoreExceptions()
			.until(() -> this.cluster.status(replica).commit() >= commit);
	}

	private static List<Integer> otherReplicas(int replica) {
		return IntStream.range(0, ProcessCluster.REPLICA_COUNT)
			.filter((other) -> other != replica)
			.boxed()
			.toList();
	}

}
