package io.viewstamp.test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import io.viewstamp.runtime.CommandGateway;
import io.viewstamp.runtime.ReadBarriers;
import io.viewstamp.vsr.Client;
import io.viewstamp.vsr.ClientFailure;
import io.viewstamp.vsr.ClientHost;
import io.viewstamp.vsr.ClientOptions;
import io.viewstamp.vsr.Cluster;
import io.viewstamp.vsr.DurableState;
import io.viewstamp.vsr.Message;
import io.viewstamp.vsr.Outbox;
import io.viewstamp.vsr.Replica;
import io.viewstamp.vsr.ReplicaMessage;
import io.viewstamp.vsr.ReplicaOptions;
import io.viewstamp.vsr.Reply;
import io.viewstamp.vsr.Request;
import io.viewstamp.vsr.Status;
import org.jspecify.annotations.Nullable;

/**
 * A cluster of three replicas of the application in one thread, driven tick by tick: the
 * protocol's own {@link Replica} and {@link Client}, a network that delays, reorders, duplicates
 * and drops messages, disks that lose what was not yet written, and crashes of one replica at a
 * time, all drawn from one seed, so that a run replays exactly. Each replica runs the application
 * in its own Spring context; a crash loses that context, and the replica restarts from its disk.
 *
 * <p>A call through a replica's proxy runs the world until the call is answered; a failed check
 * ends the run at the end of the tick that found it.
 */
final class SimulatedWorld implements AutoCloseable {

	static final int REPLICA_COUNT = 3;

	/** A tick stands for 10 ms, the runtime's own; 20,000 ticks are more than three simulated minutes. */
	static final int CALL_TICKS_MAX = 20_000;

	private static final long TICK_NANOS = 10_000_000L;

	/** The simulated wall clock starts at 2026-01-01T00:00:00Z. */
	private static final long EPOCH_NANOS = 1_767_225_600L * 1_000_000_000L;

	/** Small, so that a short test takes many snapshots, each one restored and checked. */
	static final int SNAPSHOT_INTERVAL_OPS = 8;

	private static final int PIPELINE_PREPARES_MAX = 4;

	private static final int DELAY_TICKS_MAX = 6;

	private static final int DROP_ONE_IN = 40;

	private static final int DUPLICATE_ONE_IN = 50;

	/** A crash about every 15 simulated seconds. */
	private static final int CRASH_ONE_IN = 1_500;

	private static final int DOWN_TICKS_MAX = 800;

	private final long seed;

	private final ApplicationDefinition definition;

	private final boolean faults;

	private final Cluster cluster;

	private final ReplicaOptions options = ReplicaOptions.builder()
		.pipelinePreparesMax(PIPELINE_PREPARES_MAX)
		.snapshotIntervalOps(SNAPSHOT_INTERVAL_OPS)
		.build();

	private final ClientOptions clientOptions = new ClientOptions(4, 16, 20, ClientOptions.REQUEST_TIMEOUT_TICKS_NEVER);

	private final SplittableRandom networkRandom;

	private final SplittableRandom faultRandom;

	private final SplittableRandom stepRandom;

	private final SplittableRandom idRandom;

	private final MemoryDisk[] disks = new MemoryDisk[REPLICA_COUNT];

	private final @Nullable Node[] nodes = new Node[REPLICA_COUNT];

	private final long[] restartTicks = new long[REPLICA_COUNT];

	private final PriorityQueue<Delivery> network = new PriorityQueue<>();

	private final ReplicaChecks checks;

	/** The replica whose application the test calls through; never crashed, as it is the test's own process. */
	private final int callerReplica;

	private long tick;

	private long deliveries;

	private boolean settling;

	private int crashes;

	private int restarts;

	private long messagesDropped;

	/** Set by the system property {@code viewstamp.test.trace}: every crash, restart and applied command. */
	private final boolean tracing = Boolean.getBoolean("viewstamp.test.trace");

