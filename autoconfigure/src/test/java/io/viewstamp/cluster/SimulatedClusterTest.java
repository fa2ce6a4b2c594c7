package io.viewstamp.cluster;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import io.viewstamp.history.KvOperation;
import io.viewstamp.sim.ReplicaFactory;
import io.viewstamp.sim.ScriptedLoad;
import io.viewstamp.sim.SimConfiguration;
import io.viewstamp.sim.Simulator;

import static org.assertj.core.api.Assertions.assertThat;

/** The cluster scenarios on the deterministic simulator, with every checker run at the end of each step. */
class SimulatedClusterTest extends ReplicatedClusterContract {

	private static final int TICKS_MAX = 20_000;

	/** Callers beside each replica: client k runs beside replica k % 3, and dies and starts with it. */
	private static final int CALLERS_PER_REPLICA = 2;

	@Override
	TestCluster startCluster(int clientTableSessions) {
		SimConfiguration configuration = SimConfiguration.scripted(1, 3, 3 * CALLERS_PER_REPLICA)
			.withClientsBesideReplicas(true);
		configuration = configuration.withReplicaOptions(
				configuration.replicaOptions()
					.toBuilder()
					.snapshotIntervalOps(SNAPSHOT_INTERVAL_OPS)
					.snapshotChunkBytesMax(1024)
					.clientsMax(clientTableSessions)
					.build());
		return new SimulatedCluster(new Simulator(configuration, ReplicaFactory.standard()));
	}

	/**
	 * Scripted callers beside the replicas: a scenario's put or read through replica {@code via} is
	 * caller {@code via}'s, and waits for its answer before the scenario goes on; a load keeps every
	 * running caller busy.
	 */
	private static final class SimulatedCluster implements TestCluster {

		private final Simulator simulator;

		/** The last load, which the callers no longer follow once it stopped. */
		private ScriptedLoad load;

		private long evictionsBeforeLoad;

		SimulatedCluster(Simulator simulator) {
			this.simulator = simulator;
		}

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
		public String readLocal(int via, String key) {
			this.simulator.client(via).submitLocalRead(key);
			awaitIdle(via, "local read of " + key);
			return this.simulator.client(via).lastRead();
		}

		@Override
		public String readLinearizable(int via, String key) {
			this.simulator.client(via).submitLinearizableRead(key);
			awaitIdle(via, "linearizable read of " + key);
			return this.simulator.client(via).lastRead();
		}

		private void awaitIdle(int via, String what) {
			assertThat(this.simulator.runUntil(() -> this.simulator.client(via).isIdle(), TICKS_MAX))
				.as("%s through client %d answered", what, via)
				.isTrue();
			this.simulator.checkAll();
		}

		@Override
		public void startLoad(String prefix) {
			this.load = new ScriptedLoad(this.simulator, prefix);
			this.evictionsBeforeLoad = evictions();
		}

		@Override
		public void awaitAcknowledged(int more) {
			ScriptedLoad running = Objects.requireNonNull(this.load, "a load runs");
			long target = acknowledgedLoadPuts().size() + more;
			boolean reached = false;
			for (int tick = 0; tick < TICKS_MAX && !reached; tick++) {
				running.startIdleCallers();
				this.simulator.runTicks(1);
				reached = acknowledgedLoadPuts().size() >= target;
			}
			assertThat(reached).as("%d more load puts acknowledged within %d ticks", more, TICKS_MAX).isTrue();
			this.simulator.checkAll();
		}

		@Override
		public LoadOutcome stopLoad() {
			ScriptedLoad stopped = Objects.requireNonNull(this.load, "a load runs");
			assertThat(this.simulator.runUntil(stopped::everyRunningCallerIdle, TICKS_MAX)).as("load's last puts ended")
				.isTrue();
			this.simulator.checkAll();
			int unknown = (int) stopped.operations()
				.stream()
				.filter((operation) -> operation.completedAt() == KvOperation.UNKNOWN_COMPLETION)
				.count();
			return new LoadOutcome(acknowledgedLoadPuts(), unknown, (int) (evictions() - this.evictionsBeforeLoad));
		}

		private Map<String, String> acknowledgedLoadPuts() {
			Map<String, String> acknowledged = new HashMap<>();
			for (KvOperation operation : Objects.requireNonNull(this.load, "a load ran").operations()) {
				if (operation.completedAt() != KvOperation.UNKNOWN_COMPLETION) {
					acknowledged.put(operation.key(), operation.value());
				}
			}
			return acknowledged;
		}

		private long evictions() {
			long evictions = 0;
			for (int client = 0; client < this.simulator.clientCount(); client++) {
				evictions += this.simulator.client(client).statistics().evictions();
			}
			return evictions;
		}

		@Override
		public void close() {
		}

	}

}
