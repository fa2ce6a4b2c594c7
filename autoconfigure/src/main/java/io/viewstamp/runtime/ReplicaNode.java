package io.viewstamp.runtime;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.viewstamp.storage.FileStorage;
import io.viewstamp.storage.StorageCompletions;
import io.viewstamp.transport.InvalidPeerAddressException;
import io.viewstamp.transport.MessageListener;
import io.viewstamp.transport.NettyTransport;
import io.viewstamp.transport.PeerAddress;
import io.viewstamp.transport.PeerStatus;
import io.viewstamp.vsr.Cluster;
import io.viewstamp.vsr.Configuration;
import io.viewstamp.vsr.DurableState;
import io.viewstamp.vsr.Message;
import io.viewstamp.vsr.Outbox;
import io.viewstamp.vsr.Replica;
import io.viewstamp.vsr.ReconfigurationRefusal;
import io.viewstamp.vsr.ReplicaMessage;
import io.viewstamp.vsr.Reply;
import io.viewstamp.vsr.Request;
import io.viewstamp.vsr.StateMachine;
import io.viewstamp.vsr.Status;
import io.viewstamp.vsr.Superblock;
import org.jspecify.annotations.Nullable;

/**
 * One replica on real threads. One loop thread owns the {@link Replica}: messages from the
 * network, ticks from a timer, storage completions and client work all become tasks on it, so
 * the replica itself never sees concurrency. The journal writes on the storage's own I/O thread
 * with group commit, the network runs on the transport's threads, and committed ops are applied
 * in op order on an apply thread of their own ({@link ApplyThread}), so a slow command never
 * holds up heartbeats or acknowledgements.
 *
 * <p>A data directory with a superblock restarts the replica from it. An empty or missing one
 * makes it recover from its peers (it votes only once recovered); a new cluster's directories are
 * created with {@link #format} first, as TigerBeetle's are.
 */
public final class ReplicaNode implements AutoCloseable {

	/** Messages from the network that may wait for the loop; more are dropped, as the network may drop them. */
	static final int INBOUND_MESSAGES_MAX = 16_384;

	private static final long CLOSE_TIMEOUT_SECONDS = 10;

	private static final System.Logger logger = System.getLogger(ReplicaNode.class.getName());

	private final NodeConfiguration configuration;

	private final RuntimeOptions options;

	private final Cluster cluster;

	private final ScheduledExecutorService loop;

	private final ExecutorService callbacks;

	private final InboundMessages inbound = new InboundMessages(INBOUND_MESSAGES_MAX, this::executeQuietly,
			new InboundMessages.Receiver() {

				@Override
				public void stepStarted() {
					startStep();
				}

				@Override
				public void receive(int fromReplica, Message message) {
					ReplicaNode.this.receive(fromReplica, message);
				}

				@Override
				public void stepEnded() {
					endStep();
				}

			});

	private final ReplyRoutes routes = new ReplyRoutes();

	private final ReplicationClient client;

	/** Set once, by {@link #open}. */
	private volatile @Nullable CommandAvailability commands;

	/** What {@link #open} starts: {@code null} before, and after an open that failed part way. */
	private @Nullable FileStorage storage;

	private @Nullable Replica replica;

	/** {@code null} in a cluster of one, which has no peers to talk to. */
	private @Nullable NettyTransport transport;

	private @Nullable ApplyThread applyThread;

	private @Nullable StateMachineRunner applier;

	private final AppliedResults appliedResults = new AppliedResults();

	private final StateChecks stateChecks;

	private volatile long divergences;

	private volatile @Nullable String lastDivergence;

	/** Published by the loop, from the end of {@link #open} on. */
	private volatile @Nullable NodeStatus status;

	/** Loop only: the ignored messages as last published, rebuilt only when their total moves. */
	private Map<String, Long> ignoredMessages = NodeStatus.ignoreCounts(Map.of());

	private long ignoredMessagesTotal;

	/** Loop only: requests of the local client on their way to the replica, in its next step. */
	private final ArrayDeque<Request> localRequests = new ArrayDeque<>();

	/** Loop only: a change of members asked of this replica and not settled yet. */
	private @Nullable MemberChange memberChange;

	/** Loop only: the hand-over of this primary's view under way, if any. */
	private @Nullable PrimaryHandOver handOver;

	/** Loop only: completed once the local client has nothing unfinished, when a clean stop waits for it. */
	private @Nullable CompletableFuture<Void> clientIdle;

	/** Loop only: how a replica without data decides to form or recover; {@code null} once it has data. */
	private @Nullable Formation formation;

	/** Loop only: the epoch whose configuration was last compared with the peer list; -1 before the first. */
	private long peerListCheckedEpoch = -1;

	/** Loop only: the newest view this replica said it is the primary of, so that each is logged once. */
	private long viewAnnounced = -1;

	/** Loop only: whether the replica was outside the members at its last tick, as the log said. */
	private boolean spareReported;