	SimulatedWorld(long seed, ApplicationDefinition definition, boolean faults) {
		this.seed = seed;
		this.definition = definition;
		this.faults = faults;
		SplittableRandom root = new SplittableRandom(seed);
		this.networkRandom = root.split();
		this.faultRandom = root.split();
		this.stepRandom = root.split();
		this.idRandom = root.split();
		SplittableRandom diskRandom = root.split();
		this.cluster = new Cluster(root.nextLong(), REPLICA_COUNT);
		this.callerReplica = root.nextInt(REPLICA_COUNT);
		this.checks = new ReplicaChecks(definition);
		try {
			for (int i = 0; i < REPLICA_COUNT; i++) {
				this.disks[i] = new MemoryDisk(DurableState.formatted(this.cluster.clusterId(), i, REPLICA_COUNT),
						diskRandom.split());
				start(i);
			}
		}
		catch (RuntimeException | Error ex) {
			close();
			throw ex;
		}
	}

	long seed() {
		return this.seed;
	}

	/** The application the test calls through. */
	ReplicaApplication callerApplication() {
		return running(this.callerReplica).application;
	}

	/** Lets {@code ticks} ticks pass. */
	void idle(int ticks) {
		for (int i = 0; i < ticks; i++) {
			step();
		}
	}

	/**
	 * Ends the faults, restarts every crashed replica and runs until every replica holds and has
	 * applied every op, then compares their states with each other and with the replica restored
	 * from the newest snapshot.
	 */
	void settleAndCompare() {
		this.settling = true;
		for (int i = 0; i < REPLICA_COUNT; i++) {
			if (this.nodes[i] == null) {
				start(i);
			}
		}
		for (int ticks = 0; !isConverged(); ticks++) {
			if (ticks == CALL_TICKS_MAX) {
				throw failure("The replicas did not converge within " + CALL_TICKS_MAX + " ticks once the faults ended: "
						+ describeReplicas());
			}
			step();
		}
		compareStates();
	}

	private boolean isConverged() {
		Node first = running(0);
		for (int i = 0; i < REPLICA_COUNT; i++) {
			Replica replica = running(i).replica;
			if (replica.status() != Status.NORMAL || replica.view() != first.replica.view()
					|| replica.op() != first.replica.op() || replica.commit() != replica.op()) {
				return false;
			}
		}
		return true;
	}

	private void compareStates() {
		this.checks.checkPerJvmOrder(running(0).application);
		String failed = this.checks.failure();
		if (failed != null) {
			throw failure(failed);
		}
		byte[] first = running(0).application.stateMachine().snapshot();
		for (int i = 1; i < REPLICA_COUNT; i++) {
			byte[] state = running(i).application.stateMachine().snapshot();
			if (!Arrays.equals(first, state)) {
				throw failure("The replicas' states diverged: once every replica applied op " + running(0).replica.commit()
						+ ", their beans differ at " + JsonDifference.describe(first, state, "replica 0", "replica " + i)
						+ "\n" + ReplicaChecks.DETERMINISM_HINT);
			}
		}
		ReplicaApplication restored = this.checks.restored();
		if (restored != null && this.checks.restoredAppliedOp() == running(0).replica.commit()) {
			byte[] state = restored.stateMachine().snapshot();
			if (!Arrays.equals(first, state)) {
				throw failure("The state of a replica restored from a snapshot diverged from the others': once every "
						+ "replica applied op " + running(0).replica.commit() + ", the beans differ at "
						+ JsonDifference.describe(first, state, "replica 0", "the restored replica") + "\n"
						+ ReplicaChecks.DETERMINISM_HINT);
			}
		}
	}

	/** Runs the world until replica {@code index}'s client answers {@code command}. */
	CompletableFuture<byte[]> call(int index, byte[] command, @Nullable LongConsumer committedAt) {
		Node node = running(index);
		long ticket = node.client.submit(command);
		for (int ticks = 0; ticks < CALL_TICKS_MAX; ticks++) {
			Reply reply = node.results.remove(ticket);
			if (reply != null) {
				if (committedAt != null) {
					committedAt.accept(reply.op());
				}
				return CompletableFuture.completedFuture(reply.result());
			}
			ClientFailure failed = node.failures.remove(ticket);
			if (failed != null) {
				return CompletableFuture.failedFuture(new IllegalStateException("The simulated cluster could not "
						+ "complete the call (" + failed + "); its outcome is unknown"));
			}
			step();
		}
		throw failure("A call was not answered within " + CALL_TICKS_MAX + " ticks: the cluster stopped making "
				+ "progress. " + describeReplicas());
	}

