package io.viewstamp.vsr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.viewstamp.vsr.ReplicaMessage.Commit;
import org.jspecify.annotations.Nullable;

/**
 * The replica's execution of committed ops, in op order, through the {@link Applier}: each
 * request settled with the client table (a duplicate answered from it, an evicted session told so),
 * the commands that must run handed to the applier in batches of up to
 * {@link Replica#APPLY_OPS_IN_FLIGHT_MAX} ops, replies sent in op order once the results are in;
 * and the snapshots that checkpoint the state machine and the client table every
 * {@code snapshotIntervalOps}, and replace both when one is installed.
 *
 * <p>A room of {@link Replica}: it owns the ops in flight and the snapshots, and reads and
 * changes the state all rooms share (the commit number, the log, the client table) through the
 * replica.
 */
final class Execution {

	private final Replica replica;

	private final Applier applier;

	/** The newest snapshot taken or installed (durable once {@link #snapshotWritingOp} is 0). */
	private @Nullable Snapshot lastSnapshot;

	/** The op of the snapshot being written, 0 when none is. */
	private long snapshotWritingOp;

	/** The highest op known committed on this replica's chain; ops up to it are applied in turn. */
	private long applyTarget;

	/** The ops handed to the applier and not finished yet, in op order, with their requests' outcomes. */
	private final ArrayDeque<OpInFlight> applying = new ArrayDeque<>();

	/** The op whose state the applier is capturing for a snapshot, 0 when none. */
	private long capturingOp;

	/** Completions of applies and captures asked before a snapshot replaced the state; dropped when they come. */
	private int staleApplies;

	private int staleCaptures;

	/** Whether {@link #drainApplies} is running: a completion that arrives within it only records its result. */
	private boolean draining;

	Execution(Replica replica, Applier applier) {
		this.replica = replica;
		this.applier = applier;
	}

	/**
	 * Installs a snapshot a peer sent and starts writing it: until the write completes it is not
	 * durable, and no other snapshot is written.
	 */
	void installFromPeer(Snapshot snapshot) {
		restoreSnapshot(snapshot, false);
		this.snapshotWritingOp = snapshot.op();
		this.replica.storage.writeSnapshot(snapshot);
	}

	/** Whether a snapshot write is in progress (one at a time). */
	boolean isWritingSnapshot() {
		return this.snapshotWritingOp != 0;
	}

	/**
	 * The storage completed the write of the snapshot of {@code op}.
	 * @return whether it was the one being written (an older completion is ignored)
	 */
	boolean snapshotWritten(long op) {
		if (op != this.snapshotWritingOp) {
			return false;
		}
		this.snapshotWritingOp = 0;
		return true;
	}

	/**
	 * The snapshot to send a peer that lacks the ops it covers: the newest, once durable, and only
	 * while the log starts right after it (the entries before are gone from this replica).
	 * @return the snapshot, or {@code null} when there is none to send
	 */
	@Nullable Snapshot snapshotToSend() {
		Snapshot snapshot = this.lastSnapshot;
		if (snapshot == null || this.snapshotWritingOp == snapshot.op() || snapshot.op() != this.replica.log.baseOp()) {
			return null;
		}
		return snapshot;
	}

	/** Applies every op up to the known commit number that the log holds, in op order. */
	void applyCommitted(boolean reply) {
		Replica replica = this.replica;
		applyUpTo(Math.min(replica.commitKnown, replica.log.op()), reply);
	}

	/**
	 * Applies ops up to {@code target}, which the caller knows are committed and on the right chain,
	 * through the applier, so this may return before they are all applied. The primary replies once
	 * an op's results are in, whichever call started it; so {@code reply} is only what the caller
	 * expects, kept for readability at the call sites.
	 */
	void applyUpTo(long target, boolean reply) {
		this.applyTarget = Math.max(this.applyTarget, target);
		drainApplies();
	}

