package io.viewstamp.vsr;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

import org.jspecify.annotations.Nullable;

/**
 * One replica of Viewstamped Replication Revisited (Liskov and Cowling, 2012), hardened the way
 * TigerBeetle hardens it: a hash-chained log, acknowledgements only of durable entries, view and
 * log view made durable before any vote, repair of missing entries anchored on a checksum, and
 * client sessions opened by a committed register op.
 *
 * <p>The replica is a deterministic state machine. It changes only in {@link #tick},
 * {@link #receive}, {@link #onEntryWritten} and {@link #onSuperblockWritten}, and it acts on the
 * world only through {@link Storage}, {@link Outbox} and {@link StateMachine}. It has no threads,
 * clock or randomness of its own (jitter comes from the generator it is given), so a simulator
 * can replay any run from a seed.
 *
 * <p>Log view rule (the fix of the state transfer bug that Vanlightly's TLA+ model of the paper
 * found): {@code logView} only ever names a view whose log this replica holds in full, from a
 * start-view, its own view change, or recovery. Repairs move entries in, but the log view moves
 * only when the repair is complete; a replica whose log may lack committed ops therefore never
 * wins a view change on its log view alone.
 */
public final class Replica {

	/**
	 * Request bytes batched into one prepare (a single larger request still goes alone): an entry
	 * then stays within the journal's limit, and a start-view of many entries within the wire's.
	 */
	public static final int PREPARE_BODY_BYTES_MAX = LogEntryCodec.REQUEST_BODY_SIZE_BYTES_MAX;

	/**
	 * Committed ops handed to the applier at once: enough that an apply thread is never idle for
	 * want of work while the replica's own thread is busy, few enough to bound what a snapshot
	 * install discards.
	 */
	public static final int APPLY_OPS_IN_FLIGHT_MAX = 64;

	// The state every room shares is package-private: the rooms (RecoveryHandler, ...) read and
	// change it directly, as the functions of TigerBeetle's replica.zig do on one struct. Nothing
	// outside the replica and its rooms touches it; the rooms' own fields are private to them.

	final Cluster cluster;

	/** The configuration of this replica's epoch: its members, quorums and primaries. */
	Configuration configuration;

	final int index;

	final ReplicaOptions options;

	final Storage storage;

	final Outbox outbox;

	/** The room of the primary's pipeline: requests, prepares, acknowledgements, commits. */
	final PrimaryPipeline pipeline;

	/** The room of a primary's hand-over of its view to a chosen backup. */
	final PrimaryTransfer transfer;

	/** The room of a primary's change of the cluster's members. */
	final Reconfiguration reconfiguration;

	/** The room of epochs: entering the next, and the news of them between replicas. */
	final EpochChange epochs;

	private final MemberChanges memberChanges = new MemberChanges(this);

	/** The room of a backup's normal operation: prepares, acknowledgements, commits. */
	final BackupFollower backup;

	/** The room of repairs and state transfer: entries and snapshots a replica lacks. */
	final LogRepair repairs;

	/** The room of view changes: votes, the choice of a log, start-views. */
	final ViewChange viewChange;

	/** The room of execution: committed ops through the applier, and snapshots. */
	final Execution execution;

	final RandomGenerator random;

	/** The protocol's rules: {@link ProtocolRules#STANDARD} but in the tests' defective replicas. */
	final ProtocolRules rules;

	final Log log;

	final ClientTable clientTable;

	/** The room of recovery: a replica that lost its state, and the peers that answer it. */
	final RecoveryHandler recovery;

	Status status;

	long view;

	long logView;

	/** The highest op this replica has applied; every op up to it is committed. */
	long commit;

	/** The highest commit number heard from the primary of the current view (may exceed the log). */
	long commitKnown;

	Superblock superblockRequested;

	Superblock superblockDurable;

	long ticks;

	long realtimeNanos;

	/** Messages ignored, by {@link IgnoreReason}. */
	private final long[] ignoredMessages = new long[IgnoreReason.values().length];

	private long ignoredMessagesTotal;

	// Normal status.

	/** A backup's wait for its primary, restarted by every message from it; jittered. */
	final Timeout primaryTimeout = new Timeout("primary", 0);

	// Repair of missing entries, in any status: see LogRepair.

	/**
	 * The newest intact journal entry beyond a corrupt one, found at startup: this replica vouched
	 * for it and for every entry before it. Until its log holds it again, its vote claims it but
	 * says it is incomplete, so that a view change never chooses the log it can not supply.
	 * {@code null} when there is none.
	 */
	@Nullable LogEntry faultyHead;

