package io.viewstamp.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.viewstamp.sim.workload.KvCommand;
import io.viewstamp.sim.workload.LockedKvStateMachine;
import io.viewstamp.transport.PeerAddress;
import io.viewstamp.vsr.Cluster;
import io.viewstamp.vsr.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replicas of one cluster on 127.0.0.1, in this JVM, over Netty: each with a key-value state
 * machine and a data directory of its own under a root, started and stopped by index. Puts are
 * numbered in order ({@code k1 = v1}, {@code k2 = v2}, ...), sent through the running replicas in
 * turn, so that a test can check that each acknowledged one is in a replica's state.
 */
final class LoopbackNodes implements AutoCloseable {

	/** Long enough for a view change and a catch-up on two busy cores. */
	static final Duration WAIT = Duration.ofSeconds(60);

	private final long clusterId;

	private final Path root;

	private final ReplicaNode[] nodes = new ReplicaNode[Cluster.REPLICAS_MAX];

	private final LockedKvStateMachine[] stateMachines = new LockedKvStateMachine[Cluster.REPLICAS_MAX];

	private List<PeerAddress> peers;

	private int puts;

	LoopbackNodes(long clusterId, Path root, List<PeerAddress> peers) {
		this.clusterId = clusterId;
		this.root = root;
		this.peers = List.copyOf(peers);
	}

	/** The peer list of the replicas started from now on (a rolling restart's new one). */
	void usePeers(List<PeerAddress> peers) {
		this.peers = List.copyOf(peers);
	}

	/** Starts replica {@code index} from its data directory (empty or not), with a new state machine. */
	ReplicaNode start(int index) {
		this.stateMachines[index] = new LockedKvStateMachine();
		this.nodes[index] = ReplicaNode.start(new NodeConfiguration(this.clusterId, index, this.peers, dataDirectory(index)),
				RuntimeOptions.defaults(), this.stateMachines[index]);
		return this.nodes[index];
	}

	/** Starts replicas {@code 0..count-1}, side by side. */
	void startAll(int count) {
		for (int index = 0; index < count; index++) {
			start(index);
		}
	}

	/** Closes replica {@code index} cleanly (a primary hands its view over first). */
	void stop(int index) {
		this.nodes[index].close();
		this.nodes[index] = null;
	}

	ReplicaNode node(int index) {
		return this.nodes[index];
	}

	LockedKvStateMachine stateMachine(int index) {
		return this.stateMachines[index];
	}

	Path dataDirectory(int index) {
		return this.root.resolve("replica-" + index);
	}

	/** The primary, as the lowest running replica knows it. */
	int primary() {
		for (ReplicaNode node : this.nodes) {
			if (node != null) {
				return node.status().primary();
			}
		}
		throw new IllegalStateException("no replica runs");
	}

	/** The number of puts acknowledged so far. */
	int puts() {
		return this.puts;
	}

	/** Puts the next {@code count} numbered keys, one at a time, each acknowledged, through the running replicas in turn. */
	void put(int count) throws Exception {
		for (int put = 0; put < count; put++) {
			this.puts++;
			ReplicaNode caller = runningAt(this.puts);
			caller.client().submit(KvCommand.put("k" + this.puts, "v" + this.puts).encode()).get(WAIT.toSeconds(),
					TimeUnit.SECONDS);
		}
	}

	/** Waits until each replica of {@code members} (bit {@code i} for replica {@code i}) is normal in {@code epoch} with those members. */
	void awaitNormal(int members, long epoch) {
		await().atMost(WAIT).until(() -> {
			for (int index = 0; index < Cluster.REPLICAS_MAX; index++) {
				if ((members & (1 << index)) == 0) {
					continue;
				}
				NodeStatus status = (this.nodes[index] != null) ? this.nodes[index].status() : null;
				if (status == null || status.status() != Status.NORMAL || status.configuration().epoch() != epoch
						|| status.configuration().members() != members) {
					return false;
				}
			}
			return true;
		});
	}

	/** Waits until put {@code first} to put {@code last} are each in the state of every one of {@code replicas}. */
	void awaitPutsOn(int first, int last, int... replicas) {
		await().atMost(WAIT).untilAsserted(() -> {
			for (int index : replicas) {
				for (int put = first; put <= last; put++) {
					assertThat(this.stateMachines[index].get("k" + put)).as("k%d on replica %d", put, index)
						.isEqualTo("v" + put);
				}
			}
		});
	}

	@Override
	public void close() {
		for (int index = 0; index < this.nodes.length; index++) {
			if (this.nodes[index] != null) {
				this.nodes[index].close();
				this.nodes[index] = null;
			}
		}
	}

	private ReplicaNode runningAt(int turn) {
		for (int offset = 0; offset < this.nodes.length; offset++) {
			ReplicaNode node = this.nodes[(turn + offset) % this.nodes.length];
			if (node != null && !node.status().stopped()) {
				return node;
			}
		}
		throw new IllegalStateException("no replica runs");
	}

}
