package io.viewstamp.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;

import io.viewstamp.runtime.NodeConfiguration;
import io.viewstamp.runtime.NodeStatus;
import io.viewstamp.runtime.ReplicaNode;
import io.viewstamp.runtime.ReplicaStoppedException;
import io.viewstamp.runtime.RuntimeOptions;
import io.viewstamp.runtime.SessionEvictedException;
import io.viewstamp.sim.workload.KvCommand;
import io.viewstamp.sim.workload.LockedKvStateMachine;
import io.viewstamp.transport.LoopbackPorts;
import io.viewstamp.transport.PeerAddress;
import io.viewstamp.vsr.ReplicaOptions;
import io.viewstamp.vsr.Status;

import static org.awaitility.Awaitility.await;

/**
 * The cluster scenarios on real replicas in this JVM: each with its own loop thread, fsync'd data
 * directory and Netty transport on loopback. A crash here closes the replica's process-local
 * parts; {@code ThreeProcessClusterTest} crashes real processes with {@code kill -9}.
 */
class NettyClusterTest extends ReplicatedClusterContract {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@TempDir
	Path root;

	/** Callers of the load on each replica, each with a session of its own. */
	private static final int CALLERS_PER_REPLICA = 2;

	/** How every replica runs; a subclass may run them otherwise. */
	RuntimeOptions options(int clientTableSessions) {
		return RuntimeOptions.builder()
			.replica(ReplicaOptions.builder()
				.snapshotIntervalOps(SNAPSHOT_INTERVAL_OPS)
				.snapshotChunkBytesMax(1024)
				.clientsMax(clientTableSessions)
				.build())
			.clientSessionsMax(Math.min(RuntimeOptions.CLIENT_SESSIONS_MAX, clientTableSessions))
			.build();
	}

	@Override
	TestCluster startCluster(int clientTableSessions) {
		RuntimeOptions options = options(clientTableSessions);
		NettyCluster cluster = new NettyCluster(this.root, LoopbackPorts.freeAddresses(3), options);
		for (int replica = 0; replica < 3; replica++) {
			ReplicaNode.format(cluster.configuration(replica));
			cluster.start(replica);
		}
		return cluster;
	}

	/**
	 * The load's callers: threads in a closed loop on one replica's client, each ending when its
	 * replica stops (as callers in a crashed process do); a replica that starts again while the load
	 * runs gets callers of its own.
	 */
	private static final class LoadCallers {

		final Map<String, String> acknowledged = new ConcurrentHashMap<>();

		private final AtomicInteger unknown = new AtomicInteger();

		private final AtomicInteger evicted = new AtomicInteger();

		private final AtomicLong puts = new AtomicLong();

		private final List<Thread> callers = new ArrayList<>();

		private volatile String prefix;

		synchronized void start(String prefix, ReplicaNode[] nodes) {
			this.prefix = prefix + "-";
			for (ReplicaNode node : nodes) {
				if (node != null) {
					startCallers(node);
				}
			}
		}

		synchronized void startCallers(ReplicaNode node) {
			if (this.prefix == null) {
				return;
			}
			for (int caller = 0; caller < CALLERS_PER_REPLICA; caller++) {
				Thread thread = new Thread(() -> call(node), "load-caller-" + this.callers.size());
				this.callers.add(thread);
				thread.start();
			}
		}