	/**
	 * Whether this replica has heard a peer in its view or a newer one since it started. A replica
	 * restarted from its storage knows its own promises but not what happened while it was down:
	 * it casts no vote and answers no recovery before a peer has told it the view.
	 */
	boolean peerHeard;

	/** How many primary timeouts fired on this member before it heard any peer since it started. */
	private int unheardPrimaryTimeouts;

	// Steps: see startStep.

	/** Whether a step of the caller's loop is under way: requests and acknowledgements wait for its end. */
	boolean inStep;

	/** Whether something became durable during the step, so that its end acknowledges or commits. */
	private boolean durableInStep;

	// Snapshots.

	/** Starts a replica from what its storage holds; it runs {@code stateMachine} in place. */
	public static Replica restart(Cluster cluster, int index, ReplicaOptions options, DurableState state,
			Storage storage, Outbox outbox, StateMachine stateMachine, RandomGenerator random) {
		return new Replica(cluster, index, options, state, storage, outbox, stateMachine, random,
				ProtocolRules.STANDARD);
	}

	/** Starts a replica from what its storage holds; it runs its state machine through {@code applier}. */
	public static Replica restart(Cluster cluster, int index, ReplicaOptions options, DurableState state,
			Storage storage, Outbox outbox, Applier applier, RandomGenerator random) {
		return new Replica(cluster, index, options, state, storage, outbox, null, applier, random,
				ProtocolRules.STANDARD);
	}

	/** Starts a replica whose storage was lost, running its state machine through {@code applier}. */
	public static Replica recover(Cluster cluster, int index, ReplicaOptions options, Storage storage, Outbox outbox,
			Applier applier, RandomGenerator random) {
		return new Replica(cluster, index, options, null, storage, outbox, null, applier, random,
				ProtocolRules.STANDARD);
	}

	/**
	 * Starts a replica whose storage was lost: it recovers the current view and log from its peers
	 * before it acknowledges or votes for anything.
	 */
	public static Replica recover(Cluster cluster, int index, ReplicaOptions options, Storage storage, Outbox outbox,
			StateMachine stateMachine, RandomGenerator random) {
		return new Replica(cluster, index, options, null, storage, outbox, stateMachine, random,
				ProtocolRules.STANDARD);
	}

	Replica(Cluster cluster, int index, ReplicaOptions options, @Nullable DurableState state, Storage storage,
			Outbox outbox, StateMachine stateMachine, RandomGenerator random, ProtocolRules rules) {
		this(cluster, index, options, state, storage, outbox, stateMachine, null, random, rules);
	}

	Replica(Cluster cluster, int index, ReplicaOptions options, @Nullable DurableState state, Storage storage,
			Outbox outbox, Applier applier, RandomGenerator random, ProtocolRules rules) {
		this(cluster, index, options, state, storage, outbox, null, applier, random, rules);
	}

	// The status and the superblocks are set by RestartFromStorage.open, or by recovery.start(), where
	// NullAway does not look.
	@SuppressWarnings("NullAway.Init")
	private Replica(Cluster cluster, int index, ReplicaOptions options, @Nullable DurableState state, Storage storage,
			Outbox outbox, @Nullable StateMachine stateMachine, @Nullable Applier applier, RandomGenerator random,
			ProtocolRules rules) {
		Invariants.check((stateMachine == null) != (applier == null), "a replica needs a state machine or an applier");
		Invariants.check(index >= 0 && index < Cluster.REPLICAS_MAX, "replica index %d outside 0..%d", index,
				Cluster.REPLICAS_MAX - 1);
		this.cluster = cluster;
		this.configuration = Configuration.initial(cluster.replicaCount());
		this.index = index;
		this.options = options;
		this.storage = storage;
		this.outbox = outbox;
		Applier runner = (applier != null) ? applier
				: new InPlaceApplier(this, Objects.requireNonNull(stateMachine, "checked above"));
		this.execution = new Execution(this, runner);
		this.random = random;
		this.rules = rules;
		this.log = new Log(cluster.clusterId(), this.rules.checksHashChains());
		this.clientTable = new ClientTable(options.clientsMax());
		this.viewChange = new ViewChange(this, cluster, options);
		this.pipeline = new PrimaryPipeline(this, cluster, options);
		this.transfer = new PrimaryTransfer(this, options);
		this.reconfiguration = new Reconfiguration(this, options);
		this.epochs = new EpochChange(this);
		this.backup = new BackupFollower(this);
		this.repairs = new LogRepair(this);
		this.recovery = new RecoveryHandler(this, options);
		if (state == null) {
			this.recovery.start();
		}
		else {
			new RestartFromStorage(this).open(state);
		}
	}

