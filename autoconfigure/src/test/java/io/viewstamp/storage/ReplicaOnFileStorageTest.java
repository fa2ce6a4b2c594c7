package io.viewstamp.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.viewstamp.sim.workload.KvCommand;
import io.viewstamp.sim.workload.KvStateMachine;
import io.viewstamp.vsr.Cluster;
import io.viewstamp.vsr.DurableState;
import io.viewstamp.vsr.Operation;
import io.viewstamp.vsr.Outbox;
import io.viewstamp.vsr.Replica;
import io.viewstamp.vsr.ReplicaMessage;
import io.viewstamp.vsr.ReplicaOptions;
import io.viewstamp.vsr.Reply;
import io.viewstamp.vsr.ReplyStatus;
import io.viewstamp.vsr.Request;
import io.viewstamp.vsr.Status;
import io.viewstamp.vsr.Superblock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three replicas on real data directories, with fsync'd journals, superblocks and snapshots: a
 * replica that stops comes back from its snapshot and journal, and one whose directory is gone
 * recovers from its peers. One thread owns every replica (as the runtime's event loop will);
 * messages, ticks and storage completions are tasks on it.
 */
class ReplicaOnFileStorageTest {

	private static final long CLUSTER_ID = 42;

	private static final Duration CONVERGENCE_TIMEOUT = Duration.ofSeconds(30);

	private static final ReplicaOptions OPTIONS = ReplicaOptions.builder().snapshotIntervalOps(40).snapshotChunkBytesMax(4096).build();

	@TempDir
	Path root;

	private final ExecutorService loop = Executors.newSingleThreadExecutor();

	private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

	private final Node[] nodes = new Node[3];

	private final ConcurrentHashMap<Long, Reply> replies = new ConcurrentHashMap<>();

	private final Cluster cluster = new Cluster(CLUSTER_ID, 3);

	private long ticks;

	@AfterEach
	void stop() throws Exception {
		this.ticker.shutdownNow();
		onLoop(() -> {
			for (Node node : this.nodes) {
				if (node != null) {
					node.stop();
				}
			}
		});
		this.loop.shutdown();
		assertThat(this.loop.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void aReplicaThatStoppedComesBackFromItsSnapshotAndJournalAndCatchesUp() throws Exception {
		startCluster();
		Client client = new Client(1);
		client.putAll(0, 100);
		onLoop(() -> this.nodes[2].stop());
		client.putAll(100, 150);

		onLoop(() -> this.nodes[2] = Node.start(this, 2, false));
		assertThat(onLoop(() -> this.nodes[2].restartedFrom)).isNotNull()
			.satisfies((state) -> assertThat(state.snapshot()).as("the restart used a snapshot").isNotNull());
		awaitConvergence();
		assertThat(onLoop(() -> this.nodes[2].stateMachine.get("k7"))).isEqualTo("v147");
	}

	@Test
	void aReplicaWhoseDataDirectoryIsGoneRecoversFromItsPeers() throws Exception {
		startCluster();
		Client client = new Client(1);
		client.putAll(0, 100);
		onLoop(() -> this.nodes[1].stop());
		deleteRecursively(this.root.resolve("replica-1"));

		onLoop(() -> this.nodes[1] = Node.start(this, 1, false));
		assertThat(onLoop(() -> this.nodes[1].restartedFrom)).as("an empty directory has no state").isNull();
		client.putAll(100, 120);
		awaitConvergence();
		assertThat(onLoop(() -> this.nodes[1].stateMachine.get("k3"))).isEqualTo("v113");
	}

	private void startCluster() throws Exception {
		onLoop(() -> {
			for (int index = 0; index < 3; index++) {
				this.nodes[index] = Node.start(this, index, true);
			}
		});
		this.ticker.scheduleAtFixedRate(() -> this.loop.execute(this::tickAll), 1, 1, TimeUnit.MILLISECONDS);
	}

	private void tickAll() {
		this.ticks++;
		for (Node node : this.nodes) {
			if (node != null && node.replica != null) {
				node.replica.tick(this.ticks * 10_000_000L);
			}
		}
	}

	private void awaitConvergence() {
		await().atMost(CONVERGENCE_TIMEOUT).until(() -> onLoop(() -> {
			long commit = this.nodes[0].replica.commit();
			for (Node node : this.nodes) {
				if (node.replica.status() != Status.NORMAL || node.replica.commit() != commit
						|| node.replica.op() != commit) {
					return false;
				}
			}
			return this.nodes[1].stateMachine.stateChecksum() == this.nodes[0].stateMachine.stateChecksum()
					&& this.nodes[2].stateMachine.stateChecksum() == this.nodes[0].stateMachine.stateChecksum();
		}));
	}

	private <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
		return this.loop.submit(task).get(10, TimeUnit.SECONDS);
	}

	private void onLoop(Runnable task) throws Exception {
		this.loop.submit(task).get(10, TimeUnit.SECONDS);
	}

	private static void deleteRecursively(Path directory) throws IOException {
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

	/** One replica with its storage and state machine; everything here runs on the loop. */
	private static final class Node implements Outbox, StorageCompletions {

		private final ReplicaOnFileStorageTest test;

		private final int index;

		private FileStorage storage;

		private Replica replica;

		private KvStateMachine stateMachine;

		private DurableState restartedFrom;

		private Node(ReplicaOnFileStorageTest test, int index) {
			this.test = test;
			this.index = index;
		}

		static Node start(ReplicaOnFileStorageTest test, int index, boolean format) {
			Node node = new Node(test, index);
			Path directory = test.root.resolve("replica-" + index);
			if (format) {
				FileStorage.format(directory, CLUSTER_ID, index, 3);
			}
			node.storage = FileStorage.open(directory, CLUSTER_ID, index, 3, FileStorageOptions.defaults(), node,
					test.loop::execute);
			node.stateMachine = new KvStateMachine();
			Optional<DurableState> state = node.storage.durableState();
			node.restartedFrom = state.orElse(null);
			node.replica = state.isPresent()
					? Replica.restart(test.cluster, index, OPTIONS, state.get(), node.storage, node, node.stateMachine,
							new SplittableRandom(index))
					: Replica.recover(test.cluster, index, OPTIONS, node.storage, node, node.stateMachine,
							new SplittableRandom(index));
			return node;
		}

		void stop() {
			if (this.replica != null) {
				this.replica = null;
				this.storage.close();
			}
		}

		@Override
		public void send(int to, ReplicaMessage message) {
			if (to >= this.test.nodes.length) {
				// No replica there: a recovering replica asks every index.
				return;
			}
			this.test.loop.execute(() -> {
				Node target = this.test.nodes[to];
				if (target != null && target.replica != null) {
					target.replica.receive(message);
				}
			});
		}

		@Override
		public void reply(Reply reply) {
			this.test.replies.merge(reply.requestNumber(), reply, (old, added) -> old);
		}

		@Override
		public void onEntryWritten(long op, long checksum) {
			if (this.replica != null) {
				this.replica.onEntryWritten(op, checksum);
			}
		}

		@Override
		public void onSuperblockWritten(Superblock superblock) {
			if (this.replica != null) {
				this.replica.onSuperblockWritten(superblock);
			}
		}

		@Override
		public void onSnapshotWritten(long op) {
			if (this.replica != null) {
				this.replica.onSnapshotWritten(op);
			}
		}

		@Override
		public void onStorageFailed(Exception cause) {
			throw new IllegalStateException("replica " + this.index + "'s storage failed", cause);
		}

	}

	/** A client that sends one request at a time to every replica until the reply comes. */
	private final class Client {

		private final long clientId;

		private long session;

		private long requestNumber;

		Client(long clientId) throws Exception {
			this.clientId = clientId;
			this.session = call(Request.register(clientId, 1)).session();
		}

		void putAll(int from, int to) throws Exception {
			for (int write = from; write < to; write++) {
				KvCommand command = KvCommand.put("k" + (write % 10), "v" + write);
				this.requestNumber++;
				Reply reply = call(new Request(this.clientId, this.session, this.requestNumber, Operation.COMMAND,
						command.encode()));
				assertThat(reply.status()).isEqualTo(ReplyStatus.OK);
			}
		}

		private Reply call(Request request) {
			List<Reply> answer = new ArrayList<>();
			await().atMost(CONVERGENCE_TIMEOUT).pollInterval(Duration.ofMillis(5)).until(() -> {
				Reply reply = ReplicaOnFileStorageTest.this.replies.remove(request.requestNumber());
				if (reply != null && reply.clientId() == this.clientId) {
					answer.add(reply);
					return true;
				}
				for (int to = 0; to < 3; to++) {
					int target = to;
					ReplicaOnFileStorageTest.this.loop.execute(() -> {
						Node node = ReplicaOnFileStorageTest.this.nodes[target];
						if (node != null && node.replica != null) {
							node.replica.receive(request);
						}
					});
				}
				return false;
			});
			return answer.get(0);
		}

	}

}
