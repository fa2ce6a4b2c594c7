package io.viewstamp.vsr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.viewstamp.vsr.ReplicaMessage.Commit;
import io.viewstamp.vsr.ReplicaMessage.Prepare;
import io.viewstamp.vsr.ReplicaMessage.PrepareOk;
import org.jspecify.annotations.Nullable;

/**
 * The primary's pipeline: requests taken from clients (a duplicate answered from the client table,
 * a request of an evicted session told so), queued while the pipeline is full, batched into
 * prepares of at most {@code pipelinePreparesMax} uncommitted ops, and committed in op order once a
 * quorum holds each durably in this view; heartbeats and resends of unacknowledged prepares keep
 * the backups following.
 *
 * <p>A room of {@link Replica}: it owns the queue, the requests in flight, the backups'
 * acknowledgements and the primary's timers, and reads and changes the state all rooms share
 * through the replica. Everything here is the primary's; a view change clears it ({@link #reset}).
 */
final class PrimaryPipeline {

	private final Replica replica;

	/** Per backup: the highest op it acknowledged in this view. */
	private final long[] acknowledgedOps;

	/** Requests waiting for room in the pipeline. */
	private final ArrayDeque<Request> requestQueue = new ArrayDeque<>();

	/**
	 * Requests that reached this new primary before it applied the log it inherited: taken once it
	 * has, rather than dropped, so that a client that moved to the new view at once does not wait
	 * for its next resend.
	 */
	private final ArrayDeque<Request> deferred = new ArrayDeque<>();

	/** Clients with a request in the pipeline or queue, by client id. */
	private final Map<Long, Long> requestsInFlight = new HashMap<>();

	/** The op of the newest entry inherited when this primary started its view. */
	private long viewStartOp;

	/** The interval between heartbeats (commit messages). */
	private final Timeout heartbeatTimeout;

	/** The interval between resends of unacknowledged prepares. */
	private final Timeout prepareResendTimeout;

	PrimaryPipeline(Replica replica, Cluster cluster, ReplicaOptions options) {
		this.replica = replica;
		this.acknowledgedOps = new long[Cluster.REPLICAS_MAX];
		this.heartbeatTimeout = new Timeout("heartbeat", options.heartbeatIntervalTicks());
		this.prepareResendTimeout = new Timeout("prepare resend", options.resendIntervalTicks());
	}

	/** Forgets the primary's state: a view change began. */
	void reset() {
		this.requestQueue.clear();
		this.deferred.clear();
		this.requestsInFlight.clear();
		Arrays.fill(this.acknowledgedOps, 0);
	}

	/**
	 * This replica becomes the primary of a view whose inherited log ends at {@code headOp}: it
	 * takes no request before it has committed that log.
	 */
	void startView(long headOp) {
		this.viewStartOp = headOp;
		this.heartbeatTimeout.start(this.replica.ticks);
		this.prepareResendTimeout.start(this.replica.ticks);
	}

	/** A request of an inherited op not handed to the applier yet: it is in flight until settled. */
	void markInFlight(Request request) {
		this.requestsInFlight.put(request.clientId(), request.requestNumber());
	}

	/** A committed request is settled with the client table: it is no longer in flight. */
	void settled(Request request) {
		Long inFlight = this.requestsInFlight.get(request.clientId());
		if (inFlight != null && inFlight == request.requestNumber()) {
			this.requestsInFlight.remove(request.clientId());
		}
	}

	/** Whether requests wait for room in the pipeline. */
	boolean hasQueued() {
		return !this.requestQueue.isEmpty();
	}

	/** The backups just heard the commit number: the next heartbeat can wait its interval. */
	void heartbeatSent() {
		this.heartbeatTimeout.start(this.replica.ticks);
	}

	/** The highest op {@code replica} acknowledged in this view. */
	long acknowledgedOp(int replica) {
		return this.acknowledgedOps[replica];
	}

	/** The primary's timers: a heartbeat when the backups have heard nothing, resends of what they lack. */
	void tick() {
		Replica replica = this.replica;
		if (this.heartbeatTimeout.fired(replica.ticks)) {
			sendHeartbeat();
		}
		if (this.prepareResendTimeout.fired(replica.ticks)) {
			resendUnacknowledgedPrepares();
			this.prepareResendTimeout.start(replica.ticks);
		}
	}

	/** Tells the backups (and learners) the commit number now. */
	void sendHeartbeat() {
		Replica replica = this.replica;
		replica.broadcast(new Commit(replica.view, replica.index, replica.commit, replica.log.checksum(replica.commit)));
		this.heartbeatTimeout.start(replica.ticks);
	}

	/** Whether one more op fits in the pipeline. */
	boolean hasRoomForPrepare() {
		Replica replica = this.replica;
		return replica.log.op() - replica.commit < replica.options.pipelinePreparesMax();
	}

