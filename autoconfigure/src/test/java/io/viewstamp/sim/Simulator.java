package io.viewstamp.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.viewstamp.runtime.StateMachineRunner;
import io.viewstamp.sim.SimulationFailure.Check;
import io.viewstamp.sim.check.CommitChecker;
import io.viewstamp.sim.check.DurableLogChecker;
import io.viewstamp.sim.check.HistoryChecker;
import io.viewstamp.sim.check.ReplyChecker;
import io.viewstamp.sim.check.RequestRegistry;
import io.viewstamp.sim.check.StateChecker;
import io.viewstamp.sim.workload.KvStateMachine;
import io.viewstamp.sim.workload.SimWorkload;
import io.viewstamp.vsr.Client;
import io.viewstamp.vsr.Cluster;
import io.viewstamp.vsr.Configuration;
import io.viewstamp.vsr.DurableState;
import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.Message;
import io.viewstamp.vsr.Outbox;
import io.viewstamp.vsr.ReconfigurationRefusal;
import io.viewstamp.vsr.Replica;
import io.viewstamp.vsr.ReplicaMessage;
import io.viewstamp.vsr.Reply;
import io.viewstamp.vsr.Request;
import io.viewstamp.vsr.Snapshot;
import io.viewstamp.vsr.Status;
import io.viewstamp.vsr.Storage;
import io.viewstamp.vsr.Superblock;
import io.viewstamp.vsr.TransferRefusal;
import org.jspecify.annotations.Nullable;

/**
 * Runs a whole cluster (replicas, network, disks, clients) in one thread on virtual time, every
 * choice drawn from one seed, so that a seed replays exactly. Checkers run after every event.
 *
 * <p>{@link #run()} is the seed test: a chaos phase with network faults, partitions, crashes,
 * wipes and client restarts, then a liveness phase in which the network heals, every replica
 * restarts and the cluster must finish every client's operation and converge within a budget.
 *
 * <p>Scenario tests drive a world by hand instead: {@link #scripted}, then {@link #runTicks},
 * {@link #runUntil}, {@link #partition}, {@link #crash}, {@link #restart}, {@link #wipeAndRecover},
 * {@link #client}{@code (k).submitPut(...)}, and {@link #checkAll()}.
 *
 * <p>Each tick: messages due are delivered, disk requests due complete, every running replica
 * ticks, clients act, and (in the chaos phase) faults are injected.
 */
public final class Simulator {

	/** Simulated nanoseconds per tick: the replicas' default timeouts assume ticks of about 10 ms. */
	public static final long TICK_NANOS = 10_000_000L;

	/** The most view changes a healed cluster may go through before it is called a storm. */
	static final int LIVENESS_VIEW_CHANGES_MAX = 30;

	/** How many times the operator of a healed cluster asks again for an addition a view change dropped. */
	static final int ADDITION_ASKS_MAX = 3;

	/** The most a swarm world's replica clock is off: an hour. */
	static final long CLOCK_SKEW_NANOS_MAX = 3_600_000_000_000L;

	/** The most a swarm world's replica clock runs fast or slow: 1%. */
	static final double CLOCK_DRIFT_MAX = 0.01;

	private final SimConfiguration configuration;

	private final ReplicaFactory factory;

	private final Cluster cluster;

	private final SimNetwork network;

	private final List<ReplicaHost> hosts = new ArrayList<>();

	/** The durable-log checker of the process each host runs now, by host index. */
	private final Map<Integer, DurableLogChecker> durableLogs = new HashMap<>();

	private boolean durablePromiseChecks = true;

	private final List<SimClient> clients = new ArrayList<>();

	private final SplittableRandom replicaRandom;

	/** Where the simulated apply threads draw their latencies. */
	private final SplittableRandom applierRandom;

	/** Draws, each tick, whether replicas take the tick's calls in one step or one by one. */
	private final SplittableRandom stepRandom;

	/**
	 * The most ticks a delayed apply or capture takes (2 to 8), or {@link SimApplyThread#IN_PLACE}: random worlds draw
	 * it, so that the replica's handling of results that come later (after a view change, a
	 * snapshot install) is exercised as well as applying in place; scripted worlds apply in place.
	 */
	private final int applyLatencyTicksMax;

	/**
	 * Each replica's clock: where it starts (skew) and how fast it runs (drift), drawn for swarm
	 * worlds; the primary's clock stamps the ops that {@code ReplicatedContext.now()} returns.
	 */
	private final long[] clockOffsetNanos;

	private final double[] clockRate;

	private final RequestRegistry registry = new RequestRegistry();

	private final TraceFingerprint fingerprint = new TraceFingerprint();

	private final CommitChecker commitChecker;

	private final ReplyChecker replyChecker;

	private final StateChecker stateChecker;

	private final HistoryChecker historyChecker;

	private final FaultInjector faultInjector;

	private final FaultCounts faultCounts = new FaultCounts();

	private boolean chaos;

	/** Whether the chaos phase asks primaries to hand their view over, in the worlds that draw it. */
	private boolean primaryTransfers = true;

	/** Replicas kept down through the liveness phase. */
	private Set<Integer> keptDown = Set.of();

	/** Hosts whose replica has been a member of a configuration. */
	private final Set<Integer> everMember = new TreeSet<>();

	/**
	 * Every change of members asked whose epoch has not begun: any may still take effect (its op
	 * may sit in the journal of a replica that is down), so the fault budget holds for it too.
	 */
	private final List<Configuration> proposals = new ArrayList<>();

	/** Hosts whose replica a change removed, and which the simulator stopped for good. */
	private final Set<Integer> retired = new TreeSet<>();

	private long tick;

	/** Where event lines go, {@code null} when nobody reads them. */
	private Consumer<String> trace;

	/**
	 * Builds a world and starts every replica from a freshly formatted disk, at tick 0.
	 * @param configuration the world's shape
	 * @param factory how replica processes are made
	 */
	public Simulator(SimConfiguration configuration, ReplicaFactory factory) {
		this(configuration, factory, null);
	}

	/**
	 * Builds a world that reports every event, from the replicas' first start on, as a line to
	 * {@code trace}.
	 * @param configuration the world's shape
	 * @param factory how replica processes are made
	 * @param trace where event lines go, or {@code null}
	 */
	public Simulator(SimConfiguration configuration, ReplicaFactory factory, Consumer<String> trace) {
		this(configuration, factory, ClientFactory.standard(), trace);
	}

