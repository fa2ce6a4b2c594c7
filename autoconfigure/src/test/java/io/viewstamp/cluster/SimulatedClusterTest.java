package io.viewstamp.cluster;

import io.viewstamp.sim.ReplicaFactory;
import io.viewstamp.sim.SimConfiguration;
import io.viewstamp.sim.Simulator;

import static org.assertj.core.api.Assertions.assertThat;

/** The cluster scenarios on the deterministic simulator, with every checker run at the end of each step. */
class SimulatedClusterTest extends ReplicatedClusterContract {

	private static final int TICKS_MAX = 20_000;

	@Override
	TestCluster startCluster() {
		SimConfiguration configuration = SimConfiguration.scripted(1, 3, 3);
		configuration = configuration.withReplicaOptions(
				configuration.replicaOptions()
					.toBuilder()
					.snapshotIntervalOps(SNAPSHOT_INTERVAL_OPS)
					.snapshotChunkBytesMax(1024)
					.build());
		return new SimulatedCluster(new Simulator(configuration, ReplicaFactory.standard()));
	}

	/** Scripted clients, one per replica, each waiting for its put before the scenario goes on. */
	private record SimulatedCluster(Simulator simulator) implements TestCluster {

		@Override
		public int replicaCount() {
			return this.simulator.cluster().replicaCount();
		}

		@Override
		public void put(int via, String key, String value) {
			this.simulator.client(via).submitPut(key, value);
			assertThat(this.simulator.runUntil(() -> this.simulator.client(via).isIdle(), TICKS_MAX))
				.as("put %s=%s through client %d acknowledged", key, value, via)
				.isTrue();
			this.simulator.checkAll();
		}

		@Override
		public int primary() {
			assertThat(this.simulator.runUntil(() -> this.simulator.primaryIndex() >= 0, TICKS_MAX)).isTrue();
			return this.simulator.primaryIndex();
		}

		@Override
		public long view(int replica) {
			return this.simulator.replica(replica).view();
		}

		@Override
		public void crash(int replica) {
			this.simulator.crash(replica);
		}

		@Override
		public void restart(int replica) {
			this.simulator.restart(replica);
		}

		@Override
		public void wipeAndRestart(int replica) {
			this.simulator.wipeAndRecover(replica);
		}

		@Override
		public void awaitConverged() {
			this.simulator.runUntilConverged(TICKS_MAX);
			this.simulator.checkAll();
		}

		@Override
		public String value(int replica, String key) {
			return this.simulator.stateMachine(replica).get(key);
		}

		@Override
		public long appliedCommands(int replica) {
			return this.simulator.stateMachine(replica).appliedCommands();
		}

		@Override
		public void close() {
		}

	}

}