	/**
	 * Prepares the change of members to {@code next}, alone in its op, as the last op of this epoch:
	 * nothing is prepared after it until the next epoch starts.
	 */
	void prepareReconfiguration(Configuration next) {
		Replica replica = this.replica;
		Invariants.check(replica.status == Status.NORMAL && replica.isPrimary() && !replica.epochs.isEpochClosing()
				&& hasRoomForPrepare() && next.epoch() == replica.configuration.epoch() + 1,
				"replica %d prepares a change to %s in view %d", replica.index, next, replica.view);
		long timestamp = Math.max(replica.log.headTimestamp() + 1, replica.realtimeNanos);
		LogEntry entry = LogEntry.create(replica.cluster.clusterId(), replica.view, replica.log.op() + 1, timestamp,
				replica.log.headChecksum(), List.of(Request.reconfigure(next)));
		replica.appendAndWrite(entry);
		// The learners hear this prepare too; from here on the change is the log's, and the new epoch
		// tells them when it starts (a start-epoch).
		replica.broadcast(new Prepare(replica.view, replica.index, replica.commit, entry));
		this.heartbeatTimeout.start(replica.ticks);
		replica.reconfiguration.reset();
	}

	void onRequest(Request request) {
		Replica replica = this.replica;
		if (replica.status != Status.NORMAL || !replica.isPrimary()) {
			// Backups do not take requests.
			replica.ignore(IgnoreReason.REQUEST_NOT_SERVING);
			return;
		}
		if (replica.commit < this.viewStartOp) {
			// A new primary first applies what it inherited, so that its client table knows every
			// session a client may have been told about; the request waits for that.
			if (this.deferred.size() < replica.options.requestQueueMax()) {
				this.deferred.add(request);
			}
			else {
				replica.ignore(IgnoreReason.REQUEST_QUEUE_FULL);
			}
			return;
		}
		Long inFlight = this.requestsInFlight.get(request.clientId());
		if (inFlight != null) {
			replica.ignore(IgnoreReason.REQUEST_IN_FLIGHT);
			return;
		}
		if (request.operation() == Operation.REGISTER) {
			ClientTable.Session session = replica.clientTable.get(request.clientId());
			if (Execution.isRegisterResend(session, request)) {
				// Answered only once its op is applied here, as every reply is: the session's op
				// may still be with the applier (the client table runs ahead of it).
				if (session.session <= replica.commit) {
					replica.outbox.reply(replica.execution.registerReply(request, session.session));
				}
				return;
			}
		}
		if (request.operation() == Operation.COMMAND) {
			ClientTable.Session session = replica.clientTable.get(request.clientId());
			if (session == null || session.session != request.session()) {
				replica.outbox.reply(new Reply(replica.view, replica.index, request.clientId(), request.session(),
						request.requestNumber(), 0, ReplyStatus.SESSION_EVICTED, new byte[0]));
				return;
			}
			boolean reexecute = !replica.rules.runsEachRequestOnce();
			if (request.requestNumber() == session.requestNumber && session.reply != null && !reexecute) {
				replica.outbox.reply(replica.execution.withView(session.reply));
				return;
			}
			if (request.requestNumber() != session.requestNumber + 1
					&& !(reexecute && request.requestNumber() == session.requestNumber)) {
				replica.ignore(IgnoreReason.REQUEST_OUT_OF_ORDER);
				return;
			}
		}
		if (replica.transfer.isUnderWay()) {
			// The next primary takes it: the client resends once it sees the new view.
			replica.ignore(IgnoreReason.REQUEST_PRIMARY_HANDING_OVER);
			return;
		}
		if (replica.epochs.isEpochClosing()) {
			// The new epoch's primary takes it: the client resends once it sees the new view.
			replica.ignore(IgnoreReason.REQUEST_EPOCH_CHANGING);
			return;
		}
		if (this.requestQueue.size() >= replica.options.requestQueueMax()) {
			replica.ignore(IgnoreReason.REQUEST_QUEUE_FULL);
			return;
		}
		this.requestQueue.add(request);
		this.requestsInFlight.put(request.clientId(), request.requestNumber());
		if (!replica.inStep) {
			// Within a step, the step's end prepares every request it took at once (Replica.startStep).
			prepareQueued();
		}
	}

	/** Takes the requests that waited for this new primary to apply its inherited log, once it has. */
	void takeDeferred() {
		Replica replica = this.replica;
		if (this.deferred.isEmpty() || replica.commit < this.viewStartOp) {
			return;
		}
		List<Request> waiting = new ArrayList<>(this.deferred);
		this.deferred.clear();
		for (Request request : waiting) {
			onRequest(request);
		}
	}