	/**
	 * Builds a world whose callers make their clients with {@code clientFactory}.
	 * @param configuration the world's shape
	 * @param factory how replica processes are made
	 * @param clientFactory how callers' clients are made
	 * @param trace where event lines go, or {@code null}
	 */
	public Simulator(SimConfiguration configuration, ReplicaFactory factory, ClientFactory clientFactory,
			Consumer<String> trace) {
		this.configuration = configuration;
		this.trace = trace;
		this.factory = factory;
		long seed = configuration.seed();
		this.cluster = new Cluster(configuration.clusterId(), configuration.replicaCount());
		this.network = new SimNetwork(configuration.hostCount(), configuration.clientCount(), configuration.faults(),
				RandomStreams.of(seed, "network"));
		this.replicaRandom = RandomStreams.of(seed, "replicas");
		this.applierRandom = RandomStreams.of(seed, "appliers");
		this.stepRandom = RandomStreams.of(seed, "steps");
		int applyLatencyDraw = RandomStreams.of(seed, "apply-latency").nextInt(5);
		this.applyLatencyTicksMax = (!configuration.workload() || applyLatencyDraw == 0) ? SimApplyThread.IN_PLACE
				: 2 * applyLatencyDraw;
		this.commitChecker = new CommitChecker(seed, configuration.clusterId(), configuration.hostCount(), this.registry,
				this.fingerprint);
		this.replyChecker = new ReplyChecker(seed, this.commitChecker);
		this.stateChecker = new StateChecker(seed);
		this.historyChecker = new HistoryChecker(seed);
		this.faultInjector = new FaultInjector(this, configuration.faults(), RandomStreams.of(seed, "faults"),
				RandomStreams.of(seed, "event-partitions"), RandomStreams.of(seed, "primary-transfers"),
				RandomStreams.of(seed, "reconfigurations"));
		this.clockOffsetNanos = new long[configuration.hostCount()];
		this.clockRate = new double[configuration.hostCount()];
		SplittableRandom clocks = RandomStreams.of(seed, "clocks");
		boolean skewed = configuration.faults().profile() == SimFaults.Profile.SWARM && clocks.nextBoolean();
		for (int replica = 0; replica < configuration.replicaCount(); replica++) {
			// Up to an hour apart, running up to 1% fast or slow: enough that a new primary's clock is
			// often behind the timestamps of the ops it inherits.
			this.clockOffsetNanos[replica] = skewed ? clocks.nextLong(-CLOCK_SKEW_NANOS_MAX, CLOCK_SKEW_NANOS_MAX + 1) : 0;
			this.clockRate[replica] = skewed ? clocks.nextDouble(1 - CLOCK_DRIFT_MAX, 1 + CLOCK_DRIFT_MAX) : 1;
		}
		SimWorkload workload = SimWorkload.ofKeys(configuration.keyCount(), configuration.putProbability(),
				configuration.thinkTicksMax());
		ClientWorld clientWorld = new ClientWorld();
		for (int client = 0; client < configuration.clientCount(); client++) {
			int localReplica = configuration.clientsBesideReplicas() ? client % configuration.replicaCount()
					: Client.NO_LOCAL_REPLICA;
			this.clients.add(new SimClient(client, this.cluster, configuration.clientOptions(), localReplica, workload,
					RandomStreams.of(seed, "client-" + client), this.registry, clientWorld, clientFactory));
		}
		SplittableRandom diskKinds = RandomStreams.of(seed, "disk-kinds");
		for (int replica = 0; replica < configuration.replicaCount(); replica++) {
			SplittableRandom diskRandom = RandomStreams.of(seed, "storage-" + replica);
			int latencyTicksMax = configuration.faults().storageLatencyTicksMax();
			HostDisk disk;
			if (diskKinds.nextInt(100) < configuration.disks().filesPercent()) {
				disk = new FileDisk(replica, configuration.clusterId(), configuration.replicaCount(),
						configuration.hostCount(), configuration.disks(), latencyTicksMax, diskRandom);
			}
			else {
				disk = new SimStorage(replica,
						DurableState.formatted(configuration.clusterId(), replica, configuration.replicaCount()),
						latencyTicksMax, diskRandom);
			}
			this.hosts.add(new ReplicaHost(replica, disk));
		}
		for (int spare = configuration.replicaCount(); spare < configuration.hostCount(); spare++) {
			// A host that has never run: its replica, once started, recovers from the others.
			ReplicaHost host = new ReplicaHost(spare, new SimStorage(spare,
					DurableState.formatted(configuration.clusterId(), spare, configuration.hostCount()),
					configuration.faults().storageLatencyTicksMax(), RandomStreams.of(seed, "storage-" + spare)));
			host.wipe();
			host.markSpare();
			this.hosts.add(host);
		}
		for (ReplicaHost host : this.hosts) {
			if (host.index() < configuration.replicaCount()) {
				start(host);
			}
		}
	}

	/**
	 * The world of a seed with real replicas, as {@link #run()} uses it.
	 * @param seed the seed
	 * @return the simulator, at tick 0
	 */
	public static Simulator ofSeed(long seed) {
		return new Simulator(SimConfiguration.random(seed), ReplicaFactory.standard());
	}

	/**
	 * A world for scenario tests: real replicas, no random faults, clients that do only what they
	 * are told.
	 * @param replicaCount the number of replicas
	 * @param clientCount the number of clients
	 * @return the simulator, at tick 0
	 */
	public static Simulator scripted(int replicaCount, int clientCount) {
		return new Simulator(SimConfiguration.scripted(1, replicaCount, clientCount), ReplicaFactory.standard());
	}

	/**
	 * Runs the seed's whole test: the chaos phase, then the liveness phase, then every check.
	 * @return what the world did
	 * @throws SimulationFailure when any property fails
	 */
	public SimulationResult run() {
		setChaos(true);
		setWorkloadEnabled(true);
		runTicks(this.configuration.chaosTicks());
		setChaos(false);
		setWorkloadEnabled(false);
		long viewBefore = highestView();
		startLivenessPhase();
		runUntilConverged(this.configuration.livenessTicksMax());
		checkViewChangeStorm(viewBefore);
		if (this.configuration.spareCount() > 0) {
			addAHostToTheHealedCluster();
		}
		checkAll();
		return result();
	}

	/** Whether the primary is handing its view over. */
	private boolean isHandOverUnderWay() {
		int primary = primaryIndex();
		Replica replica = (primary >= 0) ? this.hosts.get(primary).replica().unwrap() : null;
		return replica != null && replica.transferTarget() >= 0;
	}

	/** Each running replica's change of members under way, as it knows it, for a failure's message. */
	private String changesUnderWay() {
		StringBuilder changes = new StringBuilder();
		for (ReplicaHost host : this.hosts) {
			Replica replica = host.isRunning() ? host.replica().unwrap() : null;
			if (replica != null && replica.memberChanges().pending() != null) {
				changes.append((changes.length() > 0) ? "; " : "").append("replica ").append(host.index()).append(": ")
					.append(replica.memberChanges().pending()).append((replica.memberChanges().target() != null)
							? " asked of it" : " at the head of its log, op " + replica.op() + ", commit " + replica.commit());
			}
		}
		return changes.toString();
	}