	private volatile boolean stopped;

	private volatile @Nullable String stopCause;

	private ReplicaNode(NodeConfiguration configuration, RuntimeOptions options) {
		this.configuration = configuration;
		this.options = options;
		this.cluster = configuration.cluster();
		this.loop = new ScheduledThreadPoolExecutor(1, daemon("viewstamp-replica-" + configuration.replica()));
		this.callbacks = Executors.newSingleThreadExecutor(daemon("viewstamp-client-" + configuration.replica()));
		this.client = new ReplicationClient(new Environment(), options, this.callbacks);
		this.stateChecks = new StateChecks(options.stateCheckIntervalOps());
	}

	/**
	 * Creates the data directory of a replica of a new cluster (view 0, empty journal).
	 * @param configuration the replica's configuration
	 * @throws io.viewstamp.storage.DataDirectoryException when the directory already holds data
	 */
	public static void format(NodeConfiguration configuration) {
		FileStorage.format(configuration.dataDirectory(), configuration.clusterId(), configuration.replica(),
				configuration.replicaCount());
	}

	/**
	 * Whether the replica's data directory holds its data already (a superblock); when it does not,
	 * {@link #start} recovers the replica from its peers unless it is first {@link #format formatted}.
	 * @param configuration the replica's configuration
	 * @return {@code true} when the data directory holds a superblock
	 */
	public static boolean isFormatted(NodeConfiguration configuration) {
		return FileStorage.holdsSuperblock(configuration.dataDirectory());
	}

	/**
	 * Starts a replica: opens its data directory, listens for its peers and connects to them.
	 * @param configuration who the replica is
	 * @param options how it runs
	 * @param stateMachine the application's state machine, called on the replica's apply thread only
	 * @return the running replica
	 * @throws io.viewstamp.storage.DataDirectoryException when the data directory belongs to another
	 * replica or cluster, or can not be used
	 * @throws io.viewstamp.transport.TransportException when the replica's address can not be bound
	 */
	public static ReplicaNode start(NodeConfiguration configuration, RuntimeOptions options, StateMachine stateMachine) {
		Objects.requireNonNull(configuration, "configuration");
		Objects.requireNonNull(options, "options");
		Objects.requireNonNull(stateMachine, "stateMachine");
		ReplicaNode node = new ReplicaNode(configuration, options);
		try {
			node.open(options, stateMachine);
			return node;
		}
		catch (RuntimeException ex) {
			node.close();
			throw ex;
		}
	}

	private void open(RuntimeOptions options, StateMachine stateMachine) {
		long tickNanos = options.tickInterval().toNanos();
		CommandAvailability availability = CommandAvailability.of(stateMachine);
		this.commands = availability;
		if (this.cluster.replicaCount() > 1 && !isFormatted(this.configuration)) {
			// No data: the network only, and the storage once every member has said whether it holds any.
			this.formation = new Formation(this.configuration);
			this.transport = NettyTransport.start(this.cluster.clusterId(), this.configuration.replica(),
					this.configuration.peers(), options.transport(), new Inbound(), () -> isFormatted(this.configuration),
					availability.local());
			availability.attach(this.transport);
			this.status = NodeStatus.forming(this.configuration.replica(), this.cluster.replicaCount());
			logger.log(Level.INFO, () -> "Replica " + this.configuration.replica() + " has no data in "
					+ this.configuration.dataDirectory() + ": it asks every member whether it holds data, and forms a new "
					+ "cluster if none does, or recovers from them if one does");
			this.loop.scheduleAtFixedRate(() -> guarded(() -> tickForming(options, stateMachine)), tickNanos, tickNanos,
					TimeUnit.NANOSECONDS);
			return;
		}
		FileStorage storage = openStorage(options);
		// The network first, so the replica's first messages (a restarted primary's view change)
		// have somewhere to go; what arrives before the replica exists is dropped.
		if (this.cluster.replicaCount() > 1) {
			this.transport = NettyTransport.start(this.cluster.clusterId(), this.configuration.replica(),
					this.configuration.peers(), options.transport(), new Inbound(), () -> true, availability.local());
			availability.attach(this.transport);
		}
		onLoopAndWait(() -> createReplica(options, stateMachine, storage));
		this.loop.scheduleAtFixedRate(() -> guarded(this::tick), tickNanos, tickNanos, TimeUnit.NANOSECONDS);
	}

	private FileStorage openStorage(RuntimeOptions options) {
		FileStorage storage = FileStorage.open(this.configuration.dataDirectory(), this.cluster.clusterId(),
				this.configuration.replica(), this.cluster.replicaCount(), options.storage(), new Completions(),
				// One group commit's completions are one step: a backup acknowledges the batch once.
				(completions) -> executeQuietly(() -> inStep(completions)));
		this.storage = storage;
		return storage;
	}