	// Inputs.

	/**
	 * Advances this replica's time by one tick; timeouts and resends happen here.
	 * @param realtimeNanos wall-clock time, used only by a primary to timestamp new ops
	 */
	public void tick(long realtimeNanos) {
		this.ticks++;
		this.realtimeNanos = realtimeNanos;
		switch (this.status) {
			case NORMAL -> tickNormal();
			case VIEW_CHANGE -> this.viewChange.tick();
			case RECOVERING -> this.recovery.tick();
		}
		this.repairs.tick();
	}

	/**
	 * Starts a step of the caller's loop: the messages that arrived together, or the completions of
	 * one group commit. Until {@link #endStep}, a primary queues the requests it takes instead of
	 * preparing each at once, and durable entries wait to be acknowledged; the end of the step
	 * prepares the queued requests in as few ops as the pipeline's room allows and acknowledges (or,
	 * on a primary, commits) once. Under load that makes one prepare, one journal write and one
	 * {@code PrepareOk} per burst instead of one per request (docs/benchmarks.md, W1). Nothing waits
	 * beyond the step, so no timer is needed. Steps do not nest.
	 */
	public void startStep() {
		Invariants.check(!this.inStep, "replica %d starts a step inside a step", this.index);
		this.inStep = true;
	}

	/** Whether a step is under way ({@link #startStep}). */
	public boolean isInStep() {
		return this.inStep;
	}

	/** Ends the step {@link #startStep} began: prepares what was queued, acknowledges what became durable. */
	public void endStep() {
		Invariants.check(this.inStep, "replica %d ends a step it did not start", this.index);
		this.inStep = false;
		if (this.durableInStep) {
			this.durableInStep = false;
			acknowledgeDurable();
		}
		if (this.status == Status.NORMAL && isPrimary()) {
			this.pipeline.prepareQueued();
		}
	}

	/** Handles one message from a client or another replica. */
	public void receive(Message message) {
		if (message instanceof Request request) {
			this.pipeline.onRequest(request);
		}
		else if (message instanceof ReplicaMessage replicaMessage) {
			int sender = replicaMessage.replica();
			if (sender < 0 || sender >= Cluster.REPLICAS_MAX || sender == this.index) {
				return;
			}
			if (!this.epochs.isFromAnotherEpoch(replicaMessage)) {
				MessageDispatch.dispatch(this, replicaMessage);
			}
		}
	}

	/** The journal completed the write of the entry at {@code op} with {@code checksum}. */
	public void onEntryWritten(long op, long checksum) {
		this.log.markDurable(op, checksum);
		acknowledgeDurable();
	}

	/**
	 * The storage completed the write of the snapshot of {@code op}: the journal no longer needs
	 * the entries it covers, and a snapshot installed from a peer now counts as durable.
	 */
	public void onSnapshotWritten(long op) {
		if (!this.execution.snapshotWritten(op)) {
			return;
		}
		if (this.log.baseOp() == op) {
			this.log.markBaseDurable();
		}
		if (op > this.log.baseOp() && op <= this.commit) {
			this.log.compactTo(op);
		}
		acknowledgeDurable();
	}

	/**
	 * Writes this replica's commit number to its superblock before a clean shutdown. The number is
	 * a hint a restarted replica replays its journal up to before it hears from any peer, so that
	 * its local reads start from what it had applied rather than from the last view change's.
	 * Every op up to it is committed and in the log, so replaying it is always safe. A recovering
	 * replica writes nothing: a superblock would let it restart as if it held a log, and vote.
	 */
	public void persistCommit() {
		if (this.status != Status.RECOVERING) {
			writeSuperblock();
		}
	}

	/**
	 * Starts handing this primary's view to replica {@code target}, for a clean stop or an
	 * operator's move: the primary takes no more requests, and once everything it prepared is
	 * committed and held by the target, starts a view change to the next view the target leads.
	 * Callers see a few round trips of delay, not a timeout; if the target does not catch up
	 * within a view-change timeout, the primary serves on.
	 * @param target the replica to lead next
	 * @return why the hand-over can not start, or {@code null} when it started
	 */
	public @Nullable TransferRefusal transferPrimary(int target) {
		if (this.reconfiguration.target() != null || this.epochs.isEpochClosing()) {
			return TransferRefusal.CHANGE_UNDER_WAY;
		}
		return this.transfer.start(target);
	}