	/**
	 * Hands committed ops to the applier in op order, up to {@link Replica#APPLY_OPS_IN_FLIGHT_MAX} at a
	 * time, and finishes each when its results are in, in op order. When a snapshot is due, it
	 * hands nothing more over until the ops before it are finished and the state is captured. A
	 * completion that arrives while this runs (an applier that runs in place) is finished by this
	 * loop rather than by a nested call.
	 */
	private void drainApplies() {
		Replica replica = this.replica;
		if (this.draining) {
			return;
		}
		this.draining = true;
		try {
			while (true) {
				OpInFlight head = this.applying.peekFirst();
				if (head != null && head.results != null) {
					this.applying.pollFirst();
					finishApply(head);
					continue;
				}
				if (this.capturingOp != 0) {
					return;
				}
				if (this.applying.isEmpty() && isSnapshotDueAt(replica.commit)) {
					takeSnapshot();
					continue;
				}
				long handedOp = handedOp();
				if (this.applying.size() < Replica.APPLY_OPS_IN_FLIGHT_MAX && handedOp < this.applyTarget
						&& handedOp < replica.log.op() && !isSnapshotDueAt(handedOp)) {
					LogEntry next = Objects.requireNonNull(replica.log.entry(handedOp + 1), "within the log: checked above");
					startApply(next);
					continue;
				}
				return;
			}
		}
		finally {
			this.draining = false;
		}
	}

	/** The newest op handed to the applier: its requests are settled with the client table. */
	long handedOp() {
		OpInFlight newest = this.applying.peekLast();
		return (newest != null) ? newest.entry.op() : this.replica.commit;
	}

	/**
	 * Settles every request of {@code entry} with the client table, as execution order demands,
	 * and hands the commands that must run to the applier. The client table records them at once,
	 * their replies to follow with the results, so the next op sees the sessions as they will be.
	 */
	private void startApply(LogEntry entry) {
		OpInFlight execution = new OpInFlight(entry);
		this.applying.addLast(execution);
		for (Request request : entry.requests()) {
			execution.replies.add(settle(entry, request, execution));
		}
		if (execution.commands.isEmpty()) {
			execution.results = List.of();
		}
		else {
			this.applier.apply(entry.op(), entry.timestamp(), execution.commands);
		}
	}

	/** The results of the oldest op in progress are in: replies complete, the op is applied. */
	private void finishApply(OpInFlight execution) {
		Replica replica = this.replica;
		LogEntry entry = execution.entry;
		Invariants.check(entry.op() == replica.commit + 1, "replica %d finishes op %d at commit %d", replica.index,
				entry.op(), replica.commit);
		List<byte[]> results = execution.results;
		Invariants.check(results != null, "op %d finishes before its results are in", entry.op());
		Invariants.check(results.size() == execution.commands.size(), "op %d: %d results for %d commands", entry.op(),
				results.size(), execution.commands.size());
		int result = 0;
		for (int position = 0; position < entry.requests().size(); position++) {
			Reply reply = execution.replies.get(position);
			if (execution.executed.get(position)) {
				Request request = entry.requests().get(position);
				reply = new Reply(replica.view, replica.index, request.clientId(), request.session(), request.requestNumber(),
						entry.op(), ReplyStatus.OK, results.get(result++));
				ClientTable.Session current = replica.clientTable.get(request.clientId());
				boolean reexecuted = current != null && current.requestNumber == request.requestNumber() && current.reply != null;
				if (!reexecuted || replica.rules.runsEachRequestOnce()) {
					replica.clientTable.fillReply(request.clientId(), request.session(), request.requestNumber(), reply);
				}
			}
			if (reply != null && replica.status == Status.NORMAL && replica.isPrimary()) {
				replica.outbox.reply(reply);
			}
		}
		replica.commit = entry.op();
		if (replica.status == Status.NORMAL && replica.isPrimary()) {
			replica.pipeline.takeDeferred();
		}
		if (replica.status == Status.NORMAL && replica.isPrimary()) {
			// The pipeline counts ops until they are applied: this one leaving makes room, for a change
			// of members that waited for it first (found by the simulator: with a pipeline of one and an
			// apply that ends after the acknowledgements, the change was never looked at again and was
			// given up) and then for the queued requests.
			replica.reconfiguration.progress();
			if (replica.pipeline.hasQueued()) {
				replica.pipeline.prepareQueued();
			}
		}
		if (replica.options.commitAnnouncedAtOnce() && replica.status == Status.NORMAL && replica.isPrimary()
				&& replica.log.op() == replica.commit && this.applying.isEmpty()) {
			// No prepare in flight will carry the new commit number, so the backups hear it now
			// rather than at the next heartbeat: a client on a backup waits for its own replica to apply.
			replica.broadcast(new Commit(replica.view, replica.index, replica.commit, replica.log.checksum(replica.commit)));
			replica.pipeline.heartbeatSent();
		}
		Request first = entry.requests().get(0);
		if (first.operation() == Operation.RECONFIGURE) {
			replica.epochs.enterEpoch(first.configuration().startedAt(entry.op(), entry.checksum()));
		}
	}

