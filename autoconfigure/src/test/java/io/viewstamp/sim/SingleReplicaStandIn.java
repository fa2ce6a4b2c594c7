package io.viewstamp.sim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

import io.viewstamp.runtime.ReadBarriers;
import io.viewstamp.vsr.Checksums;
import io.viewstamp.vsr.Applier;
import io.viewstamp.vsr.Cluster;
import io.viewstamp.vsr.DurableState;
import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.Message;
import io.viewstamp.vsr.Operation;
import io.viewstamp.vsr.Outbox;
import io.viewstamp.vsr.Reply;
import io.viewstamp.vsr.ReplicaOptions;
import io.viewstamp.vsr.ReplyStatus;
import io.viewstamp.vsr.Request;
import io.viewstamp.vsr.StateMachine;
import io.viewstamp.vsr.Status;
import io.viewstamp.vsr.Storage;
import io.viewstamp.vsr.Superblock;

/**
 * A one-replica "cluster" in a page of code, for testing the simulator itself without the real
 * {@code Replica}: with one replica an op is committed once it is durable, there are no views, and
 * a restart replays the journal. With {@link Flaw#COMMIT_BEFORE_DURABLE} it answers before its
 * write is durable, so a crash loses acknowledged ops; the checkers must notice.
 */
final class SingleReplicaStandIn implements SimulatedReplica {

	private final long clusterId;

	private final Storage storage;

	private final Outbox outbox;

	private final StateMachine stateMachine;

	private final Flaw flaw;

	private final List<LogEntry> log = new ArrayList<>();

	/** By client id; a sorted map so nothing depends on hash order. */
	private final Map<Long, Session> sessions = new TreeMap<>();

	private final Set<Request> uncommitted = new HashSet<>();

	private long commit;

	private long now;

	private SingleReplicaStandIn(long clusterId, DurableState state, Storage storage, Outbox outbox,
			StateMachine stateMachine, Flaw flaw) {
		this.clusterId = clusterId;
		this.storage = storage;
		this.outbox = outbox;
		this.stateMachine = stateMachine;
		this.flaw = flaw;
		long parent = Checksums.root(clusterId);
		for (LogEntry entry : state.journal()) {
			if (entry.parent() != parent || !entry.isIntact(clusterId)) {
				break;
			}
			this.log.add(entry);
			parent = entry.checksum();
		}
		// Everything durable is committed when the replica is alone; replay it without answering.
		commitUpTo(this.log.size(), false);
	}

	/**
	 * A factory of stand-ins.
	 * @param flaw the flaw to build in, or {@link Flaw#NONE}
	 * @return the factory
	 */
	static ReplicaFactory factory(Flaw flaw) {
		return new ReplicaFactory() {

			@Override
			public SimulatedReplica restart(Cluster cluster, int index, ReplicaOptions options, DurableState state,
					Storage storage, Outbox outbox, StateMachine stateMachine, Applier applier, RandomGenerator random) {
				checkAlone(cluster);
				return new SingleReplicaStandIn(cluster.clusterId(), state, storage, outbox, stateMachine, flaw);
			}

			@Override
			public SimulatedReplica recover(Cluster cluster, int index, ReplicaOptions options, Storage storage,
					Outbox outbox, StateMachine stateMachine, Applier applier, RandomGenerator random) {
				throw new UnsupportedOperationException("A lone replica has no one to recover from");
			}

			@Override
			public boolean appliesThroughApplier() {
				return false;
			}

		};
	}

	@Override
	public void tick(long realtimeNanos) {
		this.now = realtimeNanos;
	}

	@Override
	public void receive(Message message) {
		if (!(message instanceof Request request) || this.uncommitted.contains(request)) {
			return;
		}
		Session session = this.sessions.get(request.clientId());
		if (request.operation() == Operation.REGISTER) {
			// Every register opens a new session, even a resent one: a register of a client that restarted
			// with the same id looks exactly like a resend, and answering it with the old session would hand
			// the new process the replies meant for the old one.
			prepare(request);
			return;
		}
		if (session == null || session.number != request.session()) {
			this.outbox.reply(new Reply(0, 0, request.clientId(), request.session(), request.requestNumber(), 0,
					ReplyStatus.SESSION_EVICTED,
					new byte[0]));
		}
		else if (request.requestNumber() == session.lastRequestNumber && session.lastReply != null) {
			this.outbox.reply(session.lastReply);
		}
		else if (request.requestNumber() > session.lastRequestNumber) {
			prepare(request);
		}
	}