		private void call(ReplicaNode node) {
			String keys = this.prefix;
			while (this.prefix != null) {
				long put = this.puts.incrementAndGet();
				String key = keys + put;
				String value = "v" + put;
				try {
					node.client().submit(KvCommand.put(key, value).encode()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
					this.acknowledged.put(key, value);
				}
				catch (ExecutionException ex) {
					this.unknown.incrementAndGet();
					if (ex.getCause() instanceof SessionEvictedException) {
						this.evicted.incrementAndGet();
					}
					if (ex.getCause() instanceof ReplicaStoppedException) {
						return;
					}
				}
				catch (InterruptedException | TimeoutException ex) {
					this.unknown.incrementAndGet();
					return;
				}
			}
		}

		synchronized TestCluster.LoadOutcome stop() {
			this.prefix = null;
			for (Thread caller : this.callers) {
				try {
					caller.join(WAIT.toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new AssertionError("interrupted while the load's callers ended", ex);
				}
				if (caller.isAlive()) {
					throw new AssertionError(caller.getName() + " did not end within " + WAIT);
				}
			}
			this.callers.clear();
			return new TestCluster.LoadOutcome(Map.copyOf(this.acknowledged), this.unknown.get(), this.evicted.get());
		}

	}

	private static final class NettyCluster implements TestCluster {

		private final Path root;

		private final List<PeerAddress> peers;

		private final RuntimeOptions options;

		private final ReplicaNode[] nodes;

		private final LockedKvStateMachine[] stateMachines;

		private final LoadCallers load = new LoadCallers();

		NettyCluster(Path root, List<PeerAddress> peers, RuntimeOptions options) {
			this.root = root;
			this.peers = peers;
			this.options = options;
			this.nodes = new ReplicaNode[peers.size()];
			this.stateMachines = new LockedKvStateMachine[peers.size()];
		}

		NodeConfiguration configuration(int replica) {
			return new NodeConfiguration(11, replica, this.peers, this.root.resolve("replica-" + replica));
		}

		void start(int replica) {
			this.stateMachines[replica] = new LockedKvStateMachine();
			this.nodes[replica] = ReplicaNode.start(configuration(replica), this.options, this.stateMachines[replica]);
			this.load.startCallers(this.nodes[replica]);
		}

		@Override
		public int replicaCount() {
			return this.nodes.length;
		}

		@Override
		public void put(int via, String key, String value) {
			try {
				this.nodes[via].client().submit(KvCommand.put(key, value).encode()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				throw new AssertionError("put " + key + "=" + value + " through replica " + via + " failed", ex);
			}
		}

		@Override
		public int primary() {
			int[] primary = new int[1];
			await().atMost(WAIT).until(() -> {
				NodeStatus newest = null;
				for (ReplicaNode node : this.nodes) {
					NodeStatus status = (node != null) ? node.status() : null;
					if (status != null && status.status() == Status.NORMAL && (newest == null || status.view() > newest.view())) {
						newest = status;
					}
				}
				if (newest == null || this.nodes[newest.primary()] == null
						|| this.nodes[newest.primary()].status().view() != newest.view()) {
					return false;
				}
				primary[0] = newest.primary();
				return true;
			});
			return primary[0];
		}

		@Override
		public long view(int replica) {
			return this.nodes[replica].status().view();
		}

		@Override
		public void crash(int replica) {
			this.nodes[replica].close();
			this.nodes[replica] = null;
		}

		@Override
		public void restart(int replica) {
			start(replica);
		}

		@Override
		public void wipeAndRestart(int replica) {
			crash(replica);
			try (Stream<Path> paths = Files.walk(configuration(replica).dataDirectory())) {
				for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
					Files.delete(path);
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			start(replica);
		}

		@Override
		public void awaitConverged() {
			await().atMost(WAIT).until(() -> {
				List<NodeStatus> statuses = new ArrayList<>();
				List<Long> checksums = new ArrayList<>();
				for (int replica = 0; replica < this.nodes.length; replica++) {
					if (this.nodes[replica] != null) {
						statuses.add(this.nodes[replica].status());
						checksums.add(this.stateMachines[replica].stateChecksum());
					}
				}
				return statuses.stream().allMatch((status) -> status.status() == Status.NORMAL
						&& status.op() == status.commit() && status.commit() == statuses.get(0).commit())
						&& checksums.stream().distinct().count() == 1;
			});
		}

		@Override
		public String value(int replica, String key) {
			return this.stateMachines[replica].get(key);
		}

		@Override
		public long appliedCommands(int replica) {
			return this.stateMachines[replica].appliedCommands();
		}

		@Override
		public String readLocal(int via, String key) {
			return this.stateMachines[via].get(key);
		}

		@Override
		public String readLinearizable(int via, String key) {
			try {
				this.nodes[via].client().barrier().get(WAIT.toSeconds(), TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				throw new AssertionError("the barrier of a linearizable read of " + key + " on replica " + via + " failed",
						ex);
			}
			return this.stateMachines[via].get(key);
		}

		@Override
		public void startLoad(String prefix) {
			this.load.start(prefix, this.nodes);
		}

		@Override
		public void awaitAcknowledged(int more) {
			int target = this.load.acknowledged.size() + more;
			await().atMost(WAIT).until(() -> this.load.acknowledged.size() >= target);
		}

		@Override
		public LoadOutcome stopLoad() {
			return this.load.stop();
		}

		@Override
		public void close() {
			this.load.stop();
			for (ReplicaNode node : this.nodes) {
				if (node != null) {
					node.close();
				}
			}
		}

	}

}