	/**
	 * A tick of a replica without data: it waits until every member has answered whether it holds
	 * data, then formats its directory and starts as a member of a new cluster (none does) or
	 * recovers from its peers (one does), and ticks as a replica from then on.
	 */
	private void tickForming(RuntimeOptions options, StateMachine stateMachine) {
		if (this.replica != null) {
			tick();
			return;
		}
		Formation formation = Objects.requireNonNull(this.formation, "a replica without data forms or recovers");
		NettyTransport network = Objects.requireNonNull(this.transport, "a replica with peers has a network");
		Formation.Decision decision = formation.decide(network::peerHoldsData);
		if (decision != Formation.Decision.WAIT) {
			this.formation = null;
		}
		if (decision == Formation.Decision.WAIT) {
			formation.reportWaiting(network::peerHoldsData);
			// Callers' commands wait, and time out as they would while the cluster has no majority.
			this.client.onTick();
			this.client.completeApplied();
			return;
		}
		if (decision == Formation.Decision.FORM) {
			format(this.configuration);
			logger.log(Level.INFO, () -> "Replica " + this.configuration.replica() + ": every member answered that it "
					+ "holds no data; it formats " + this.configuration.dataDirectory() + " and forms a new cluster");
		}
		createReplica(options, stateMachine, openStorage(options));
	}

	private void createReplica(RuntimeOptions options, StateMachine stateMachine, FileStorage storage) {
		DurableState state = storage.durableState().orElse(null);
		{
			// The generator only spreads timeouts apart; it need not be reproducible here.
			SplittableRandom random = new SplittableRandom();
			Outbox outbox = new NetworkOutbox();
			this.applyThread = new ApplyThread("viewstamp-apply-" + this.configuration.replica());
			this.applier = new StateMachineRunner(stateMachine, this.applyThread,
					(completion) -> executeQuietly(() -> inStep(completion)), this::stop, this.appliedResults::remember);
			this.replica = (state != null)
					? Replica.restart(this.cluster, this.configuration.replica(), options.replica(), state, storage,
							outbox, this.applier, random)
					: Replica.recover(this.cluster, this.configuration.replica(), options.replica(), storage, outbox,
							this.applier, random);
			this.applier.attach(this.replica);
			logger.log(Level.INFO, () -> (state != null)
					? "Replica " + this.configuration.replica() + " restarts from " + storage.dataDirectory()
							+ " at view " + state.superblock().view()
					: "Replica " + this.configuration.replica() + " has no data in " + storage.dataDirectory()
							+ "; it recovers from its peers");
			publishStatus();
		}
	}

	/** The client through which this process submits commands. */
	public ReplicationClient client() {
		return this.client;
	}

	/** This replica's status as of its last tick, with its connections as they are now. */
	public NodeStatus status() {
		NodeStatus last = Objects.requireNonNull(this.status, "the loop publishes a status before start returns");
		FileStorage storage = this.storage;
		List<PeerStatus> peers = (this.transport != null) ? this.transport.peers() : List.of();
		return new NodeStatus(last.replica(), last.replicaCount(), last.status(), last.view(), last.primary(), last.op(),
				last.commit(), last.clientSessions(), this.stopped, this.stopCause, peers,
				(storage != null) ? storage.statistics() : NodeStatus.NO_STORAGE,
				last.acknowledgedOps(), this.divergences, this.lastDivergence, this.stateChecks.lastAgreedOp(),
				peerRefusals(), last.ignoredMessages(), last.configuration());
	}

	/**
	 * The members that, by their last handshake since this replica started, do not know the command
	 * named {@code commandName} (they run an older release of the application): a command none lacks
	 * may be submitted. Safe from any thread.
	 * @param commandName a name the application's {@link NamedCommands} gives
	 * @return index to address of each member lacking it, in index order; empty when none does
	 */
	public SortedMap<Integer, PeerAddress> replicasLacking(String commandName) {
		CommandAvailability availability = this.commands;
		// The last published configuration: a command's submission must not pay for a whole status.
		NodeStatus published = this.status;
		return (availability != null && published != null)
				? availability.replicasLacking(commandName, published.configuration()) : Collections.emptySortedMap();
	}

	/** {@code what} as text ending with one period, so that messages built of messages read as sentences. */
	static String sentence(Object what) {
		String text = String.valueOf(what);
		return text.endsWith(".") ? text : text + ".";
	}

	/** The configuration the replica runs with. */
	public NodeConfiguration configuration() {
		return this.configuration;
	}

