package io.viewstamp.cluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a replicated cluster promises, written once and run on every implementation of
 * {@link TestCluster}: commands from any replica are applied once everywhere, and losing the
 * primary, a replica's process or a replica's data loses no acknowledged command.
 */
abstract class ReplicatedClusterContract {

	/** Ops between snapshots, small so that restarts and recoveries go through snapshots. */
	static final int SNAPSHOT_INTERVAL_OPS = 40;

	private TestCluster cluster;

	/** Starts a new cluster of three replicas that snapshot every {@link #SNAPSHOT_INTERVAL_OPS} ops. */
	abstract TestCluster startCluster();

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
	void aBackupThatWasDownForManySnapshotsCatchesUp() {
		TestCluster cluster = start();
		int backup = (cluster.primary() + 1) % 3;
		cluster.crash(backup);
		int via = (backup + 1) % 3;
		for (int write = 0; write < 3 * SNAPSHOT_INTERVAL_OPS; write++) {
			cluster.put(via, "k" + (write % 7), "v" + write);
		}
		cluster.restart(backup);
		cluster.awaitConverged();
		for (int key = 0; key < 7; key++) {
			int lastWrite = 3 * SNAPSHOT_INTERVAL_OPS - 1 - Math.floorMod(3 * SNAPSHOT_INTERVAL_OPS - 1 - key, 7);
			assertThat(cluster.value(backup, "k" + key)).isEqualTo("v" + lastWrite);
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

	private TestCluster start() {
		this.cluster = startCluster();
		return this.cluster;
	}

}
