package io.viewstamp.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;

import io.viewstamp.runtime.NodeConfiguration;
import io.viewstamp.runtime.NodeStatus;
import io.viewstamp.runtime.ReplicaNode;
import io.viewstamp.runtime.RuntimeOptions;
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

	/** How every replica runs; a subclass may run them otherwise. */
	RuntimeOptions options() {
		return RuntimeOptions.builder()
			.replica(ReplicaOptions.builder().snapshotIntervalOps(SNAPSHOT_INTERVAL_OPS).snapshotChunkBytesMax(1024).build())
			.build();
	}

	@Override
	TestCluster startCluster() {
		RuntimeOptions options = options();
		NettyCluster cluster = new NettyCluster(this.root, LoopbackPorts.freeAddresses(3), options);
		for (int replica = 0; replica < 3; replica++) {
			ReplicaNode.format(cluster.configuration(replica));
			cluster.start(replica);
		}
		return cluster;
	}

	private static final class NettyCluster implements TestCluster {

		private final Path root;

		private final List<PeerAddress> peers;

		private final RuntimeOptions options;

		private final ReplicaNode[] nodes;

		private final LockedKvStateMachine[] stateMachines;

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
		public void close() {
			for (ReplicaNode node : this.nodes) {
				if (node != null) {
					node.close();
				}
			}
		}

	}

}