	/**
	 * Whether a running member knows of a change of members not yet in effect: asked of it, or
	 * prepared in its log. (A spare that recovered from an old epoch's log may end with a change long
	 * in effect elsewhere: not the members' business.)
	 */
	private boolean isChangeUnderWay() {
		Configuration latest = latestConfiguration();
		for (ReplicaHost host : this.hosts) {
			Replica replica = host.isRunning() ? host.replica().unwrap() : null;
			if (replica != null && latest.contains(host.index()) && replica.memberChanges().pending() != null) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a change of members asked of {@code asked} in {@code askedView} was dropped, neither given
	 * up nor in effect: a view change ended that view before the change was prepared, so that no running
	 * member knows of it. The runtime fails such a change with "ask again" (MemberChange).
	 */
	private boolean isChangeDropped(Replica asked, long askedView) {
		return asked.view() > askedView && asked.memberChanges().givenUp() == null && !isChangeUnderWay();
	}

	/**
	 * In a world with spare hosts, once the cluster has healed and converged, an operator adds the
	 * lowest host that is not a member (started empty if it never ran or was retired): the change
	 * must take effect. Under faults a change may rightly be given up, which no checker counts; a
	 * healed cluster has no such excuse, so a change that can never succeed is found here.
	 */
	private void addAHostToTheHealedCluster() {
		// A change asked under faults may still be under way (its deadline not passed): it ends first.
		if (!runUntil(() -> !isChangeUnderWay() && isConverged(),
				this.configuration.livenessTicksMax())) {
			throw new SimulationFailure(this.configuration.seed(), this.tick, Check.LIVENESS, "a change of members "
					+ "asked under faults neither took effect nor was given up after the cluster healed (" + changesUnderWay()
					+ "): " + describeWorld());
		}
		Configuration latest = latestConfiguration();
		ReplicaHost added = null;
		for (ReplicaHost host : this.hosts) {
			if (!latest.contains(host.index()) && !this.keptDown.contains(host.index())) {
				added = host;
				break;
			}
		}
		if (added == null) {
			return;
		}
		int index = added.index();
		if (this.retired.contains(index)) {
			rejoin(index);
		}
		else if (!added.isRunning()) {
			record("start " + index + " to be added");
			start(added);
		}
		ReplicaHost host = added;
		if (!runUntil(() -> host.isRunning() && host.replica().status() != Status.RECOVERING,
				this.configuration.livenessTicksMax())) {
			throw new SimulationFailure(this.configuration.seed(), this.tick, Check.LIVENESS, "replica " + index
					+ ", started to be added to the healed cluster, did not recover: " + describeWorld());
		}
		// The replica just started may have set a view change going (a restarted one that heard nobody in time).
		// (A hand-over asked under faults may still be under way too: the change waits for it, as an operator's would.)
		if (!runUntil(() -> primaryIndex() >= 0 && isConverged() && !isHandOverUnderWay(), this.configuration.livenessTicksMax())) {
			throw new SimulationFailure(this.configuration.seed(), this.tick, Check.LIVENESS, "the healed cluster "
					+ "has no normal primary after replica " + index + " started: " + describeWorld());
		}
		long startTick = this.tick;
		// A view change that ends the primary's view before it prepared the change drops it, and the runtime
		// tells the operator to ask again (MemberChange): the operator here does, a bounded number of times.
		for (int ask = 1;; ask++) {
			int primary = primaryIndex();
			ReconfigurationRefusal refusal = reconfigure(primary, latest.members() | (1 << index));
			if (refusal != null) {
				throw new SimulationFailure(this.configuration.seed(), this.tick, Check.LIVENESS, "the healed cluster's "
						+ "primary " + primary + " refused to add replica " + index + ": " + refusal + "; " + describeWorld());
			}
			Replica asked = Objects.requireNonNull(this.hosts.get(primary).replica().unwrap(), "the primary is a Replica");
			long askedView = asked.view();
			runUntil(() -> latestConfiguration().contains(index) || isChangeDropped(asked, askedView),
					this.configuration.livenessTicksMax());
			if (latestConfiguration().contains(index) || !isChangeDropped(asked, askedView)
					|| ask == ADDITION_ASKS_MAX) {
				break;
			}
			record("the change adding " + index + " was dropped by a view change: ask again");
			if (!runUntil(() -> primaryIndex() >= 0 && isConverged() && !isHandOverUnderWay(),
					this.configuration.livenessTicksMax())) {
				throw new SimulationFailure(this.configuration.seed(), this.tick, Check.LIVENESS, "the healed cluster "
						+ "has no normal primary after a view change dropped the change adding replica " + index + ": "
						+ describeWorld());
			}
		}
		if (!runUntil(() -> latestConfiguration().contains(index) && isConverged(), this.configuration.livenessTicksMax())) {
			int leader = primaryIndex();
			Replica lead = (leader >= 0) ? this.hosts.get(leader).replica().unwrap() : null;
			throw new SimulationFailure(this.configuration.seed(), this.tick, Check.LIVENESS, "adding replica " + index
					+ " to the healed cluster did not take effect " + (this.tick - startTick) + " ticks after it was asked ("
					+ ((lead != null) ? "the primary, " + leader + ", gave the last change up: " + lead.memberChanges().givenUp()
							: "no primary") + "; under way: " + changesUnderWay() + "): " + describeWorld());
		}
		this.stateChecker.checkConverged(runningMembers(), this.tick);
	}

	/**
	 * A healed cluster settles on a view in a few view changes; dozens mean the replicas keep
	 * deposing each other (a storm), which a bound on ticks alone would let pass when it ends by luck.
	 */
	private void checkViewChangeStorm(long viewBefore) {
		long viewAfter = highestView();
		// A change of members committed late starts a new epoch, whose views count from its first.
		long viewChanges = (Configuration.epochOf(viewAfter) == Configuration.epochOf(viewBefore))
				? viewAfter - viewBefore : viewAfter - Configuration.epochOf(viewAfter) * (1L << Configuration.EPOCH_SHIFT) + 1;
		if (viewChanges > LIVENESS_VIEW_CHANGES_MAX) {
			throw new SimulationFailure(this.configuration.seed(), this.tick, Check.LIVENESS, "a view-change storm: "
					+ viewChanges + " view changes after the network healed (at most " + LIVENESS_VIEW_CHANGES_MAX
					+ " expected): " + describeWorld());
		}
	}

	/** The highest view any replica is in, or, for one that is down, had made durable. */
	private long highestView() {
		long view = 0;
		for (ReplicaHost host : this.hosts) {
			if (host.isRunning()) {
				view = Math.max(view, host.replica().view());
			}
			else if (host.storage().hasSuperblock()) {
				view = Math.max(view, host.storage().durableSuperblock().view());
			}
		}
		return view;
	}

	/**
	 * Advances time.
	 * @param ticks the number of ticks
	 */
	public void runTicks(int ticks) {
		for (int count = 0; count < ticks; count++) {
			step();
		}
	}

	/**
	 * Advances time until {@code condition} holds, checked before each tick.
	 * @param condition what to wait for
	 * @param ticksMax the most ticks to run
	 * @return whether the condition held
	 */
	public boolean runUntil(BooleanSupplier condition, int ticksMax) {
		for (int count = 0; count < ticksMax; count++) {
			if (condition.getAsBoolean()) {
				return true;
			}
			step();
		}
		return condition.getAsBoolean();
	}

	/**
	 * Advances time until every client is idle and every replica is running, normal, and has
	 * committed its whole log, the same for all; then checks that their states are equal.
	 * @param ticksMax the most ticks to run
	 * @throws SimulationFailure of {@link Check#LIVENESS} when that does not happen in time
	 */
	public void runUntilConverged(int ticksMax) {
		long startTick = this.tick;
		if (!runUntil(this::isConverged, ticksMax)) {
			throw new SimulationFailure(this.configuration.seed(), this.tick, Check.LIVENESS,
					"not converged " + (this.tick - startTick) + " ticks after tick " + startTick + ": "
							+ describeWorld());
		}
		this.stateChecker.checkConverged(runningMembers(), this.tick);
	}

	/**
	 * Whether the cluster has converged: every client idle, every replica running and normal, all
	 * with the same commit number, nothing uncommitted in their logs and nothing left on their apply threads.
	 * @return {@code true} when converged
	 */
	public boolean isConverged() {
		Configuration members = latestConfiguration();
		for (SimClient client : this.clients) {
			// A caller beside a replica that changes of members left behind (removed before it heard of
			// it, so it never stopped) waits for its replica as an application's callers would: not
			// the cluster's business.
			boolean besideNonMember = client.localReplica() != Client.NO_LOCAL_REPLICA
					&& !members.contains(client.localReplica());
			if (!client.isIdle() && !besideNonMember) {
				return false;
			}
		}
		long commit = -1;
		for (ReplicaHost host : this.hosts) {
			SimulatedReplica replica = host.replica();
			if ((replica == null && this.keptDown.contains(host.index())) || !members.contains(host.index())) {
				// Spares, learners and replicas a change removed are not the cluster.
				continue;
			}
			Replica real = (replica != null) ? replica.unwrap() : null;
			if (real != null && real.configuration().epoch() != members.epoch()) {
				return false;
			}
			// An apply thread with work left (a restore, say) holds a state behind its replica's commit.
			if (replica == null || replica.status() != Status.NORMAL || replica.op() != replica.commit()
					|| (commit >= 0 && replica.commit() != commit) || host.applyThread().isBusy()) {
				return false;
			}
			commit = replica.commit();
		}
		return true;
	}

	/**
	 * The configuration of the newest epoch any replica is in, running or (for one that is down)
	 * in its durable superblock; the cluster's first configuration before any change.
	 * @return the configuration
	 */
	public Configuration latestConfiguration() {
		Configuration latest = Configuration.initial(this.configuration.replicaCount());
		for (ReplicaHost host : this.hosts) {
			Configuration seen = null;
			if (host.isRunning() && host.replica().unwrap() != null) {
				seen = host.replica().unwrap().configuration();
			}
			else if (!host.isRunning() && host.storage().hasSuperblock()) {
				seen = host.storage().durableSuperblock().configuration();
			}
			if (seen != null && seen.epoch() > latest.epoch()) {
				latest = seen;
			}
		}
		return latest;
	}

	/**
	 * Runs every check on the current state: committed logs (again, in full for each running
	 * replica's new commits), equal states for equal commits, and linearizability of the clients'
	 * histories (open operations count as indeterminate).
	 * @throws SimulationFailure when a check fails
	 */
	public void checkAll() {
		for (ReplicaHost host : this.hosts) {
			if (host.isRunning()) {
				this.commitChecker.check(host.replica(), this.tick);
			}
		}
		this.stateChecker.checkEqualCommitsEqualStates(runningReplicas(), this.tick);
		this.historyChecker.check(this.clients, this.tick);
	}

	// Faults, scripted or injected.

	/**
	 * Cuts every link between two groups of replicas, both ways.
	 * @param sideA replicas on one side
	 * @param sideB replicas on the other
	 */
	public void partition(Set<Integer> sideA, Set<Integer> sideB) {
		countPartition();
		this.network.partition(sideA, sideB);
		record("partition " + this.network.describeCuts());
	}

	/**
	 * Cuts a replica off every other replica, both ways (its clients still reach it).
	 * @param replica the replica
	 */
	public void isolate(int replica) {
		Set<Integer> others = new TreeSet<>();
		for (int other = 0; other < this.cluster.replicaCount(); other++) {
			if (other != replica) {
				others.add(other);
			}
		}
		partition(Set.of(replica), others);
	}

	/**
	 * Cuts the link from one replica to another, in that direction only.
	 * @param from the sender
	 * @param to the receiver
	 */
	public void cutLink(int from, int to) {
		countPartition();
		this.network.cutLink(from, to);
		record("cut " + from + "->" + to);
	}

	/**
	 * Cuts a client off a replica, both ways.
	 * @param client the client
	 * @param replica the replica
	 */
	public void cutClientLink(int client, int replica) {
		countPartition();
		this.network.cutClientLink(client, replica);
		record("cut client " + client + "-x-" + replica);
	}

	/** Counts a partition when a healed network gets its first cut: one partition may cut many links. */
	private void countPartition() {
		if (!this.network.isPartitioned()) {
			this.faultCounts.partition();
		}
	}

	/** Restores every link. Messages in flight over a link cut until now are delivered when due. */
	public void heal() {
		this.network.heal();
		record("heal");
	}

	/**
	 * Crashes a replica: its process and state machine are gone, and so are the disk requests that
	 * had not completed; what its disk completed stays.
	 * @param replica the replica
	 */
	public void crash(int replica) {
		crash(replica, false);
	}

	/**
	 * Crashes a replica, as {@link #crash(int)}; with {@code tearWrite}, an append it had in progress
	 * leaves a torn entry at the end of its journal.
	 * @param replica the replica
	 * @param tearWrite whether an append in progress is torn
	 */
	public void crash(int replica, boolean tearWrite) {
		ReplicaHost host = this.hosts.get(replica);
		requireState(host.isRunning(), "crash", replica, "it is already down");
		boolean torn = host.crash(tearWrite);
		for (SimClient client : this.clients) {
			if (client.localReplica() == replica) {
				client.processDied();
			}
		}
		this.faultCounts.crash();
		if (torn) {
			this.faultCounts.tornWrite();
		}
		record("crash " + replica + (torn ? " tearing a write" : ""));
	}

	/**
	 * The power of one host failed in the middle of a group commit: its disk already lost what it
	 * had not synced; the process dies with it, and the fault injector restarts it as any crashed one.
	 */
	private void powerLossInWrite(ReplicaHost host) {
		this.faultCounts.tornWrite();
		record("power loss of " + host.index() + " in the middle of a write");
		crash(host.index(), false);
	}

	/**
	 * Records a fault the injector made of several steps, for the trace and the fingerprint.
	 * @param description what happened
	 */
	void noteFault(String description) {
		this.faultCounts.partition();
		record(description);
	}

	/** Counts a power loss; the injector then crashes every running replica. */
	void powerLoss() {
		this.faultCounts.powerLoss();
		record("power loss");
	}

	/**
	 * Restarts a crashed replica from its disk with a fresh state machine; a replica whose disk
	 * holds no superblock (it was wiped) recovers from the others instead.
	 * @param replica the replica
	 */
	public void restart(int replica) {
		ReplicaHost host = this.hosts.get(replica);
		requireState(!host.isRunning(), "restart", replica, "it is running");
		start(host);
	}

	/**
	 * Loses a crashed replica's data directory.
	 * @param replica the replica
	 */
	public void wipe(int replica) {
		ReplicaHost host = this.hosts.get(replica);
		requireState(!host.isRunning(), "wipe", replica, "it is running; crash it first");
		host.wipe();
		this.faultCounts.wipe();
		record("wipe " + replica);
	}

	/**
	 * Crashes a replica (if it runs), loses its data directory and starts it again: it must
	 * recover its state from the others before it takes part. No fault budget is checked.
	 * @param replica the replica
	 */
	public void wipeAndRecover(int replica) {
		if (this.hosts.get(replica).isRunning()) {
			crash(replica);
		}
		wipe(replica);
		restart(replica);
	}

	/**
	 * Flips a bit in one synced journal entry of a crashed replica, not its newest (that one would
	 * read as a torn write), when the fault budget allows: like a wipe, the damage must leave every
	 * committed entry intact on another replica. The replica finds it when it restarts.
	 * @param replica the crashed replica
	 * @param random where to draw the entry from
	 */
	public void corruptJournal(int replica, SplittableRandom random) {
		ReplicaHost host = this.hosts.get(replica);
		if (host.isRunning() || !isWipeWithinBudget(replica)) {
			return;
		}
		String damaged = host.storage().corrupt(random);
		if (damaged != null) {
			this.faultCounts.corruption();
			record("corrupt replica " + replica + " " + damaged);
		}
	}

	/**
	 * Whether a wipe of {@code replica} now keeps the cluster recoverable: no other replica is
	 * without its data and not yet recovered, and the cluster tolerates one failure at all.
	 * @param replica the replica to wipe
	 * @return {@code true} when the wipe is within the fault budget
	 */
	public boolean isWipeWithinBudget(int replica) {
		for (ReplicaHost host : this.hosts) {
			// A spare that never ran and a removed replica hold nothing the cluster needs.
			if (host.index() != replica && !host.isNeverStarted() && !this.retired.contains(host.index())
					&& (host.isWipedUnrecovered() || host.storage().hasCorruption())) {
				return false;
			}
		}
		// This wipe makes one replica without its data; a cluster of one tolerates none. A change of
		// members under way counts too: it may take effect after the wipe, with fewer members.
		return faultsMaxWithPendingChanges() >= 1;
	}

	/** The failures tolerated by the newest configuration and by every change prepared or asked on a running replica. */
	private int faultsMaxWithPendingChanges() {
		int faultsMax = latestConfiguration().faultsMax();
		for (Configuration pending : pendingConfigurations()) {
			faultsMax = Math.min(faultsMax, pending.faultsMax());
		}
		// Every configuration a replica of the cluster is in, too: until a quorum made the newest one
		// durable, a crash can take the cluster back to an older one, with fewer members.
		for (ReplicaHost host : this.hosts) {
			if (host.isNeverStarted() || this.retired.contains(host.index())) {
				continue;
			}
			Replica replica = host.isRunning() ? host.replica().unwrap() : null;
			Configuration current = (replica != null) ? replica.configuration()
					: (!host.isRunning() && host.storage().hasSuperblock()) ? host.storage().durableSuperblock().configuration()
							: null;
			if (current != null) {
				faultsMax = Math.min(faultsMax, current.faultsMax());
			}
		}
		return faultsMax;
	}

	/** Whether {@code replica} is a member of {@code latest} or a learner of a change a running primary is making. */
	private boolean isMemberOrLearner(int replica, Configuration latest) {
		return latest.contains(replica) || pendingConfigurations().stream().anyMatch((pending) -> pending.contains(replica));
	}

	/** The changes of members asked of a running primary, or prepared at the head of a running replica's log. */
	private List<Configuration> pendingConfigurations() {
		long epoch = latestConfiguration().epoch();
		this.proposals.removeIf((proposal) -> proposal.epoch() <= epoch);
		List<Configuration> pending = new ArrayList<>(this.proposals);
		for (ReplicaHost host : this.hosts) {
			Replica replica = host.isRunning() ? host.replica().unwrap() : null;
			if (replica == null) {
				continue;
			}
			Configuration change = replica.memberChanges().pending();
			if (change != null) {
				pending.add(change);
			}
		}
		return pending;
	}

	/**
	 * Whether a replica lacks data the cluster may need: wiped and not recovered, or with a corrupt
	 * journal entry.
	 * @param replica the replica
	 * @return {@code true} when it is damaged
	 */
	public boolean isDamaged(int replica) {
		ReplicaHost host = this.hosts.get(replica);
		return !host.isNeverStarted() && (host.isWipedUnrecovered() || host.storage().hasCorruption());
	}

	/**
	 * Whether a change of members removed this replica and the simulator stopped it for good.
	 * @param replica the replica
	 * @return {@code true} when it is retired
	 */
	public boolean isRetired(int replica) {
		return this.retired.contains(replica);
	}

	/** The retired replicas, in index order. */
	List<Integer> retiredReplicas() {
		return List.copyOf(this.retired);
	}

	/**
	 * Starts a retired replica again with an empty data directory, as a new host at its index: it
	 * recovers from the members and waits to be added.
	 * @param replica the retired replica
	 */
	public void rejoin(int replica) {
		ReplicaHost host = this.hosts.get(replica);
		requireState(this.retired.contains(replica) && !host.isRunning(), "rejoin", replica, "it is not retired");
		requireState(!latestConfiguration().contains(replica), "rejoin", replica, "it is a member again");
		this.retired.remove(replica);
		this.everMember.remove(replica);
		host.wipe();
		record("rejoin " + replica + " empty");
		start(host);
	}

	/**
	 * Restarts a client process: its open operation becomes indeterminate and it registers again.
	 * @param client the client
	 * @param keepClientId whether the new process keeps the client id
	 */
	public void restartClient(int client, boolean keepClientId) {
		SimClient simClient = this.clients.get(client);
		requireState(simClient.isProcessRunning(), "restart client " + client + " beside", simClient.localReplica(),
				"it is down, and its callers with it");
		simClient.restart(keepClientId);
		this.faultCounts.clientRestart();
		record("restart client " + client + (keepClientId ? " same id" : " new id"));
	}

	/**
	 * Asks replica {@code from} to hand its view to replica {@code target}, as an operator or a
	 * clean stop does.
	 * @param from the replica asked, normally the primary
	 * @param target the replica to lead next
	 * @return why it refused, or {@code null} when the hand-over started
	 */
	public TransferRefusal transferPrimary(int from, int target) {
		ReplicaHost host = this.hosts.get(from);
		requireState(host.isRunning(), "ask for a hand-over of", from, "it is down");
		Replica replica = host.replica().unwrap();
		requireState(replica != null, "ask for a hand-over of", from, "it is a stand-in, not a Replica");
		TransferRefusal[] refusal = new TransferRefusal[1];
		drive(host, "handing its view to " + target, () -> refusal[0] = replica.transferPrimary(target));
		if (refusal[0] == null) {
			this.faultCounts.primaryTransfer();
		}
		record("hand-over " + from + " -> " + target + ": " + ((refusal[0] == null) ? "started" : refusal[0]));
		return refusal[0];
	}

	/**
	 * Asks replica {@code from} to change the cluster's members to {@code members}, as an operator does.
	 * @param from the replica asked, normally the primary
	 * @param members the next configuration's members, bit {@code i} for replica {@code i}
	 * @return why it refused, or {@code null} when the change started
	 */
	public ReconfigurationRefusal reconfigure(int from, int members) {
		ReplicaHost host = this.hosts.get(from);
		requireState(host.isRunning(), "ask for a change of members of", from, "it is down");
		Replica replica = host.replica().unwrap();
		requireState(replica != null, "ask for a change of members of", from, "it is a stand-in, not a Replica");
		ReconfigurationRefusal[] refusal = new ReconfigurationRefusal[1];
		Configuration current = replica.configuration();
		// As the runtime does, the change names every member's address: opaque to the protocol, carried
		// through the codec, the journal and the superblock like the rest of the configuration.
		Map<Integer, String> addresses = new TreeMap<>();
		for (int member = 0; member < Cluster.REPLICAS_MAX; member++) {
			if ((members & (1 << member)) != 0) {
				addresses.put(member, "replica-" + member + ".sim:7400");
			}
		}
		drive(host, "changing the members to " + Integer.toBinaryString(members),
				() -> refusal[0] = replica.memberChanges().start(members, addresses));
		if (refusal[0] == null) {
			this.faultCounts.reconfiguration();
			Configuration next = current.next(members);
			for (Map.Entry<Integer, String> address : addresses.entrySet()) {
				next = next.withAddress(address.getKey(), address.getValue());
			}
			this.proposals.add(next);
			// The operator's request, as the committed-log check knows every client's: the only change it may find.
			this.registry.record(Request.reconfigure(next));
		}
		record("reconfigure " + from + " -> " + Integer.toBinaryString(members) + ": "
				+ ((refusal[0] == null) ? "started" : refusal[0]));
		return refusal[0];
	}

	/**
	 * Starts a spare host's replica for the first time, with no data: it recovers from the members,
	 * and waits, as a replica of no configuration, until a change adds it.
	 * @param spare the spare's index
	 */
	public void startSpare(int spare) {
		ReplicaHost host = this.hosts.get(spare);
		requireState(spare >= this.configuration.replicaCount() && !host.isRunning(), "start as a spare", spare,
				"it is not a spare that is down");
		start(host);
	}

	/**
	 * Holds back every message sent from now on that {@code selector} picks, until
	 * {@link #releaseHeld()}: for reordering one message around a view change.
	 * @param selector picks the messages to hold, by sender, receiver and content
	 */
	public void hold(Predicate<SimNetwork.Envelope> selector) {
		this.network.hold(selector);
	}

	/** Stops holding and sends the held messages, in their order, to arrive on the next tick. */
	public void releaseHeld() {
		record("release " + this.network.held().size() + " held messages");
		this.network.releaseHeld(this.tick);
	}

	/** Stops holding and loses the held messages. */
	public void discardHeld() {
		record("discard " + this.network.held().size() + " held messages");
		this.network.discardHeld();
	}

	/**
	 * Turns the random faults of the configuration on or off. Off, the network still delays
	 * messages as configured but loses and duplicates none.
	 * @param chaos {@code true} for random faults
	 */
	public void setChaos(boolean chaos) {
		this.chaos = chaos;
		if (!chaos) {
			this.faultInjector.stop();
		}
		this.network.setFaults(chaos ? this.configuration.faults() : this.configuration.faults().healed());
	}

	/**
	 * Lets the chaos phase ask primaries to hand their view over, in the quarter of random worlds
	 * that draw hand-overs, or not.
	 * @param enabled {@code false} for worlds as they were drawn before hand-overs existed
	 */
	public void setPrimaryTransfers(boolean enabled) {
		this.primaryTransfers = enabled;
	}

	/**
	 * Checks, or not, that each replica's disk backs what it holds and promised (the
	 * {@link DurableLogChecker}). A scripted scenario that shows the harm a broken promise does
	 * further on turns it off, since the checker sees the promise broken first.
	 * @param enabled whether to check
	 */
	public void setDurablePromiseChecks(boolean enabled) {
		this.durablePromiseChecks = enabled;
	}

	boolean primaryTransfersEnabled() {
		return this.primaryTransfers;
	}

	/**
	 * Turns every client's own workload on or off.
	 * @param enabled {@code true} for clients that invent operations
	 */
	public void setWorkloadEnabled(boolean enabled) {
		for (SimClient client : this.clients) {
			client.setWorkloadEnabled(enabled);
		}
	}

	/**
	 * Sends a line for every event from now on (message delivered, fault injected, replica started)
	 * to {@code trace}, for reading what a failing seed did; the seeds test turns it on with
	 * {@code -Dsim.trace=all}.
	 * @param trace where the lines go, or {@code null} for none
	 */
	public void trace(Consumer<String> trace) {
		this.trace = trace;
	}

	// Accessors.

	/**
	 * A running replica.
	 * @param index the replica's index
	 * @return the replica
	 * @throws IllegalStateException when it is down
	 */
	public SimulatedReplica replica(int index) {
		ReplicaHost host = this.hosts.get(index);
		requireState(host.isRunning(), "inspect", index, "it is down");
		return host.replica();
	}

	/**
	 * A running replica's state machine.
	 * @param index the replica's index
	 * @return the state machine
	 * @throws IllegalStateException when it is down
	 */
	public KvStateMachine stateMachine(int index) {
		ReplicaHost host = this.hosts.get(index);
		requireState(host.isRunning(), "inspect", index, "it is down");
		return host.stateMachine();
	}

	/**
	 * Whether a replica's process runs.
	 * @param index the replica's index
	 * @return {@code true} when it runs
	 */
	public boolean isRunning(int index) {
		return this.hosts.get(index).isRunning();
	}

	/**
	 * The running, normal primary of the highest view, if any.
	 * @return its index, or -1 when no running replica is a normal primary
	 */
	public int primaryIndex() {
		int primary = -1;
		long view = -1;
		for (ReplicaHost host : this.hosts) {
			SimulatedReplica replica = host.replica();
			if (replica != null && replica.isPrimary() && replica.status() == Status.NORMAL && replica.view() > view) {
				primary = host.index();
				view = replica.view();
			}
		}
		return primary;
	}

	/**
	 * A replica's disk, which outlives its crashes.
	 * @param index the replica's index
	 * @return the disk
	 */
	public SimStorage storage(int index) {
		HostDisk disk = this.hosts.get(index).storage();
		if (!(disk instanceof SimStorage modelled)) {
			throw new IllegalStateException("Replica " + index + " runs on the real storage, not the modelled one");
		}
		return modelled;
	}

	/**
	 * A client.
	 * @param index the client's number
	 * @return the client
	 */
	public SimClient client(int index) {
		return this.clients.get(index);
	}

	/** The number of clients. */
	public int clientCount() {
		return this.clients.size();
	}

	/** The network, for its statistics and to hold messages back. */
	public SimNetwork network() {
		return this.network;
	}

	/** The configuration shared by the replicas. */
	public Cluster cluster() {
		return this.cluster;
	}

	/** The world's shape. */
	public SimConfiguration configuration() {
		return this.configuration;
	}

	/** The current tick. */
	public long tick() {
		return this.tick;
	}

	/** The canonical committed history. */
	public CommitChecker commits() {
		return this.commitChecker;
	}

	/** The fingerprint of everything that happened so far. */
	public TraceFingerprint fingerprint() {
		return this.fingerprint;
	}

	/** Faults injected so far. */
	public FaultCounts faultCounts() {
		return this.faultCounts;
	}

	/** What the world did so far. */
	public SimulationResult result() {
		long completed = 0;
		long indeterminate = 0;
		long evictions = 0;
		long localReads = 0;
		long linearizableReads = 0;
		for (SimClient client : this.clients) {
			localReads += client.statistics().localReads();
			linearizableReads += client.statistics().linearizableReads();
			completed += client.statistics().completed();
			indeterminate += client.statistics().indeterminate();
			evictions += client.statistics().evictions();
		}
		SimNetwork.Statistics messages = this.network.statistics();
		return new SimulationResult(this.configuration.seed(), this.tick, this.commitChecker.committedMax(),
				this.commitChecker.committedRequests(), completed,
				indeterminate, localReads, linearizableReads, messages.delivered(), messages.lost(), messages.duplicated(), messages.cutOff(),
				messages.corrupted(), messages.misrouted(), messages.delayedLong(),
				this.faultCounts.partitions(), this.faultCounts.crashes(), this.faultCounts.powerLosses(),
				this.faultCounts.timedCrashes(),
				this.faultCounts.tornWrites(), this.faultCounts.corruptions(),
				this.faultCounts.wipes(), this.faultCounts.clientRestarts(), evictions, this.faultCounts.primaryTransfers(),
				this.faultCounts.reconfigurations(), latestConfiguration().epoch(), this.fingerprint.value());
	}

	/** Every replica's status, view, op and commit, the clients' open requests and the cut links. */
	public String describeWorld() {
		StringBuilder description = new StringBuilder(this.configuration.describe());
		description.append(", isolations timed to events ").append(this.faultInjector.eventPartitions().describe());
		description.append(", ").append(this.faultInjector.describeTransfers());
		if (this.configuration.spareCount() > 0) {
			description.append(", ").append(this.faultInjector.describeReconfigurations()).append(", now ")
				.append(latestConfiguration());
		}
		for (ReplicaHost host : this.hosts) {
			description.append("; ").append(host.describe());
		}
		for (SimClient client : this.clients) {
			if (!client.isIdle()) {
				description.append("; ").append(client);
			}
		}
		description.append("; cut links: ").append(this.network.describeCuts());
		description.append("; messages in flight ").append(this.network.inFlightCount());
		description.append("; highest committed op ").append(this.commitChecker.committedMax());
		return description.toString();
	}

	// The machinery.

	private void step() {
		this.tick++;
		for (ReplicaHost host : this.hosts) {
			host.storage().advanceTo(this.tick);
			if (host.isRunning()) {
				host.applyThread().advanceTo(this.tick);
			}
		}
		// As the runtime's loop takes what arrived meanwhile in one step, in half the ticks each replica
		// takes the tick's messages, its group commit's completions and its applier's in one step each
		// (Replica.startStep); in the others each call stands alone, as when messages arrive one by one.
		boolean bursts = this.stepRandom.nextBoolean();
		SimulatedReplica[] stepping = new SimulatedReplica[this.hosts.size()];
		if (bursts) {
			for (ReplicaHost host : this.hosts) {
				stepping[host.index()] = startStep(host);
			}
		}
		this.network.deliverDue(this.tick, this::deliver);
		for (ReplicaHost host : this.hosts) {
			endStep(host, stepping[host.index()]);
		}
		for (ReplicaHost host : this.hosts) {
			if (host.isRunning()) {
				SimulatedReplica writing = bursts ? startStep(host) : null;
				boolean powerLost = host.storage().completeDue(this.tick, this.chaos);
				endStep(host, writing);
				if (powerLost) {
					powerLossInWrite(host);
				}
			}
		}
		for (ReplicaHost host : this.hosts) {
			if (host.isRunning()) {
				SimApplyThread applyThread = host.applyThread();
				SimulatedReplica applying = bursts ? startStep(host) : null;
				drive(host, "running its apply thread", () -> applyThread.runDue(this.tick));
				endStep(host, applying);
			}
		}
		for (ReplicaHost host : this.hosts) {
			if (host.isRunning()) {
				SimulatedReplica replica = host.replica();
				long clockNanos = Math.max(0, this.clockOffsetNanos[host.index()]
						+ (long) (this.tick * TICK_NANOS * this.clockRate[host.index()]));
				drive(host, "ticking", () -> replica.tick(clockNanos));
			}
		}
		for (ReplicaHost host : this.hosts) {
			host.noteRecovery();
		}
		retireRemovedReplicas();
		for (SimClient client : this.clients) {
			client.tick(this.tick);
		}
		if (this.chaos) {
			this.faultInjector.step(this.tick);
		}
	}

	/**
	 * A replica that a change of members removed stops, as the runtime stops it: its callers can not
	 * be answered by it any more. It stays down from then on.
	 */
	private void retireRemovedReplicas() {
		Configuration latest = null;
		for (ReplicaHost host : this.hosts) {
			Replica replica = host.isRunning() ? host.replica().unwrap() : null;
			if (replica == null || replica.status() == Status.RECOVERING) {
				// A recovering replica's configuration is a guess until the members answer.
				continue;
			}
			if (replica.isMember()) {
				this.everMember.add(host.index());
			}
			else if (this.everMember.contains(host.index()) && replica.memberChanges().hasLeft() && !this.retired.contains(host.index())
					&& !isMemberOrLearner(host.index(), (latest != null) ? latest : (latest = latestConfiguration()))) {
				// (One that a later change adds again, or is adding, stays: it is the cluster's again.)
				this.retired.add(host.index());
				record("retire " + host.index() + ", removed from the members");
				crash(host.index());
			}
		}
	}

	private void startLivenessPhase() {
		heal();
		Set<Integer> keptDown = keptDownForLiveness();
		if (!keptDown.isEmpty()) {
			record("liveness with replicas " + keptDown + " down");
		}
		for (ReplicaHost host : this.hosts) {
			if (!host.isRunning() && !keptDown.contains(host.index()) && !this.retired.contains(host.index())
					&& !host.isNeverStarted()) {
				start(host);
				if (!host.isRunning()) {
					// A read that failed once: the operator starts it again, and the disk reads this time.
					start(host);
				}
			}
			else if (host.isRunning() && keptDown.contains(host.index())) {
				crash(host.index());
			}
		}
		this.keptDown = keptDown;
	}

	/**
	 * The replicas that stay down through the liveness phase: in half the swarm worlds of three or
	 * more replicas, as many as the cluster tolerates, so that liveness is checked with a bare
	 * majority too. A damaged replica (wiped and not recovered, or with a corrupt entry) is among
	 * them, or none stays down: a majority that counts a damaged replica may rightly be unable to go on.
	 */
	private Set<Integer> keptDownForLiveness() {
		SplittableRandom random = RandomStreams.of(this.configuration.seed(), "liveness-down");
		Configuration members = latestConfiguration();
		// With a change of members still in the air, the members the liveness phase needs are not known.
		int faultsMax = pendingConfigurations().isEmpty() ? members.faultsMax() : 0;
		if (this.configuration.faults().profile() != SimFaults.Profile.SWARM || faultsMax == 0 || random.nextBoolean()) {
			return Set.of();
		}
		Set<Integer> down = new TreeSet<>();
		for (ReplicaHost host : this.hosts) {
			if (members.contains(host.index()) && (host.isWipedUnrecovered() || host.storage().hasCorruption())) {
				down.add(host.index());
			}
		}
		while (down.size() < faultsMax) {
			down.add(members.member(random.nextInt(members.size())));
		}
		return (down.size() > faultsMax) ? Set.of() : down;
	}

	private void start(ReplicaHost host) {
		int index = host.index();
		KvStateMachine stateMachine = new KvStateMachine();
		SplittableRandom random = this.replicaRandom.split();
		Outbox outbox = new ReplicaOutbox(index);
		if (host.isWipedUnrecovered()) {
			// A process that died before it finished recovering left a data directory no one can trust.
			host.storage().wipe();
		}
		SimApplyThread applyThread = new SimApplyThread(this.applyLatencyTicksMax, this.applierRandom.split());
		applyThread.advanceTo(this.tick);
		// The runtime's own apply path. The simulator is its replica's loop: a completion runs at
		// once, within the call that ran the apply thread's task (itself within a call into the
		// replica, or the simulator's step).
		StateMachineRunner runner = new StateMachineRunner(stateMachine, applyThread, Runnable::run, (failure) -> {
			throw new SimulationFailure(this.configuration.seed(), this.tick, Check.REPLICA_EXCEPTION,
					"replica " + index + "'s state machine failed: " + failure.getMessage(), failure);
		}, (op, results) -> {
		});
		Storage opened;
		DurableLogChecker durableLog = new DurableLogChecker(this.configuration.seed(), index,
				host.storage().durableSuperblock());
		try {
			opened = host.storage().open(new StorageCompletions(host, durableLog));
		}
		catch (HostDisk.Unavailable ex) {
			// The replica refuses to start on a disk it can not read, as it should; it is tried again later.
			record(ex.getMessage());
			return;
		}
		catch (RuntimeException ex) {
			throw new SimulationFailure(this.configuration.seed(), this.tick, Check.REPLICA_EXCEPTION,
					"replica " + index + "'s storage could not be opened: " + ex, ex);
		}
		this.commitChecker.replicaStarted(index);
		boolean recovering = !host.storage().hasSuperblock();
		Storage storage = new EventStorage(host, opened, durableLog);
		this.durableLogs.put(index, durableLog);
		record((recovering ? "recover " : "restart ") + index);
		try {
			SimulatedReplica replica = recovering
					? this.factory.recover(this.cluster, index, this.configuration.replicaOptions(), storage, outbox,
							stateMachine, runner, random)
					: this.factory.restart(this.cluster, index, this.configuration.replicaOptions(),
							host.storage().durableState(), storage, outbox, stateMachine, runner, random);
			runner.attach(replica);
			host.started(replica, stateMachine, applyThread, runner);
			applyThread.start();
		}
		catch (SimulationFailure failure) {
			throw failure;
		}
		catch (RuntimeException ex) {
			throw new SimulationFailure(this.configuration.seed(), this.tick, Check.REPLICA_EXCEPTION, "replica " + index
					+ " threw " + ex + " while " + (recovering ? "starting to recover" : "restarting from its storage"), ex);
		}
		this.commitChecker.check(host.replica(), this.tick);
		for (SimClient client : this.clients) {
			if (client.localReplica() == index && !client.isProcessRunning()) {
				client.processStarted();
			}
		}
	}

	private boolean deliver(SimNetwork.Envelope envelope) {
		Message message = envelope.message();
		if (envelope.to().isReplica()) {
			ReplicaHost host = this.hosts.get(envelope.to().index());
			if (!host.isRunning()) {
				return false;
			}
			record(envelope.to() + " <- " + envelope.from() + " " + message);
			SimulatedReplica replica = host.replica();
			drive(host, "receiving " + message + " from " + envelope.from(), () -> {
				replica.receive(message);
				if (message instanceof ReplicaMessage.StartView) {
					event(host.index(), ProtocolEvent.START_VIEW_RECEIVED);
				}
			});
			return true;
		}
		SimClient client = this.clients.get(envelope.to().index());
		if (client.incarnation() != envelope.incarnation()) {
			return false;
		}
		record(envelope.to() + " <- " + envelope.from() + " " + message);
		Reply reply = (Reply) message;
		Request completed;
		try {
			completed = client.receive(reply, this.tick);
		}
		catch (IllegalArgumentException ex) {
			throw new SimulationFailure(this.configuration.seed(), this.tick, Check.REPLY,
					"client " + client.index() + " could not decode " + reply + ": " + ex.getMessage(), ex);
		}
		if (completed != null) {
			this.replyChecker.check(client.index(), completed, reply, this.tick);
		}
		return true;
	}

	/** Calls into a replica, turns what it throws into a failure, and checks its new commits. */
	/**
	 * Starts a step of {@code host}'s replica, if it runs.
	 * @return the replica stepping, or {@code null} when the host is down
	 */
	private @Nullable SimulatedReplica startStep(ReplicaHost host) {
		if (!host.isRunning()) {
			return null;
		}
		// Only a flag: nothing for the checkers to look at until the step ends.
		SimulatedReplica replica = host.replica();
		replica.startStep();
		return replica;
	}

	/**
	 * Ends the step {@code stepping} started on {@code host}, if that replica still runs: one that
	 * crashed meanwhile took its step with it, and one started meanwhile took its calls outside a step.
	 */
	private void endStep(ReplicaHost host, @Nullable SimulatedReplica stepping) {
		if (stepping != null && host.isRunning() && host.replica() == stepping) {
			drive(host, "ending a step", stepping::endStep);
		}
	}

	private void drive(ReplicaHost host, String what, Runnable call) {
		try {
			call.run();
		}
		catch (SimulationFailure failure) {
			throw failure;
		}
		catch (RuntimeException ex) {
			throw new SimulationFailure(this.configuration.seed(), this.tick, Check.REPLICA_EXCEPTION,
					"replica " + host.index() + " threw " + ex + " while " + what, ex);
		}
		if (host.isRunning()) {
			this.commitChecker.check(host.replica(), this.tick);
		}
		faultsDueAfterCall(host);
	}

	/** A replica did something a crash may be timed to. */
	private void event(int replica, ProtocolEvent event) {
		if (this.chaos) {
			this.faultInjector.onEvent(replica, event, this.tick);
		}
	}

	/**
	 * Isolates or crashes the replica if an event of its marked it for either, now that the call
	 * into it returned.
	 */
	private void faultsDueAfterCall(ReplicaHost host) {
		if (this.chaos && this.faultInjector.isolateIfDue(host.index(), this.tick)) {
			this.faultCounts.partition();
			record("isolate " + host.index() + " right after its event: " + this.network.describeCuts());
		}
		if (this.faultInjector.takeCrashDue(host.index()) && host.isRunning()) {
			this.faultCounts.timedCrash();
			record("timed crash of " + host.index());
			this.faultInjector.crashAtEvent(host.index(), this.tick);
		}
	}

	private void record(String event) {
		this.fingerprint.record(this.tick, event);
		if (this.trace != null) {
			this.trace.accept("tick " + this.tick + ": " + event);
		}
	}

	/** The client whose running process owns the session of {@code clientId}, or {@code null}. */
	private SimClient clientOwning(long clientId) {
		SimClient owner = null;
		for (SimClient client : this.clients) {
			if (client.owns(clientId)) {
				if (owner != null) {
					throw new IllegalStateException("Clients " + owner.index() + " and " + client.index()
							+ " drew the same client id " + Long.toHexString(clientId) + " for seed "
							+ this.configuration.seed());
				}
				owner = client;
			}
		}
		return owner;
	}

	/** The running replicas that are members of the newest configuration: the cluster whose states converge. */
	private List<StateChecker.RunningReplica> runningMembers() {
		Configuration members = latestConfiguration();
		return runningReplicas().stream().filter((running) -> members.contains(running.replica().index())).toList();
	}

	private List<StateChecker.RunningReplica> runningReplicas() {
		List<StateChecker.RunningReplica> running = new ArrayList<>();
		for (ReplicaHost host : this.hosts) {
			// Only a state machine with nothing left to do holds the state at its replica's commit.
			if (host.isRunning() && !host.applyThread().isBusy()) {
				running.add(new StateChecker.RunningReplica(host.replica(), host.stateMachine()));
			}
		}
		return running;
	}

	private static void requireState(boolean condition, String action, int replica, String reason) {
		if (!condition) {
			throw new IllegalStateException("Cannot " + action + " replica " + replica + ": " + reason);
		}
	}

	/** A replica's outbox: every message goes onto the network, from that replica. */
	private final class ReplicaOutbox implements Outbox {

		private final int replica;

		ReplicaOutbox(int replica) {
			this.replica = replica;
		}

		@Override
		public void send(int to, ReplicaMessage message) {
			if (to >= Simulator.this.configuration.hostCount()) {
				// No such host: a recovery asks every index of the cluster's index space.
				return;
			}
			checkBackedByDisk(message);
			Simulator.this.network.send(Simulator.this.tick, SimAddress.replica(this.replica), SimAddress.replica(to), 0,
					message);
			ProtocolEvent event = sentEvent(message);
			if (event != null) {
				event(this.replica, event);
			}
		}

		/** An acknowledgement or a vote is a promise that a crash from now on keeps: only the modelled disk shows it. */
		private void checkBackedByDisk(ReplicaMessage message) {
			if (!Simulator.this.durablePromiseChecks
					|| !(Simulator.this.hosts.get(this.replica).storage() instanceof SimStorage disk)) {
				return;
			}
			DurableLogChecker durableLog = Simulator.this.durableLogs.get(this.replica);
			if (message instanceof ReplicaMessage.PrepareOk acknowledgement) {
				durableLog.acknowledged(acknowledgement, disk.durableSuperblock(), disk.durableSnapshotOp(),
						disk.durableEntry(acknowledgement.op()), Simulator.this.tick);
			}
			else if (message instanceof ReplicaMessage.DoViewChange vote) {
				durableLog.voted(vote, disk.durableSuperblock(), Simulator.this.tick);
			}
		}

		@Override
		public void reply(Reply reply) {
			SimClient client = clientOwning(reply.clientId());
			if (client == null) {
				// The client restarted with a new id: its old connection is gone, and so is the reply.
				return;
			}
			Simulator.this.network.send(Simulator.this.tick, SimAddress.replica(this.replica),
					SimAddress.client(client.index()), client.incarnation(), reply);
		}

	}

	/** What the clients see of the world: the network, and the replica each runs beside. */
	private final class ClientWorld implements SimClient.World {

		@Override
		public void send(SimClient client, int replica, Request request) {
			Simulator.this.network.send(Simulator.this.tick, SimAddress.client(client.index()), SimAddress.replica(replica),
					0, request);
		}

		@Override
		public boolean isRunning(int replica) {
			return Simulator.this.hosts.get(replica).isRunning();
		}

		@Override
		public long view(int replica) {
			return Simulator.this.hosts.get(replica).replica().view();
		}

		@Override
		public Configuration configuration(int replica) {
			Replica real = Simulator.this.hosts.get(replica).replica().unwrap();
			return (real != null) ? real.configuration() : Configuration.initial(Simulator.this.configuration.replicaCount());
		}

		@Override
		public boolean isNormal(int replica) {
			return Simulator.this.hosts.get(replica).replica().status() == Status.NORMAL;
		}

		@Override
		public long appliedOp(int replica) {
			ReplicaHost host = Simulator.this.hosts.get(replica);
			long commit = host.replica().commit();
			return Simulator.this.factory.appliesThroughApplier() ? host.runner().answerableOp(commit) : commit;
		}

		@Override
		public long stateOp(int replica) {
			return Simulator.this.hosts.get(replica).stateMachine().lastAppliedOp();
		}

		@Override
		public String read(int replica, String key) {
			return Simulator.this.hosts.get(replica).stateMachine().get(key);
		}

		@Override
		public long returned(int replica, long op) {
			return Simulator.this.hosts.get(replica).returned(op);
		}

		@Override
		public void violation(String description) {
			throw new SimulationFailure(Simulator.this.configuration.seed(), Simulator.this.tick, Check.LOCAL_READ,
					description);
		}

	}

	/** A replica's disk as the replica sees it: requests of superblock writes are events a crash may be timed to. */
	private final class EventStorage implements Storage {

		private final ReplicaHost host;

		private final Storage disk;

		private final DurableLogChecker durableLog;

		EventStorage(ReplicaHost host, Storage disk, DurableLogChecker durableLog) {
			this.host = host;
			this.disk = disk;
			this.durableLog = durableLog;
		}

		@Override
		public void writeEntry(LogEntry entry) {
			this.disk.writeEntry(entry);
		}

		@Override
		public void truncateAfter(long op) {
			this.disk.truncateAfter(op);
		}

		@Override
		public void writeSuperblock(Superblock superblock) {
			// The replica asks while it is being built, before the host knows it: it holds no log view then.
			SimulatedReplica replica = this.host.isRunning() ? this.host.replica() : null;
			boolean holdsLogView = replica != null && replica.status() == Status.NORMAL
					&& replica.logView() == superblock.logView();
			this.durableLog.requested(superblock, holdsLogView, (replica != null) ? replica.op() : -1);
			this.disk.writeSuperblock(superblock);
			event(this.host.index(), ProtocolEvent.SUPERBLOCK_REQUESTED);
		}

		@Override
		public void writeSnapshot(Snapshot snapshot) {
			this.disk.writeSnapshot(snapshot);
		}

	}

	/** The protocol event of sending {@code message}, or {@code null} when a crash is not timed to it. */
	private static ProtocolEvent sentEvent(ReplicaMessage message) {
		if (message instanceof ReplicaMessage.StartViewChange) {
			return ProtocolEvent.START_VIEW_CHANGE_SENT;
		}
		if (message instanceof ReplicaMessage.DoViewChange) {
			return ProtocolEvent.DO_VIEW_CHANGE_SENT;
		}
		if (message instanceof ReplicaMessage.StartView) {
			return ProtocolEvent.START_VIEW_SENT;
		}
		if (message instanceof ReplicaMessage.PrepareOk) {
			return ProtocolEvent.PREPARE_OK_SENT;
		}
		if (message instanceof ReplicaMessage.RecoveryResponse) {
			return ProtocolEvent.RECOVERY_RESPONSE_SENT;
		}
		return null;
	}

	/** Hands completed disk requests to whichever process runs on the host now. */
	private final class StorageCompletions implements SimStorage.Completions {

		private final ReplicaHost host;

		private final DurableLogChecker durableLog;

		StorageCompletions(ReplicaHost host, DurableLogChecker durableLog) {
			this.host = host;
			this.durableLog = durableLog;
		}

		@Override
		public void onEntryWritten(long op, long checksum) {
			SimulatedReplica replica = this.host.replica();
			drive(this.host, "completing the write of op " + op, () -> replica.onEntryWritten(op, checksum));
		}

		@Override
		public void onSuperblockWritten(Superblock superblock) {
			SimulatedReplica replica = this.host.replica();
			drive(this.host, "completing the write of " + superblock, () -> {
				// Only the modelled disk shows its durable image without a restart.
				this.durableLog.written(superblock, (Simulator.this.durablePromiseChecks
						&& this.host.storage() instanceof SimStorage disk) ? disk.durableState() : null, Simulator.this.tick);
				replica.onSuperblockWritten(superblock);
				event(this.host.index(), ProtocolEvent.SUPERBLOCK_WRITTEN);
			});
		}

		@Override
		public void onSnapshotWritten(long op) {
			SimulatedReplica replica = this.host.replica();
			drive(this.host, "completing the write of the snapshot of op " + op, () -> replica.onSnapshotWritten(op));
		}

		@Override
		public void onStorageFailed(Exception cause) {
			throw new SimulationFailure(Simulator.this.configuration.seed(), Simulator.this.tick, Check.REPLICA_EXCEPTION,
					"replica " + this.host.index() + "'s storage failed: " + cause, cause);
		}

	}

}