	/** Prepares queued requests while the pipeline has room, batching as many as fit in one op. */
	void prepareQueued() {
		Replica replica = this.replica;
		while (!this.requestQueue.isEmpty() && replica.log.op() - replica.commit < replica.options.pipelinePreparesMax()
				&& !replica.transfer.isUnderWay() && !replica.epochs.isEpochClosing()) {
			List<Request> batch = new ArrayList<>();
			long batchBodyBytes = 0;
			// Bounded by bytes as well as by count, so that one entry, and the view-change and repair
			// messages that carry many entries, stay far below what the journal and the wire take.
			while (!this.requestQueue.isEmpty() && batch.size() < replica.options.prepareRequestsMax()
					&& (batch.isEmpty()
							|| batchBodyBytes + this.requestQueue.peek().body().length <= Replica.PREPARE_BODY_BYTES_MAX)) {
				Request request = this.requestQueue.poll();
				batchBodyBytes += request.body().length;
				batch.add(request);
			}
			long timestamp = Math.max(replica.log.headTimestamp() + 1, replica.realtimeNanos);
			LogEntry entry = LogEntry.create(replica.cluster.clusterId(), replica.view, replica.log.op() + 1, timestamp,
					replica.log.headChecksum(), batch);
			replica.appendAndWrite(entry);
			Prepare prepare = new Prepare(replica.view, replica.index, replica.commit, entry);
			replica.broadcast(prepare);
			this.heartbeatTimeout.start(replica.ticks);
			if (!replica.rules.commitsOnlyByQuorum()) {
				replica.commitKnown = replica.log.op();
				replica.applyCommitted(true);
			}
		}
		Invariants.check(
				replica.log.op() - replica.commit <= replica.options.pipelinePreparesMax() || replica.commit < this.viewStartOp,
				"pipeline over its bound: op %d, commit %d", replica.log.op(), replica.commit);
	}

	void onPrepareOk(PrepareOk prepareOk) {
		Replica replica = this.replica;
		IgnoreReason ignored = ignorePrepareOk(prepareOk);
		if (ignored != null) {
			replica.ignore(ignored);
			return;
		}
		Invariants.check(replica.status == Status.NORMAL && replica.isPrimary() && prepareOk.view() == replica.view,
				"replica %d counts a PrepareOk of view %d as the primary of view %d", replica.index, prepareOk.view(),
				replica.view);
		if (prepareOk.op() > this.acknowledgedOps[prepareOk.replica()]) {
			this.acknowledgedOps[prepareOk.replica()] = prepareOk.op();
			commitPrepared();
		}
		if (replica.status == Status.NORMAL && replica.transfer.isUnderWay()) {
			replica.transfer.acknowledged(prepareOk.replica(), prepareOk.op());
		}
	}

	/**
	 * Why a PrepareOk can not count, or {@code null} when it can: only the normal primary of its
	 * view counts acknowledgements, and only of entries its own log holds (the checksum names the
	 * chain, so an acknowledgement of another log's entry at the same op never counts).
	 */
	private @Nullable IgnoreReason ignorePrepareOk(PrepareOk prepareOk) {
		Replica replica = this.replica;
		if (replica.status != Status.NORMAL || prepareOk.view() != replica.view || !replica.isPrimary()) {
			return IgnoreReason.PREPARE_OK_NOT_PRIMARY;
		}
		if (!replica.log.contains(prepareOk.op(), prepareOk.checksum())) {
			return IgnoreReason.PREPARE_OK_UNKNOWN_ENTRY;
		}
		return null;
	}

	/** Commits, in op order, every op that a quorum holds durably in this view. */
	void commitPrepared() {
		Replica replica = this.replica;
		Invariants.check(replica.status == Status.NORMAL && replica.isPrimary(), "only a normal primary commits");
		boolean ownVoteCounts = replica.isViewDurable() && replica.log.isBaseDurable();
		long committable = replica.commit;
		while (committable < replica.log.op()) {
			long op = committable + 1;
			int holders = (ownVoteCounts && replica.log.durableOp() >= op) ? 1 : 0;
			Configuration configuration = replica.configuration;
			for (int position = 0; position < configuration.size(); position++) {
				int backup = configuration.member(position);
				if (backup != replica.index && this.acknowledgedOps[backup] >= op) {
					holders++;
				}
			}
			if (holders < configuration.quorum()) {
				break;
			}
			committable = op;
		}
		if (committable > replica.commitKnown) {
			replica.commitKnown = committable;
		}
		replica.applyCommitted(true);
		if (replica.status != Status.NORMAL || !replica.isPrimary()) {
			// What was applied changed the epoch: this view is over.
			return;
		}
		// A change of members that is ready goes before the queued requests: with a full pipeline and
		// callers that never pause, the requests would otherwise take every slot that frees up, and the
		// change would wait until its deadline gave it up.
		replica.reconfiguration.progress();
		prepareQueued();
		replica.transfer.progress();
	}

	private void resendUnacknowledgedPrepares() {
		Replica replica = this.replica;
		int recipients = replica.recipients();
		for (int backup = 0; backup < Cluster.REPLICAS_MAX; backup++) {
			if (backup == replica.index || (recipients & (1 << backup)) == 0) {
				continue;
			}
			long from = Math.max(this.acknowledgedOps[backup], replica.commit) + 1;
			long to = Math.min(replica.log.op(), from + replica.options.pipelinePreparesMax() - 1);
			for (long op = from; op <= to; op++) {
				LogEntry entry = Objects.requireNonNull(replica.log.entry(op), "the log holds the ops past the commit");
				replica.outbox.send(backup, new Prepare(replica.view, replica.index, replica.commit, entry));
			}
		}
	}

}