	/**
	 * The applier finished op {@code op}: its commands' results, in order. Called on the replica's
	 * thread, in the order the applies were asked.
	 * @param op the op applied
	 * @param results one result per command handed over
	 */
	void onApplied(long op, List<byte[]> results) {
		if (this.staleApplies > 0) {
			// Asked before a snapshot replaced the state; the snapshot covers the op.
			this.staleApplies--;
			return;
		}
		OpInFlight running = null;
		for (OpInFlight execution : this.applying) {
			if (execution.results == null) {
				running = execution;
				break;
			}
		}
		Invariants.check(running != null && running.entry.op() == op,
				"replica %d: results of op %d, but %s is the oldest op being applied", this.replica.index, op, running);
		running.results = List.copyOf(results);
		drainApplies();
	}

	/**
	 * Whether a snapshot is due once {@code op} is applied, and could be taken now: ops after it
	 * wait, so that the state captured and the client table are both those of {@code op}.
	 */
	private boolean isSnapshotDueAt(long op) {
		Replica replica = this.replica;
		long lastSnapshotOp = (this.lastSnapshot == null) ? 0 : this.lastSnapshot.op();
		return op - lastSnapshotOp >= replica.options.snapshotIntervalOps() && this.snapshotWritingOp == 0
				&& replica.log.isBaseDurable();
	}

	/**
	 * Every {@code snapshotIntervalOps} applied ops, a checkpoint: the state machine and client
	 * table right after the op just applied. The applier captures the state; no op is handed over
	 * until it has, so the client table stays as it is at that op. One write at a time; none while
	 * a snapshot installed from a peer is still being written ({@link #isSnapshotDueAt}).
	 */
	private void takeSnapshot() {
		Replica replica = this.replica;
		Invariants.check(this.applying.isEmpty() && this.capturingOp == 0, "replica %d: a snapshot while ops are applied",
				replica.index);
		this.capturingOp = replica.commit;
		this.applier.capture(replica.commit);
	}

	/**
	 * The applier captured the state machine at op {@code op} for a snapshot.
	 * @param op the op the state reflects
	 * @param state the state's bytes
	 */
	void onCaptured(long op, byte[] state) {
		Replica replica = this.replica;
		if (this.staleCaptures > 0) {
			this.staleCaptures--;
			return;
		}
		Invariants.check(this.capturingOp == op && replica.commit == op && this.applying.isEmpty(),
				"replica %d: state of op %d captured, expected %d at commit %d", replica.index, op, this.capturingOp,
				replica.commit);
		this.capturingOp = 0;
		LogEntry entry = Objects.requireNonNull(replica.log.entry(op), "the log holds the op just applied");
		Snapshot snapshot = new Snapshot(op, entry.checksum(), entry.timestamp(), state, replica.clientTable.encode());
		this.lastSnapshot = snapshot;
		this.snapshotWritingOp = snapshot.op();
		replica.storage.writeSnapshot(snapshot);
		drainApplies();
	}

	/** Makes {@code snapshot} this replica's state: state machine, client table, log base, commit. */
	void restoreSnapshot(Snapshot snapshot, boolean durable) {
		Replica replica = this.replica;
		Invariants.check(snapshot.op() > replica.commit, "replica %d restores snapshot %d at commit %d", replica.index,
				snapshot.op(), replica.commit);
		if (replica.log.resetTo(snapshot, durable)) {
			replica.storage.truncateAfter(snapshot.op());
		}
		// What the applier is doing now happens before the restore, which supersedes it.
		for (OpInFlight execution : this.applying) {
			if (execution.results == null) {
				this.staleApplies++;
			}
		}
		this.applying.clear();
		if (this.capturingOp != 0) {
			this.staleCaptures++;
			this.capturingOp = 0;
		}
		this.applier.restore(snapshot.op(), snapshot.stateMachine());
		replica.clientTable.decode(snapshot.clientTable(), replica.index);
		replica.commit = snapshot.op();
		replica.commitKnown = Math.max(replica.commitKnown, snapshot.op());
		this.applyTarget = Math.max(this.applyTarget, snapshot.op());
		this.lastSnapshot = snapshot;
	}