	/** One tick of the world: disks, then the network, then every replica's and client's timers, then faults. */
	private void step() {
		this.tick++;
		for (int i = 0; i < REPLICA_COUNT; i++) {
			if (this.nodes[i] != null) {
				this.disks[i].completeDue(this.tick);
			}
		}
		// Half the ticks take what arrived together as one step of each replica, as the runtime does under load.
		boolean inSteps = this.stepRandom.nextBoolean();
		if (inSteps) {
			forEachRunning((node) -> node.replica.startStep());
		}
		while (!this.network.isEmpty() && this.network.peek().tick <= this.tick) {
			deliver(this.network.poll());
		}
		if (inSteps) {
			forEachRunning((node) -> node.replica.endStep());
		}
		long now = EPOCH_NANOS + this.tick * TICK_NANOS;
		forEachRunning((node) -> {
			node.replica.tick(now);
			node.client.tick();
			node.client.localReplicaAt(node.replica.view(), node.replica.status() == Status.NORMAL,
					node.replica.commit(), node.replica.configuration());
		});
		if (this.faults && !this.settling) {
			injectFaults();
		}
		else {
			restartDue(true);
		}
		String failed = this.checks.failure();
		if (failed != null) {
			throw failure(failed);
		}
	}

	private void injectFaults() {
		restartDue(false);
		boolean allRunning = true;
		for (Node node : this.nodes) {
			allRunning &= node != null;
		}
		if (allRunning && this.faultRandom.nextInt(CRASH_ONE_IN) == 0) {
			int victim = this.faultRandom.nextInt(REPLICA_COUNT - 1);
			// Any replica but the caller's: the primary too, which makes the others change views.
			victim = (victim >= this.callerReplica) ? victim + 1 : victim;
			crash(victim);
			this.restartTicks[victim] = this.tick + 1 + this.faultRandom.nextInt(DOWN_TICKS_MAX);
		}
	}

	private void restartDue(boolean all) {
		for (int i = 0; i < REPLICA_COUNT; i++) {
			if (this.nodes[i] == null && (all || this.tick >= this.restartTicks[i])) {
				start(i);
			}
		}
	}

	private void crash(int index) {
		Node node = running(index);
		this.nodes[index] = null;
		this.disks[index].crash();
		node.application.close();
		this.crashes++;
		trace("replica " + index + " crashed at op " + node.replica.op() + ", commit " + node.replica.commit());
	}

	private void start(int index) {
		Node node = new Node(index);
		this.nodes[index] = node;
		if (this.tick > 0) {
			this.restarts++;
			trace("replica " + index + " restarted: " + node.replica.status() + " in view " + node.replica.view() + ", op "
					+ node.replica.op() + ", commit " + node.replica.commit());
		}
	}

	private void deliver(Delivery delivery) {
		if (delivery.message instanceof Reply reply) {
			for (Node node : this.nodes) {
				if (node != null && node.client.owns(reply.clientId())) {
					node.client.receive(reply);
				}
			}
			return;
		}
		Node node = this.nodes[delivery.to];
		if (node != null) {
			node.replica.receive(delivery.message);
		}
	}

	private void send(int to, Message message) {
		if (this.faults && !this.settling) {
			if (this.networkRandom.nextInt(DROP_ONE_IN) == 0) {
				this.messagesDropped++;
				return;
			}
			if (this.networkRandom.nextInt(DUPLICATE_ONE_IN) == 0) {
				enqueue(to, message);
			}
		}
		enqueue(to, message);
	}

	private void enqueue(int to, Message message) {
		long delay = 1 + this.networkRandom.nextInt(DELAY_TICKS_MAX);
		this.network.add(new Delivery(this.tick + delay, this.deliveries++, to, message));
	}

	private Node running(int index) {
		Node node = this.nodes[index];
		if (node == null) {
			throw new IllegalStateException("Replica " + index + " is not running");
		}
		return node;
	}

	private void forEachRunning(Consumer<Node> action) {
		for (Node node : this.nodes) {
			if (node != null) {
				action.accept(node);
			}
		}
	}