	/** The storage completed the write of {@code superblock}. */
	public void onSuperblockWritten(Superblock superblock) {
		Invariants.check(superblock.view() >= this.superblockDurable.view(), "superblock view went back from %d to %d",
				this.superblockDurable.view(), superblock.view());
		this.superblockDurable = superblock;
		this.epochs.announceEpochOnceDurable();
		if (this.status == Status.VIEW_CHANGE) {
			this.viewChange.sendDoViewChange();
		}
		acknowledgeDurable();
	}

	/** After a write completed: a primary counts its own vote, a backup acknowledges. */
	private void acknowledgeDurable() {
		if (this.inStep) {
			this.durableInStep = true;
			return;
		}
		if (this.status != Status.NORMAL) {
			return;
		}
		if (isPrimary()) {
			this.pipeline.commitPrepared();
		}
		else {
			this.backup.sendPrepareOk();
		}
	}

	/**
	 * Whether this replica's view and log view are both durable, so that its acknowledgements (and
	 * a primary's own vote) may count: a backup that acknowledged ops of a new view's log and came
	 * back after a crash with its older log view would claim that older log view in the next view
	 * change, where a longer stale log of that older view could win and lose the ops it helped
	 * commit. TigerBeetle waits for both as well.
	 */
	boolean isViewDurable() {
		return this.superblockDurable.view() == this.view && (this.superblockDurable.logView() == this.logView
				|| !this.rules.acknowledgesOnlyOnceLogViewDurable());
	}

	// Normal operation: the primary, see PrimaryPipeline.

	private void tickNormal() {
		if (isPrimary()) {
			this.pipeline.tick();
			this.transfer.tick();
			this.reconfiguration.tick();
		}
		else if (this.primaryTimeout.fired(this.ticks)) {
			if (isMember() && (this.peerHeard || this.unheardPrimaryTimeouts > 0)) {
				this.viewChange.start(this.view + 1);
			}
			else {
				// A learner, or a replica no longer a member: it follows when told, and starts nothing.
				// A member restarted from storage that has heard no peer yet gives them one more timeout
				// to reach it (its peers reconnect with a backoff): its start-view-change would pull a
				// cluster that serves well into a view change, and it could not vote in it anyway.
				this.unheardPrimaryTimeouts += isMember() ? 1 : 0;
				this.primaryTimeout.start(this.ticks);
			}
		}
	}

	// Normal operation: backups, see BackupFollower.

	// Executing committed ops: see Execution.

	/** Applies every op up to the known commit number that the log holds, in op order. */
	void applyCommitted(boolean reply) {
		this.execution.applyCommitted(reply);
	}

	/**
	 * The applier finished op {@code op}: its commands' results, in order. Called on the replica's
	 * thread, in the order the applies were asked.
	 * @param op the op applied
	 * @param results one result per command handed over
	 */
	public void onApplied(long op, List<byte[]> results) {
		this.execution.onApplied(op, results);
	}

	/**
	 * The applier captured the state machine at op {@code op} for a snapshot.
	 * @param op the op the state reflects
	 * @param state the state's bytes
	 */
	public void onCaptured(long op, byte[] state) {
		this.execution.onCaptured(op, state);
	}

	// Helpers.

	void appendAndWrite(LogEntry entry) {
		this.log.append(entry);
		this.storage.writeEntry(entry);
	}

	/** Puts {@code entry} at its op, dropping whatever our log held from that op on. */
	void replaceFrom(LogEntry entry) {
		if (this.log.op() >= entry.op()) {
			truncateAndWrite(entry.op() - 1);
		}
		appendAndWrite(entry);
	}

	void truncateAndWrite(long op) {
		Invariants.check(op >= this.commit || !this.rules.stopsBeforeLosingCommittedOps(),
				"replica %d would truncate committed op %d (commit %d)", this.index, op + 1,
				this.commit);
		this.log.truncateAfter(op);
		this.storage.truncateAfter(op);
	}

	void writeSuperblock() {
		Superblock superblock = new Superblock(this.cluster.clusterId(), this.index, this.configuration, this.view,
				this.logView, this.commit);
		if (!superblock.equals(this.superblockRequested)) {
			this.superblockRequested = superblock;
			this.storage.writeSuperblock(superblock);
		}
	}

	void resetPrimaryTimeout() {
		this.primaryTimeout.jitter(this.options.primaryTimeoutTicks(), this.random);
	}

	/** Sends {@code message} to every other member, and a primary also to the learners of a change under way. */
	void broadcast(ReplicaMessage message) {
		int recipients = recipients() & ~(1 << this.index);
		for (int replica = 0; replica < Cluster.REPLICAS_MAX; replica++) {
			if ((recipients & (1 << replica)) != 0) {
				this.outbox.send(replica, message);
			}
		}
	}

