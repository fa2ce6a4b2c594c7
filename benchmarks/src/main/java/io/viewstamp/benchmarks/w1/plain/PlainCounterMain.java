package io.viewstamp.benchmarks.w1.plain;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.viewstamp.benchmarks.w1.LoadRun;
import io.viewstamp.benchmarks.w1.LoadSchedule;
import io.viewstamp.benchmarks.w1.PrimaryPlacement;
import io.viewstamp.runtime.NodeConfiguration;
import io.viewstamp.runtime.NodeStatus;
import io.viewstamp.runtime.ReplicaNode;
import io.viewstamp.runtime.RuntimeOptions;
import io.viewstamp.transport.PeerAddress;
import io.viewstamp.vsr.Status;

/**
 * One replica of W1's plain variant. Arguments: the replica's index, the peers
 * ({@code host:port,host:port,...}) and the data directory. With {@code -Dbench.variant=plain} it
 * waits for the primary to be here ({@code -Dbench.primary}, on every replica, places it), runs the
 * load, and exits; otherwise it serves until killed.
 */
public final class PlainCounterMain {

	private static final long CLUSTER_ID = 0x57_31;

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

	private static final byte[] INCREMENT = { 1 };

	private PlainCounterMain() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 3) {
			System.err.println("Usage: PlainCounterMain <replica index> <host:port,host:port,...> <data directory>");
			System.exit(2);
		}
		int replica = Integer.parseInt(args[0]);
		List<PeerAddress> peers = Arrays.stream(args[1].split(",")).map(PeerAddress::parse).toList();
		NodeConfiguration configuration = new NodeConfiguration(CLUSTER_ID, replica, peers, Path.of(args[2]));
		if (!ReplicaNode.isFormatted(configuration)) {
			ReplicaNode.format(configuration);
		}
		CounterStateMachine counter = new CounterStateMachine();
		ReplicaNode node = ReplicaNode.start(configuration, RuntimeOptions.defaults(), counter);
		PrimaryPlacement.startFromSystemProperties(node::status, node::transferPrimary);
		String variant = System.getProperty("bench.variant");
		if (variant == null) {
			CountDownLatch stopped = new CountDownLatch(1);
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				node.close();
				stopped.countDown();
			}));
			stopped.await();
			return;
		}
		awaitPrimaryHere(node);
		LoadRun run = new LoadRun("viewstamp", "plain-async",
				(caller) -> node.client().submit(INCREMENT).thenApply((result) -> ByteBuffer.wrap(result).getLong()),
				LoadRun.processesFromSystemProperties(), Path.of(System.getProperty("bench.results")));
		// After a barrier this replica has applied every increment acknowledged before it.
		boolean correct = run.run(LoadSchedule.fromSystemProperties(), () -> {
			node.client().barrier().join();
			return counter.value();
		});
		node.close();
		System.exit(correct ? 0 : 1);
	}

	private static void awaitPrimaryHere(ReplicaNode node) throws InterruptedException {
		long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			NodeStatus status = node.status();
			boolean connected = status.peers().stream().allMatch((peer) -> peer.connected());
			if (status.status() == Status.NORMAL && connected) {
				if (status.primary() == status.replica()) {
					return;
				}
				// The primary hands its view over to us (PrimaryPlacement, bench.primary).
			}
			TimeUnit.MILLISECONDS.sleep(50);
		}
		throw new IllegalStateException("Replica " + node.status().replica() + " did not become the primary of a "
				+ "connected cluster within " + READY_TIMEOUT);
	}

}