	/**
	 * Hands this replica's view to replica {@code target}: this replica, the primary, takes no more
	 * requests, waits until everything it prepared is committed and held by the target, and starts
	 * a view change to the next view the target leads. Callers anywhere wait a few round trips, not
	 * a timeout. Never blocks; callable from any thread.
	 * @param target the index of the replica to lead next
	 * @return completed with the new view once this replica follows the target in it; or failed
	 * with a {@link PrimaryTransferException} saying why not (this replica is not the primary, the
	 * target is not a member or did not catch up within a view-change timeout, another view change
	 * overtook it)
	 */
	public CompletableFuture<Long> transferPrimary(int target) {
		CompletableFuture<Long> result = new CompletableFuture<>();
		try {
			this.loop.execute(() -> guarded(() -> startHandOver(target).result().whenComplete((view, failure) -> {
				if (failure != null) {
					result.completeExceptionally(failure);
				}
				else {
					result.complete(view);
				}
			})));
		}
		catch (RuntimeException ex) {
			result.completeExceptionally(new PrimaryTransferException("Replica " + this.configuration.replica()
					+ " has stopped: it hands nothing over"));
		}
		// Callers' continuations run on the callback thread, never on the replica's loop.
		return result.whenCompleteAsync((view, failure) -> {
		}, this.callbacks);
	}

	private PrimaryHandOver startHandOver(int target) {
		PrimaryHandOver started = PrimaryHandOver.start(replica(), target);
		if (started.isDone()) {
			// Refused at once: a hand-over under way goes on.
			return started;
		}
		PrimaryHandOver previous = this.handOver;
		if (previous != null && !previous.isDone()) {
			// The replica follows one hand-over at a time: the new one replaced it.
			previous.superseded(target);
		}
		this.handOver = started;
		return started;
	}