	@Override
	public void onEntryWritten(long op, long checksum) {
		commitUpTo(op, true);
	}

	@Override
	public void onSuperblockWritten(Superblock superblock) {
	}

	@Override
	public void onSnapshotWritten(long op) {
	}

	@Override
	public void onApplied(long op, List<byte[]> results) {
		throw new UnsupportedOperationException("the stand-in applies in place");
	}

	@Override
	public void onCaptured(long op, byte[] state) {
		throw new UnsupportedOperationException("the stand-in applies in place");
	}

	@Override
	public int index() {
		return 0;
	}

	@Override
	public long view() {
		return 0;
	}

	@Override
	public long logView() {
		return 0;
	}

	@Override
	public Status status() {
		return Status.NORMAL;
	}

	@Override
	public boolean isPrimary() {
		return true;
	}

	@Override
	public long op() {
		return this.log.size();
	}

	@Override
	public long commit() {
		return this.commit;
	}

	@Override
	public long logBaseOp() {
		return 0;
	}

	@Override
	public LogEntry entry(long op) {
		return (op >= 1 && op <= this.log.size()) ? this.log.get((int) (op - 1)) : null;
	}

	private void prepare(Request request) {
		LogEntry head = this.log.isEmpty() ? null : this.log.get(this.log.size() - 1);
		long parent = (head == null) ? Checksums.root(this.clusterId) : head.checksum();
		long timestamp = (head == null) ? this.now : Math.max(this.now, head.timestamp() + 1);
		LogEntry entry = LogEntry.create(this.clusterId, 0, this.log.size() + 1, timestamp, parent, List.of(request));
		this.log.add(entry);
		this.uncommitted.add(request);
		this.storage.writeEntry(entry);
		if (this.flaw == Flaw.COMMIT_BEFORE_DURABLE) {
			commitUpTo(entry.op(), true);
		}
	}

	private void commitUpTo(long op, boolean answer) {
		while (this.commit < op) {
			this.commit++;
			LogEntry entry = this.log.get((int) (this.commit - 1));
			for (Request request : entry.requests()) {
				Reply reply = execute(entry, request);
				this.uncommitted.remove(request);
				if (answer) {
					this.outbox.reply(reply);
				}
			}
		}
	}

	private Reply execute(LogEntry entry, Request request) {
		if (request.operation() == Operation.REGISTER) {
			Reply reply = new Reply(0, 0, request.clientId(), entry.op(), 0, entry.op(), ReplyStatus.OK,
					request.body());
			this.sessions.put(request.clientId(), new Session(entry.op(), 0, reply));
			return reply;
		}
		Session session = this.sessions.get(request.clientId());
		if (session == null || session.number != request.session()) {
			// The client registered again after this request was prepared: its old session is gone, and the
			// request must not be applied, or its number would count against the new session.
			return new Reply(0, 0, request.clientId(), request.session(), request.requestNumber(), 0,
					ReplyStatus.SESSION_EVICTED,
					new byte[0]);
		}
		// A read barrier asks only to be applied in its place, as the runtime's apply path answers it.
		byte[] result = ReadBarriers.isBarrier(request.body()) ? new byte[0]
				: this.stateMachine.apply(entry.op(), entry.timestamp(), request.body());
		Reply reply = new Reply(0, 0, request.clientId(), request.session(), request.requestNumber(), entry.op(),
				ReplyStatus.OK, result);
		session.lastRequestNumber = request.requestNumber();
		session.lastReply = reply;
		return reply;
	}

	private static void checkAlone(Cluster cluster) {
		if (cluster.replicaCount() != 1) {
			throw new IllegalArgumentException("The stand-in replica works alone, not in " + cluster);
		}
	}

	/** Deliberate bugs. */
	enum Flaw {

		/** None: a correct lone replica. */
		NONE,

		/** Commits and answers as soon as an op is prepared, before its write is durable. */
		COMMIT_BEFORE_DURABLE

	}

	private static final class Session {

		private final long number;

		private long lastRequestNumber;

		private Reply lastReply;

		Session(long number, long lastRequestNumber, Reply lastReply) {
			this.number = number;
			this.lastRequestNumber = lastRequestNumber;
			this.lastReply = lastReply;
		}

	}

}
