package io.viewstamp.cluster;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.viewstamp.vsr.ReplicaOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a replicated cluster promises, written once and run on every implementation of
 * {@link TestCluster}: commands from any replica are applied once everywhere; losing the primary
 * (under load or not), a replica's process, every replica in turn or a replica's data loses no
 * acknowledged command; a replica far behind catches up by state transfer and restarts from what it got; an
 * evicted session fails its caller and nothing else; and a caller reads its own writes.
 */
abstract class ReplicatedClusterContract {

	/** Ops between snapshots, small so that restarts and recoveries go through snapshots. */
	static final int SNAPSHOT_INTERVAL_OPS = 40;

	private TestCluster cluster;

	/** Load puts to wait for at each step of a scenario under load. */
	static final int LOAD_STEP_PUTS = 30;

	/**
	 * Starts a new cluster of three replicas that snapshot every {@link #SNAPSHOT_INTERVAL_OPS} ops,
	 * with at least two callers' sessions beside each replica.
	 * @param clientTableSessions the sessions the replicas' client table keeps
	 * ({@code ReplicaOptions.clientsMax}): fewer than the callers' makes them evict each other
	 */
	abstract TestCluster startCluster(int clientTableSessions);

	@AfterEach
	void closeCluster() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void commandsThroughEveryReplicaAreAppliedOnceOnEveryReplica() {
		TestCluster cluster = start();
		for (int write = 0; write < 30; write++) {
			cluster.put(write % 3, "k" + write, "v" + write);
		}
		cluster.awaitConverged();
		for (int replica = 0; replica < 3; replica++) {
			assertThat(cluster.appliedCommands(replica)).isEqualTo(30);
			assertThat(cluster.value(replica, "k29")).isEqualTo("v29");
		}
	}

	@Test
	void aCrashedPrimaryIsReplacedAndCatchesUpWhenItRestarts() {
		TestCluster cluster = start();
		cluster.put(0, "k", "before");
		int primary = cluster.primary();
		long view = cluster.view(primary);
		cluster.crash(primary);

		int survivor = (primary + 1) % 3;
		cluster.put(survivor, "k", "after");
		assertThat(cluster.primary()).isNotEqualTo(primary);
		assertThat(cluster.view(survivor)).isGreaterThan(view);

		cluster.restart(primary);
		cluster.awaitConverged();
		assertThat(cluster.value(primary, "k")).isEqualTo("after");
		assertThat(cluster.appliedCommands(primary)).isEqualTo(2);
	}

	@Test
	void aBackupThatWasDownForManySnapshotsCatchesUpByStateTransferAndRestartsFromIt() {
		TestCluster cluster = start();
		int backup = (cluster.primary() + 1) % 3;
		cluster.crash(backup);
		int via = (backup + 1) % 3;
		for (int write = 0; write < 3 * SNAPSHOT_INTERVAL_OPS; write++) {
			cluster.put(via, "k" + (write % 7), "v" + write);
		}
		cluster.restart(backup);
		cluster.awaitConverged();
		assertLastWrites(cluster, backup);

		// What it installed is on its disk: it restarts from there, serves, and holds the same state.
		cluster.crash(backup);
		cluster.restart(backup);
		cluster.put(backup, "after", "restart");
		cluster.awaitConverged();
		assertLastWrites(cluster, backup);
		assertThat(cluster.appliedCommands(backup)).isEqualTo(3L * SNAPSHOT_INTERVAL_OPS + 1);
	}

	private static void assertLastWrites(TestCluster cluster, int replica) {
		for (int key = 0; key < 7; key++) {
			int lastWrite = 3 * SNAPSHOT_INTERVAL_OPS - 1 - Math.floorMod(3 * SNAPSHOT_INTERVAL_OPS - 1 - key, 7);
			assertThat(cluster.value(replica, "k" + key)).isEqualTo("v" + lastWrite);
		}
	}

	@Test
	void aReplicaThatLostItsDataRecoversFromTheOthers() {
		TestCluster cluster = start();
		for (int write = 0; write < 2 * SNAPSHOT_INTERVAL_OPS; write++) {
			cluster.put(write % 3, "k" + (write % 5), "v" + write);
		}
		int backup = (cluster.primary() + 2) % 3;
		cluster.wipeAndRestart(backup);
		cluster.put(backup, "k0", "after");
		cluster.awaitConverged();
		assertThat(cluster.value(backup, "k0")).isEqualTo("after");
		for (int key = 1; key < 5; key++) {
			assertThat(cluster.value(backup, "k" + key)).isEqualTo("v" + (75 + key));
		}
	}