	/**
	 * Stops the replica: a primary first hands its view to the most up-to-date connected backup and
	 * waits (a bounded time) for the callers in this process to be answered, so that a clean stop
	 * costs callers a few round trips rather than a view-change timeout; then the network, the
	 * storage after its queued writes, and the loop. Commands still in flight fail with
	 * {@link ReplicaStoppedException}. Idempotent.
	 */
	@Override
	public void close() {
		if (!this.stopped && this.replica != null && this.transport != null) {
			handOverBeforeStop();
		}
		if (this.transport != null) {
			this.transport.close();
		}
		try {
			onLoopAndWait(() -> {
				if (!this.stopped && this.replica != null) {
					// Queued before the storage closes, which writes what is queued.
					this.replica.persistCommit();
				}
				stop(null);
			});
		}
		catch (RuntimeException ex) {
			// The loop already refused work: it was shut down by an earlier close.
		}
		this.loop.shutdown();
		this.callbacks.shutdown();
		try {
			this.loop.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
			this.callbacks.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * A clean stop of the primary: hands the view to the connected backup that acknowledged the most
	 * and waits for it, then for this process's callers, each within a view-change timeout or a
	 * request timeout. Whatever does not finish in time fails as a crash would have made it fail.
	 */
	private void handOverBeforeStop() {
		Duration viewChangeTimeout = this.options.tickInterval()
			.multipliedBy(2L * this.options.replica().viewChangeTimeoutTicks());
		CompletableFuture<Long> handedOver;
		try {
			handedOver = onLoop(() -> {
				int target = bestConnectedBackup();
				return (target < 0) ? null : startHandOver(target).result();
			});
		}
		catch (RuntimeException ex) {
			return;
		}
		if (handedOver == null) {
			return;
		}
		try {
			long view = handedOver.get(viewChangeTimeout.toMillis(), TimeUnit.MILLISECONDS);
			logger.log(Level.INFO, () -> "Replica " + this.configuration.replica() + " handed the view over before "
					+ "stopping: replica " + replica().configuration().primaryOf(view) + " leads view " + view);
			CompletableFuture<Void> idle = onLoop(() -> {
				CompletableFuture<Void> waiting = new CompletableFuture<>();
				this.clientIdle = waiting;
				afterStep();
				return waiting;
			});
			idle.get(this.options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			Throwable cause = (ex instanceof ExecutionException) ? Objects.requireNonNullElse(ex.getCause(), ex) : ex;
			String message = (cause instanceof TimeoutException) ? "it did not end in time"
					: Objects.requireNonNullElse(cause.getMessage(), cause.toString());
			// The hand-over's own messages end their sentence; this one goes on after the reason.
			String reason = message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
			logger.log(Level.WARNING, () -> "Replica " + this.configuration.replica() + " stops without a complete "
					+ "hand-over: " + reason + ". Its peers choose a new primary after the primary timeout.");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The connected backup that acknowledged the highest op, or -1 when this is no normal primary or none is connected. */
	private int bestConnectedBackup() {
		Replica replica = replica();
		NettyTransport network = this.transport;
		if (this.stopped || network == null || replica.status() != Status.NORMAL || !replica.isPrimary()) {
			return -1;
		}
		int best = -1;
		for (PeerStatus peer : network.peers()) {
			boolean member = replica.configuration().contains(peer.replica());
			if (peer.connected() && member
					&& (best < 0 || replica.acknowledgedOp(peer.replica()) > replica.acknowledgedOp(best))) {
				best = peer.replica();
			}
		}
		return best;
	}

	private void tick() {
		Instant now = Instant.now();
		long realtimeNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
		replica().tick(realtimeNanos);
		this.client.onTick();
		checkStateWhenDue();
		afterStep();
		settleMemberChange();
		if (replica().memberChanges().hasLeft() && !this.stopped) {
			leaveCluster();
			return;
		}
		reportSpare();
		followCommittedConfiguration();
		publishStatus();
	}

	/**
	 * At start and whenever the epoch changes: teaches the transport where the committed
	 * configuration says each member is (a change of members named them, so no peer list has to), and
	 * says how the peer list differs from it.
	 */
	private void followCommittedConfiguration() {
		Replica replica = replica();
		if (replica.status() == Status.RECOVERING || replica.configuration().epoch() == this.peerListCheckedEpoch) {
			return;
		}
		Configuration committed = replica.configuration();
		this.peerListCheckedEpoch = committed.epoch();
		NettyTransport network = this.transport;
		for (int member : committed.memberIndexes()) {
			PeerAddress address = committedAddress(committed, member);
			if (network != null && address != null && member != this.configuration.replica()) {
				network.learn(member, address);
			}
		}
		PeerListCheck.differences(this.configuration.replica(), this.configuration.peers(), committed)
			.ifPresent((differences) -> logger.log(Level.INFO, differences));
	}

	/** Where {@code committed} says {@code member} is, or {@code null} when it says nothing (or nothing usable). */
	private @Nullable PeerAddress committedAddress(Configuration committed, int member) {
		String address = committed.address(member);
		if (address.isEmpty()) {
			return null;
		}
		try {
			return PeerAddress.parse(address);
		}
		catch (InvalidPeerAddressException ex) {
			logger.log(Level.WARNING, "The committed configuration (epoch " + committed.epoch() + ") gives replica "
					+ member + " the address '" + address + "', which is no host:port (" + ex.getMessage()
					+ "); replica " + this.configuration.replica() + " keeps the address it had for it");
			return null;
		}
	}

	/**
	 * Where this replica knows replica {@code replica} to be: the committed configuration's address
	 * (as of the last published {@link #status}), else its transport's (the peer list's, or one
	 * learned), else its own peer list's entry. Safe from any thread.
	 * @return the address, or {@code null} when it knows none
	 */
	public @Nullable PeerAddress addressOf(int replica) {
		NodeStatus published = this.status;
		PeerAddress committed = (published != null) ? committedAddress(published.configuration(), replica) : null;
		if (committed != null) {
			return committed;
		}
		NettyTransport network = this.transport;
		PeerAddress learned = (network != null && replica != this.configuration.replica()) ? network.peerAddress(replica)
				: null;
		if (learned != null) {
			return learned;
		}
		List<PeerAddress> peers = this.configuration.peers();
		return (replica >= 0 && replica < peers.size()) ? peers.get(replica) : null;
	}

	/** Says once, each time it happens, that this replica runs outside the members and waits to be added. */
	private void reportSpare() {
		Replica replica = replica();
		boolean spare = replica.memberChanges().isSpare();
		if (spare && !this.spareReported) {
			Configuration members = replica.configuration();
			logger.log(Level.INFO, () -> "Replica " + this.configuration.replica() + " is not a member of epoch "
					+ members.epoch() + " (members " + members.memberList() + "): it holds the cluster's state and waits "
					+ "until a change of members adds it (POST /actuator/replication {\"add\":"
					+ this.configuration.replica() + "} on the primary's application)");
		}
		this.spareReported = spare;
	}

	/**
	 * Changes the cluster's members to {@code members} (bit {@code i} for replica {@code i}): this
	 * replica, the primary, has the new members catch up, then commits the change, and the next epoch
	 * starts with them. The change records every member's address, so that every replica learns where
	 * the new ones are from the change itself: a new member's from {@code addresses}, or where this
	 * replica knows it to be ({@link #addressOf}). A new member must be running (started with an empty
	 * data directory, it recovers from the others and waits to be added); a removed one stops by
	 * itself once the new members have taken over. Never blocks.
	 * @param members the next configuration's members
	 * @param addresses where members are that this replica may not know of (a new member's host:port)
	 * @return completed with the new configuration once this replica is in its epoch; or failed
	 * with a {@link MemberChangeException} saying why it was refused or given up, and what to do
	 */
	public CompletableFuture<Configuration> changeMembers(int members, Map<Integer, PeerAddress> addresses) {
		Map<Integer, PeerAddress> given = Map.copyOf(addresses);
		CompletableFuture<Configuration> result = new CompletableFuture<>();
		try {
			this.loop.execute(() -> guarded(() -> {
				if (this.transport == null && members != (1 << this.configuration.replica())) {
					result.completeExceptionally(new MemberChangeException("Replica " + this.configuration.replica()
							+ " runs alone, without a network (replication.peers lists no other replica), so it has no "
							+ "peer to catch up or to tell: start a cluster that will grow with the peers it starts with"));
					return;
				}
				MemberChange started = MemberChange.start(replica(), this::addressOf, members, given, result);
				if (started != null) {
					this.memberChange = started;
					// The primary and its peers reach the new members at once: a new one recovers from a
					// quorum of them, then catches up.
					announceNewMembers();
				}
			}));
		}
		catch (RuntimeException ex) {
			result.completeExceptionally(new MemberChangeException("Replica " + this.configuration.replica()
					+ " has stopped: it changes nothing"));
		}
		return result.whenCompleteAsync((configuration, failure) -> {
		}, this.callbacks);
	}

	/** Tells the peers where the new members of the change under way are, as the change records them. */
	private void announceNewMembers() {
		NettyTransport network = this.transport;
		// Pending, not only asked: a change whose new members hold everything is prepared at once.
		Configuration target = replica().memberChanges().pending();
		if (network == null || target == null) {
			return;
		}
		for (int member : target.memberIndexes()) {
			PeerAddress address = committedAddress(target, member);
			if (!replica().configuration().contains(member) && address != null && member != this.configuration.replica()) {
				network.announce(member, address);
			}
		}
	}

	/** {@link #changeMembers(int, Map)} of members whose addresses this replica knows. */
	public CompletableFuture<Configuration> changeMembers(int members) {
		return changeMembers(members, Map.of());
	}

	/** Completes the change of members under way once the next epoch started here, or it was given up. */
	private void settleMemberChange() {
		MemberChange change = this.memberChange;
		if (change != null && change.settle(replica(), this::addressOf)) {
			this.memberChange = null;
			// Committed, the configuration holds the addresses now; given up, a wrong one must not linger.
			if (this.transport != null) {
				this.transport.retractAnnouncements();
			}
		}
	}

	/**
	 * A change of members removed this replica, and a quorum of the new members has taken over: it
	 * stops, as a clean stop does, and says so. Its data is no longer the cluster's.
	 */
	private void leaveCluster() {
		Configuration members = replica().configuration();
		logger.log(Level.INFO, () -> "Replica " + this.configuration.replica() + " is no longer a member (epoch "
				+ members.epoch() + " has " + members + "), and the new members have taken over: it stops. To add "
				+ "it again, start it with an empty data directory and change the members.");
		this.stopCause = "removed from the members (" + members + ")";
		stop(null);
		NettyTransport network = this.transport;
		if (network != null) {
			// Off the loop: closing waits for the network threads, which may be handing work to this loop.
			daemon("viewstamp-leave-" + this.configuration.replica()).newThread(network::close).start();
		}
	}

	private void checkStateWhenDue() {
		Replica replica = replica();
		if (!this.stateChecks.isDue(replica.status() == Status.NORMAL, replica.commit())) {
			return;
		}
		this.stateChecks.started();
		this.client.checkState()
			.whenComplete((digest, failure) -> executeQuietly(
					() -> this.stateChecks.finished(failure == null, replica.commit())));
	}

	/** One message from the network, on the loop; {@link #afterStep} follows once per burst ({@link InboundMessages}). */
	private void receive(int from, Message message) {
		if (this.replica == null || this.stopped) {
			return;
		}
		if (message instanceof Reply reply) {
			this.client.onReply(reply);
		}
		else {
			if (message instanceof Request request) {
				this.routes.learn(request.clientId(), from);
			}
			this.replica.receive(message);
		}
	}

	/** The requests the local client sent since the last such step, in one step. */
	private void receiveLocalRequests() {
		Replica replica = this.replica;
		if (replica == null) {
			this.localRequests.clear();
			return;
		}
		inStep(() -> {
			Request request;
			while ((request = this.localRequests.poll()) != null) {
				replica.receive(request);
			}
		});
	}

	/**
	 * Runs {@code task} as one step of the replica ({@link Replica#startStep}), then {@link #afterStep}.
	 * A task that throws leaves the step open: the replica stops ({@link #guarded}) and takes no more.
	 */
	private void inStep(Runnable task) {
		startStep();
		task.run();
		endStep();
	}

	/** The replica's step starts, once it exists: a replica without data has none yet ({@link Formation}). */
	private void startStep() {
		Replica replica = this.replica;
		if (replica != null && !this.stopped) {
			replica.startStep();
		}
	}

	/**
	 * The replica's step ends: it prepares and acknowledges what the step gathered, and the node does
	 * its own end-of-step work. A step whose replica came to exist or stopped within it ends quietly.
	 */
	private void endStep() {
		Replica replica = this.replica;
		if (replica == null || this.stopped || !replica.isInStep()) {
			return;
		}
		replica.endStep();
		afterStep();
	}

	private void afterStep() {
		this.client.completeApplied();
		announceView();
		PrimaryHandOver under = this.handOver;
		if (under != null && !under.isDone()) {
			under.check(replica());
		}
		CompletableFuture<Void> idle = this.clientIdle;
		if (idle != null && this.client.unfinished() == 0) {
			idle.complete(null);
		}
	}

	/**
	 * Logs each view this replica becomes the primary of, once: the line that says a new cluster,
	 * or one after a view change, takes commands. (A backup of a view that has just started can not
	 * yet know whether its primary serves; the primary can.)
	 */
	private void announceView() {
		Replica replica = replica();
		if (replica.status() != Status.NORMAL || !replica.isPrimary() || replica.view() == this.viewAnnounced) {
			return;
		}
		long view = replica.view();
		this.viewAnnounced = view;
		logger.log(Level.INFO, () -> "Replica " + this.configuration.replica() + " is the primary of view " + view
				+ ": the cluster takes commands");
	}

	private void publishStatus() {
		Replica replica = replica();
		if (replica.ignoredMessagesTotal() != this.ignoredMessagesTotal) {
			this.ignoredMessagesTotal = replica.ignoredMessagesTotal();
			this.ignoredMessages = NodeStatus.ignoreCounts(replica.ignoredMessages());
		}
		this.status = new NodeStatus(this.configuration.replica(), this.cluster.replicaCount(), replica.status(),
				replica.view(), replica.primaryIndex(), replica.op(), replica.commit(),
				this.client.sessions(), this.stopped, this.stopCause, List.of(), null, acknowledgedOps(), this.divergences,
				this.lastDivergence, this.stateChecks.lastAgreedOp(), NodeStatus.noPeerRefusals(), this.ignoredMessages,
				replica.configuration());
	}

	private Map<String, Long> peerRefusals() {
		if (this.transport == null) {
			return NodeStatus.noPeerRefusals();
		}
		Map<String, Long> refusals = new LinkedHashMap<>();
		this.transport.refusals().forEach((reason, count) -> refusals.put(reason.tag(), count));
		return Collections.unmodifiableMap(refusals);
	}

	private List<Long> acknowledgedOps() {
		Replica replica = replica();
		// Every index of the peer list, and the members beyond it that a change of members named.
		int count = Math.max(this.cluster.replicaCount(),
				Integer.SIZE - Integer.numberOfLeadingZeros(replica.configuration().members()));
		List<Long> acknowledged = new ArrayList<>(count);
		for (int index = 0; index < count; index++) {
			acknowledged.add(replica.acknowledgedOp(index));
		}
		return List.copyOf(acknowledged);
	}

	/**
	 * Stops on a failure the replica can not survive (its storage failed, or an invariant broke):
	 * going on could acknowledge what is not durable, so the replica stops serving and its peers
	 * carry on without it. A restart from the data directory brings it back.
	 */
	private void stop(@Nullable Throwable cause) {
		if (this.stopped) {
			return;
		}
		if (cause != null) {
			this.stopCause = cause.toString();
			logger.log(Level.ERROR, "Replica " + this.configuration.replica() + " stops: " + sentence(cause)
					+ " Restart it from its data directory once the cause is fixed.", cause);
		}
		this.stopped = true;
		PrimaryHandOver under = this.handOver;
		if (under != null && !under.isDone()) {
			under.stopped();
		}
		MemberChange change = this.memberChange;
		if (change != null) {
			this.memberChange = null;
			change.stopped(this.configuration.replica());
		}
		this.client.stop((cause != null) ? cause : new IllegalStateException("the replica was closed"));
		if (this.transport != null && cause != null) {
			// Off the loop: closing waits for the network threads, which may be handing work to this loop.
			daemon("viewstamp-stop-" + this.configuration.replica()).newThread(this.transport::close).start();
		}
		if (this.storage != null) {
			this.storage.close();
		}
		if (this.applyThread != null) {
			this.applyThread.close();
		}
		if (this.replica != null) {
			publishStatus();
		}
	}

	/** The replica, which {@link #open} creates before any of the loop's steps that use it can run. */
	private Replica replica() {
		return Objects.requireNonNull(this.replica, "the replica exists once the node has opened");
	}

	private void guarded(Runnable task) {
		if (this.stopped) {
			return;
		}
		try {
			task.run();
		}
		catch (RuntimeException | Error ex) {
			stop(ex);
		}
	}

	private void executeQuietly(Runnable task) {
		try {
			this.loop.execute(() -> guarded(task));
		}
		catch (RuntimeException ex) {
			// The loop is shut down: the replica is closed, and completions no longer matter.
		}
	}

	/** Runs {@code task} on the loop and waits for what it returns, at most {@value #CLOSE_TIMEOUT_SECONDS} s. */
	private <T> T onLoop(Callable<T> task) {
		return waitFor(this.loop.submit(task));
	}

	/** Runs {@code task} on the loop and waits for it, at most {@value #CLOSE_TIMEOUT_SECONDS} s. */
	private void onLoopAndWait(Runnable task) {
		waitFor(this.loop.submit(task));
	}

	private <T> T waitFor(Future<T> submitted) {
		try {
			return submitted.get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for replica " + this.configuration.replica(), ex);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("Replica " + this.configuration.replica() + "'s loop did not answer within "
					+ CLOSE_TIMEOUT_SECONDS + " s", ex);
		}
	}

	private static java.util.concurrent.ThreadFactory daemon(String name) {
		return (runnable) -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		};
	}

	/** The replica's messages, to the network; replies to the local client or back along their route. */
	private final class NetworkOutbox implements Outbox {

		@Override
		public void send(int to, ReplicaMessage message) {
			// An index the transport has no address for (a recovery asks every index) is dropped there; a
			// replica without a network (a cluster of one) has no peer to send to.
			NettyTransport network = ReplicaNode.this.transport;
			if (network != null) {
				network.send(to, message);
			}
		}

		@Override
		public void reply(Reply reply) {
			if (ReplicaNode.this.client.owns(reply.clientId())) {
				ReplicaNode.this.client.onReply(reply);
				return;
			}
			int route = ReplicaNode.this.routes.route(reply.clientId());
			if (route >= 0 && ReplicaNode.this.transport != null) {
				ReplicaNode.this.transport.send(route, reply);
			}
		}

	}

	/** What arrives from the network, handed to the loop (on a network thread). */
	private final class Inbound implements MessageListener {

		@Override
		public void onMessage(int fromReplica, Message message) {
			// Dropped when the loop is far behind, as a congested network would drop it.
			ReplicaNode.this.inbound.offer(fromReplica, message);
		}

	}

	/** Storage completions, already on the loop, each group commit's in one step ({@link #openStorage}). */
	private final class Completions implements StorageCompletions {

		@Override
		public void onEntryWritten(long op, long checksum) {
			replica().onEntryWritten(op, checksum);
		}

		@Override
		public void onSuperblockWritten(Superblock superblock) {
			replica().onSuperblockWritten(superblock);
		}

		@Override
		public void onSnapshotWritten(long op) {
			replica().onSnapshotWritten(op);
		}

		@Override
		public void onStorageFailed(Exception cause) {
			stop(cause);
		}

	}

	/** The client's view of this replica. */
	private final class Environment implements ClientEnvironment {

		@Override
		public SortedMap<Integer, String> replicasLacking(String commandName) {
			SortedMap<Integer, PeerAddress> lacking = ReplicaNode.this.replicasLacking(commandName);
			if (lacking.isEmpty()) {
				return Collections.emptySortedMap();
			}
			SortedMap<Integer, String> addresses = new TreeMap<>();
			lacking.forEach((replica, address) -> addresses.put(replica, address.toString()));
			return addresses;
		}

		@Override
		public Cluster cluster() {
			return ReplicaNode.this.cluster;
		}

		@Override
		public int localReplica() {
			return ReplicaNode.this.configuration.replica();
		}

		// A replica without data has no Replica until every member has answered: its client waits, in view 0.

		@Override
		public long localView() {
			Replica replica = ReplicaNode.this.replica;
			return (replica != null) ? replica.view() : 0;
		}

		@Override
		public Configuration localConfiguration() {
			Replica replica = ReplicaNode.this.replica;
			return (replica != null) ? replica.configuration() : Configuration.initial(ReplicaNode.this.cluster.replicaCount());
		}

		@Override
		public boolean isLocalReplicaNormal() {
			Replica replica = ReplicaNode.this.replica;
			return replica != null && replica.status() == Status.NORMAL;
		}

		@Override
		public long appliedOp() {
			Replica replica = ReplicaNode.this.replica;
			StateMachineRunner applier = ReplicaNode.this.applier;
			return (replica != null && applier != null) ? applier.answerableOp(replica.commit()) : 0;
		}

		@Override
		public void sendRequest(int to, Request request) {
			if (to == ReplicaNode.this.configuration.replica()) {
				// A later loop step: the client may be sending from within a call of the replica's
				// (a reply that settled a session), and the replica is not reentrant. The requests sent
				// until then share that step, and so a prepare.
				ReplicaNode.this.localRequests.add(request);
				if (ReplicaNode.this.localRequests.size() == 1) {
					executeQuietly(ReplicaNode.this::receiveLocalRequests);
				}
			}
			else {
				Objects.requireNonNull(ReplicaNode.this.transport, "only a cluster of more than one has other replicas")
					.send(to, request);
			}
		}

		@Override
		public AppliedResults.Comparison compareWithLocalResult(long op, byte[] result) {
			return ReplicaNode.this.appliedResults.compare(op, result);
		}

		@Override
		public void reportStateAgreed(long op) {
			ReplicaNode.this.stateChecks.agreed(op);
		}

		@Override
		public void reportDivergence(String description) {
			// Described before counted: status() reads the count first, so a count it sees has its description.
			ReplicaNode.this.lastDivergence = description;
			ReplicaNode.this.divergences++;
			logger.log(Level.ERROR, "Replica " + ReplicaNode.this.configuration.replica() + ": " + description);
		}

		@Override
		public void execute(Runnable task) {
			ReplicaNode.this.loop.execute(() -> guarded(task));
		}

	}

}