	/** The members, and for a normal primary also the learners of its change: who hears its prepares. */
	int recipients() {
		int learners = (this.status == Status.NORMAL && isPrimary()) ? this.reconfiguration.learners() : 0;
		return this.configuration.members() | learners;
	}

	/**
	 * The member after {@code replica} in index order, wrapping around: where a repair asks next.
	 * In a configuration of one, the replica itself.
	 */
	int nextMemberAfter(int replica) {
		for (int step = 1; step <= Cluster.REPLICAS_MAX; step++) {
			int candidate = (replica + step) % Cluster.REPLICAS_MAX;
			if (this.configuration.contains(candidate)) {
				return candidate;
			}
		}
		throw new IllegalStateException("a configuration has at least one member");
	}

	boolean isPrimaryOf(long someView) {
		return this.configuration.primaryOf(someView) == this.index;
	}

	// Observation, for the runtime, the actuator and the simulator's checkers.

	/** The replica this primary is handing its view to, or -1 when it is not handing it over. */
	public int transferTarget() {
		return this.transfer.target();
	}

	/** This replica's index in the configuration. */
	public int index() {
		return this.index;
	}

	/** The configuration of this replica's epoch. */
	public Configuration configuration() {
		return this.configuration;
	}

	/**
	 * Whether this replica is a member of its configuration: one that is not (a learner catching up,
	 * or one that a change removed) follows when told and never votes, times out or leads.
	 */
	public boolean isMember() {
		return this.configuration.contains(this.index);
	}

	/** Changes of the cluster's members: asking for one, and what is under way. */
	public MemberChanges memberChanges() {
		return this.memberChanges;
	}

	/** The current view. */
	public long view() {
		return this.view;
	}

	/** The last view in which this replica's status was normal; its log is that view's log. */
	public long logView() {
		return this.logView;
	}

	public Status status() {
		return this.status;
	}

	/** Whether this replica is the primary of its view (whatever its status). */
	public boolean isPrimary() {
		return isPrimaryOf(this.view);
	}

	/** The index of the primary of the current view. */
	public int primaryIndex() {
		return this.configuration.primaryOf(this.view);
	}

	/** The op number of the newest entry in the log. */
	public long op() {
		return this.log.op();
	}

	/**
	 * The highest op replica {@code replica} has acknowledged as durable to this replica, its
	 * primary, in the current view; -1 when this replica is not a normal primary and so does not know.
	 */
	public long acknowledgedOp(int replica) {
		Invariants.check(replica >= 0 && replica < Cluster.REPLICAS_MAX, "replica %d outside 0..%d", replica,
				Cluster.REPLICAS_MAX - 1);
		if (this.status != Status.NORMAL || !isPrimary()) {
			return -1;
		}
		return (replica == this.index) ? this.log.durableOp() : this.pipeline.acknowledgedOp(replica);
	}

	/** The highest op this replica has committed and applied. */
	public long commit() {
		return this.commit;
	}

	/** The entry at {@code op}, or {@code null} when the log does not reach it. */
	public @Nullable LogEntry entry(long op) {
		return (op >= 1) ? this.log.entry(op) : null;
	}

	/** The op up to which the log was compacted into a snapshot; entries up to it are gone. */
	public long logBaseOp() {
		return this.log.baseOp();
	}

	/** The number of client sessions in the client table. */
	public int clientSessions() {
		return this.clientTable.size();
	}

	/** Counts a message ignored for {@code reason}; the guard that drops it says why. */
	void ignore(IgnoreReason reason) {
		this.ignoredMessages[reason.ordinal()]++;
		this.ignoredMessagesTotal++;
	}

	/**
	 * The messages this replica ignored since it started, by reason, every reason present.
	 * @return a new map
	 */
	public Map<IgnoreReason, Long> ignoredMessages() {
		Map<IgnoreReason, Long> counts = new EnumMap<>(IgnoreReason.class);
		for (IgnoreReason reason : IgnoreReason.values()) {
			counts.put(reason, this.ignoredMessages[reason.ordinal()]);
		}
		return counts;
	}

	/** The messages this replica ignored since it started, all reasons together: cheap to poll for a change. */
	public long ignoredMessagesTotal() {
		return this.ignoredMessagesTotal;
	}

	@Override
	public String toString() {
		return "Replica[" + this.index + ", " + this.status + ", view=" + this.view + ", logView=" + this.logView
				+ ", op=" + this.log.op() + ", commit=" + this.commit + ", durable=" + this.log.durableOp() + "]";
	}

}