	@Test
	void aPrimaryCrashUnderLoadLosesNoAcknowledgedPut() {
		TestCluster cluster = start();
		int primary = cluster.primary();
		cluster.startLoad("load");
		cluster.awaitAcknowledged(LOAD_STEP_PUTS);
		cluster.crash(primary);
		// The load goes on in a new view, through the survivors' callers.
		cluster.awaitAcknowledged(LOAD_STEP_PUTS);
		assertThat(cluster.primary()).isNotEqualTo(primary);
		TestCluster.LoadOutcome load = cluster.stopLoad();
		cluster.restart(primary);
		cluster.awaitConverged();
		assertEveryAcknowledgedPutOnEveryReplicaOnce(cluster, load, 0);
	}

	@Test
	void everyReplicaRestartedInTurnUnderLoadLosesNoAcknowledgedPut() {
		TestCluster cluster = start();
		cluster.startLoad("rolling");
		cluster.awaitAcknowledged(LOAD_STEP_PUTS);
		for (int replica = 0; replica < cluster.replicaCount(); replica++) {
			cluster.crash(replica);
			cluster.awaitAcknowledged(LOAD_STEP_PUTS);
			cluster.restart(replica);
			cluster.awaitAcknowledged(LOAD_STEP_PUTS);
		}
		TestCluster.LoadOutcome load = cluster.stopLoad();
		cluster.awaitConverged();
		assertEveryAcknowledgedPutOnEveryReplicaOnce(cluster, load, 0);
	}

	@Test
	void evictedSessionsFailOnlyTheirOwnPutsAndTheCallersGoOn() {
		// Two sessions in the client table for at least six callers: they keep evicting each other.
		TestCluster cluster = start(2);
		cluster.startLoad("evict");
		cluster.awaitAcknowledged(2 * LOAD_STEP_PUTS);
		TestCluster.LoadOutcome load = cluster.stopLoad();
		cluster.awaitConverged();
		assertThat(load.evicted()).as("puts whose session was evicted").isPositive();
		assertEveryAcknowledgedPutOnEveryReplicaOnce(cluster, load, 0);
	}

	@Test
	void aCallerReadsItsOwnWritesLocallyAndEveryAcknowledgedWriteLinearizably() {
		TestCluster cluster = start();
		for (int write = 0; write < 12; write++) {
			int via = write % 3;
			cluster.put(via, "k", "v" + write);
			assertThat(cluster.readLocal(via, "k")).as("local read on replica %d after its put", via)
				.isEqualTo("v" + write);
			for (int reader = 0; reader < 3; reader++) {
				assertThat(cluster.readLinearizable(reader, "k")).as("linearizable read on replica %d", reader)
					.isEqualTo("v" + write);
			}
		}
		int primary = cluster.primary();
		cluster.crash(primary);
		int survivor = (primary + 1) % 3;
		assertThat(cluster.readLinearizable(survivor, "k")).as("linearizable read in the next view").isEqualTo("v11");
	}

	private TestCluster start() {
		return start(ReplicaOptions.CLIENTS_MAX);
	}

	private TestCluster start(int clientTableSessions) {
		this.cluster = startCluster(clientTableSessions);
		return this.cluster;
	}

	/**
	 * Every acknowledged put is on every replica, and every replica applied each put at most once:
	 * the load's puts are all it applied besides {@code others}, at least the acknowledged ones and
	 * at most those and the puts whose outcome is unknown.
	 */
	private static void assertEveryAcknowledgedPutOnEveryReplicaOnce(TestCluster cluster, TestCluster.LoadOutcome load,
			long others) {
		assertThat(load.acknowledged()).hasSizeGreaterThan(0);
		for (int replica = 0; replica < cluster.replicaCount(); replica++) {
			for (Map.Entry<String, String> put : load.acknowledged().entrySet()) {
				assertThat(cluster.value(replica, put.getKey()))
					.as("acknowledged put %s on replica %d", put.getKey(), replica)
					.isEqualTo(put.getValue());
			}
			assertThat(cluster.appliedCommands(replica) - others).as("load puts applied by replica %d", replica)
				.isBetween((long) load.acknowledged().size(), (long) load.acknowledged().size() + load.unknown());
		}
	}

}