	/**
	 * Settles one committed request with the client table and returns its reply, or {@code null}
	 * for none; a request that must run is recorded in {@code execution} and its reply comes with
	 * its result.
	 */
	private @Nullable Reply settle(LogEntry entry, Request request, OpInFlight execution) {
		Replica replica = this.replica;
		execution.executed.add(false);
		if (request.operation() == Operation.RECONFIGURE) {
			// No client waits for it, and the state machine never sees it: it takes effect once
			// finished, in op order (finishApply).
			return null;
		}
		if (replica.status == Status.NORMAL && replica.isPrimary()) {
			replica.pipeline.settled(request);
		}
		if (request.operation() == Operation.REGISTER) {
			ClientTable.Session existing = replica.clientTable.get(request.clientId());
			if (isRegisterResend(existing, request)) {
				return registerReply(request, existing.session);
			}
			Reply reply = registerReply(request, entry.op());
			replica.clientTable.register(request.clientId(), request.incarnation(), entry.op(), reply);
			return reply;
		}
		ClientTable.Session session = replica.clientTable.get(request.clientId());
		if (session == null || session.session != request.session()) {
			return new Reply(replica.view, replica.index, request.clientId(), request.session(), request.requestNumber(),
					entry.op(), ReplyStatus.SESSION_EVICTED, new byte[0]);
		}
		if (request.requestNumber() == session.requestNumber && session.reply != null
				&& !replica.rules.runsEachRequestOnce()) {
			execution.commands.add(request.body());
			execution.executed.set(execution.executed.size() - 1, true);
			return null;
		}
		if (request.requestNumber() <= session.requestNumber) {
			// The same request prepared twice (for example resent through a view change): it ran
			// once already, so it must not run again.
			return (request.requestNumber() == session.requestNumber && session.reply != null)
					? withView(session.reply) : null;
		}
		replica.clientTable.commit(request.clientId(), request.requestNumber(), null);
		execution.commands.add(request.body());
		execution.executed.set(execution.executed.size() - 1, true);
		return null;
	}

	/**
	 * Whether a register only repeats the one that opened {@code session}: same process (incarnation)
	 * and no command committed in the session yet, so the client lost nothing but the reply. A client
	 * that registers again after commands (it believed its session evicted) gets a new session: with
	 * the old one it would number its requests from 1 again and collide with its own committed ones.
	 */
	@Contract("null, _ -> false")
	static boolean isRegisterResend(ClientTable.@Nullable Session session, Request request) {
		return session != null && session.incarnation == request.incarnation() && session.requestNumber == 0;
	}

	/** A register's reply names the session and, as its result, the incarnation it answers. */
	Reply registerReply(Request request, long session) {
		Replica replica = this.replica;
		return new Reply(replica.view, replica.index, request.clientId(), session, 0, session, ReplyStatus.OK,
				request.body());
	}

	Reply withView(Reply reply) {
		Replica replica = this.replica;
		return new Reply(replica.view, replica.index, reply.clientId(), reply.session(), reply.requestNumber(), reply.op(),
				reply.status(), reply.result());
	}

	/** One committed op on its way through the applier: each request's reply, and the commands that run. */
	private static final class OpInFlight {

		final LogEntry entry;

		/** Per request, its reply when the client table gave it, else {@code null}. */
		final List<@Nullable Reply> replies = new ArrayList<>();

		/** Per request, whether it runs on the state machine (its reply comes with its result). */
		final List<Boolean> executed = new ArrayList<>();

		/** The bodies of the requests that run, in order. */
		final List<byte[]> commands = new ArrayList<>();

		/** The applier's results, once in; {@code null} while the applier runs. */
		@Nullable List<byte[]> results;

		OpInFlight(LogEntry entry) {
			this.entry = entry;
		}

		@Override
		public String toString() {
			return "op " + this.entry.op() + " (" + this.commands.size() + " commands, "
					+ ((this.results == null) ? "running" : "done") + ")";
		}

	}

}