	private String describeReplicas() {
		List<String> replicas = new ArrayList<>();
		for (int i = 0; i < REPLICA_COUNT; i++) {
			Node node = this.nodes[i];
			replicas.add((node == null) ? "replica " + i + " down" : "replica " + i + " " + node.replica.status()
					+ " in view " + node.replica.view() + ", op " + node.replica.op() + ", commit " + node.replica.commit());
		}
		return String.join("; ", replicas) + " (tick " + this.tick + ")";
	}

	void trace(String event) {
		if (this.tracing) {
			System.out.println("[tick " + this.tick + "] " + event);
		}
	}

	ReplicaCheckFailure failure(String problem) {
		return new ReplicaCheckFailure(problem, this.seed);
	}

	/** What happened in the run, for the test's output. */
	String describeRun() {
		return "seed " + this.seed + ": " + this.checks.opsApplied() + " ops in " + this.tick + " ticks, "
				+ this.crashes + " crashes and " + this.restarts + " restarts, " + this.messagesDropped
				+ " messages dropped, " + this.checks.snapshotsRestored() + " snapshots restored and checked";
	}

	@Override
	public void close() {
		for (int i = 0; i < REPLICA_COUNT; i++) {
			Node node = this.nodes[i];
			if (node != null) {
				node.application.close();
				this.nodes[i] = null;
			}
		}
		this.checks.close();
	}

	/** A running replica: its application, the protocol's replica and the client beside it. */
	private final class Node implements ClientHost, Outbox, CommandGateway {

		private final int index;

		private final ReplicaApplication application;

		private final Replica replica;

		private final Client client;

		private final Map<Long, Reply> results = new HashMap<>();

		private final Map<Long, ClientFailure> failures = new HashMap<>();

		Node(int index) {
			this.index = index;
			this.application = ReplicaApplication.start(SimulatedWorld.this.definition, this);
			RecordingStateMachine stateMachine = new RecordingStateMachine(index, this.application,
					SimulatedWorld.this.checks, SimulatedWorld.this::trace);
			MemoryDisk disk = SimulatedWorld.this.disks[index];
			try {
				this.replica = Replica.restart(SimulatedWorld.this.cluster, index, SimulatedWorld.this.options,
						disk.durableState(), disk, this, stateMachine, SimulatedWorld.this.idRandom.split());
			}
			catch (RuntimeException | Error ex) {
				this.application.close();
				throw ex;
			}
			disk.attach(this.replica);
			SplittableRandom ids = SimulatedWorld.this.idRandom.split();
			this.client = new Client(SimulatedWorld.this.cluster, index, SimulatedWorld.this.clientOptions, this, ids,
					ids.split());
		}

		// Outbox: the replica's messages.

		@Override
		public void send(int to, ReplicaMessage message) {
			if (to < REPLICA_COUNT) {
				SimulatedWorld.this.send(to, message);
			}
		}

		@Override
		public void reply(Reply reply) {
			SimulatedWorld.this.send(-1, reply);
		}

		// ClientHost: the client's requests and outcomes.

		@Override
		public void send(int to, Request request) {
			SimulatedWorld.this.send(to, request);
		}

		@Override
		public void completed(long ticket, Reply reply) {
			this.results.put(ticket, reply);
		}

		@Override
		public void failed(long ticket, ClientFailure failure, long op) {
			this.failures.put(ticket, failure);
		}

		// CommandGateway: the application's proxies.

		@Override
		public CompletableFuture<byte[]> submit(byte[] command, @Nullable LongConsumer committedAt) {
			return SimulatedWorld.this.call(this.index, command, committedAt);
		}

		@Override
		public CompletableFuture<byte[]> barrier(@Nullable LongConsumer committedAt) {
			return SimulatedWorld.this.call(this.index, ReadBarriers.command(), committedAt);
		}

		@Override
		public SortedMap<Integer, String> replicasLacking(String commandName) {
			return new TreeMap<>();
		}

	}

	/** A message on its way, delivered at {@code tick}; {@code sequence} keeps the order of equal ticks. */
	private record Delivery(long tick, long sequence, int to, Message message) implements Comparable<Delivery> {

		@Override
		public int compareTo(Delivery other) {
			int byTick = Long.compare(this.tick, other.tick);
			return (byTick != 0) ? byTick : Long.compare(this.sequence, other.sequence);
		}

	}

}
