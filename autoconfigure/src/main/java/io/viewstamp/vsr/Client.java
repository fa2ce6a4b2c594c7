package io.viewstamp.vsr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.random.RandomGenerator;

import org.jspecify.annotations.Nullable;

/**
 * The client side of the protocol, as deterministic as {@link Replica}: it runs on {@link #tick()},
 * {@link #receive(Reply)} and {@link #localReplicaAt}, and sends through its {@link ClientHost}. The
 * runtime's {@code ReplicationClient} wraps one in threads; the simulator runs the same class, so
 * every rule below is tested under its faults.
 *
 * <p>The client keeps a pool of sessions (TigerBeetle's fix of the paper's client table, see
 * {@code docs/protocol.md}). Each opens with a committed register request, whose op number is its
 * session number, and then carries one request at a time with request numbers 1, 2, 3, ... A
 * request is resent unchanged until it is answered, even after its caller gave up, so that a late
 * commit is answered from the client table rather than applied twice, and the next request number
 * is never sent before the previous one is settled.
 *
 * <p>Primary discovery: a request goes to the primary of the newest view the client knows of (its
 * local replica's or one a reply named); after {@value #RESENDS_TO_ONE_REPLICA_MAX} unanswered sends
 * it tries the next replica, and so on around the cluster. Backups drop requests, so a wrong guess
 * costs one message.
 *
 * <p>The rules that keep a client from taking answers meant for another: a register reply counts
 * only when it echoes the session's incarnation (drawn at random for each session) and names a
 * newer session; a command reply counts only for the session and request number in flight; an
 * eviction counts only from a view at least as new as any the client heard from, since a deposed
 * primary may not know a session opened since.
 *
 * <p>Read-your-writes: a caller is told its command's result only once the local replica has
 * applied the op that committed it, so a read on that replica right after sees the write. A client
 * without a local replica ({@link #NO_LOCAL_REPLICA}) completes on the reply.
 */
public final class Client {

	/** Sends of one request to one replica before the client tries the next. */
	public static final int RESENDS_TO_ONE_REPLICA_MAX = 3;

	/** The local replica of a client that runs beside none (the simulator's remote clients). */
	public static final int NO_LOCAL_REPLICA = -1;

	private final Cluster cluster;

	/** Who the members are, as the local replica last said; the cluster's first configuration until then. */
	private Configuration configuration;

	private final int localReplica;

	private final ClientOptions options;

	private final ClientHost host;

	private final RandomGenerator clientIds;

	private final RandomGenerator incarnations;

	/** The protocol's rules: {@link ProtocolRules#STANDARD} but in the tests' defective clients. */
	private final ProtocolRules rules;

	private final ArrayDeque<Submission> waiting = new ArrayDeque<>();

	/** In the order they were opened: the order every loop over them follows. */
	private final List<Session> sessions = new ArrayList<>();

	/** Looked up by reply, never iterated. */
	private final Map<Long, Session> sessionsByClientId = new HashMap<>();

	private final PriorityQueue<Committed> awaitingApply = new PriorityQueue<>(
			Comparator.comparingLong(Committed::op).thenComparingLong(Committed::ticket));

	private long ticks;

	private long nextTicket = 1;

	/** Submissions not finished: waiting, in flight with their caller, or awaiting the local apply. */
	private int unfinished;

	private long localView;

	/** The newest view the local replica was normal in: a newer one sends every request in flight again at once. */
	private long localNormalView;

	private long localAppliedOp;

	private long highestViewHeard;

	private boolean stopped;

	/** Whether a call into the host is under way: the host must not call back into the client. */
	private boolean callingHost;

	/**
	 * Creates a client that has no session yet; it opens them as submissions come.
	 * @param cluster the cluster it talks to
	 * @param localReplica the index of the replica it runs beside, or {@link #NO_LOCAL_REPLICA}
	 * @param options its limits and timeouts
	 * @param host how it sends and reports
	 * @param clientIds draws each session's client id
	 * @param incarnations draws each session's incarnation; apart from the ids so that a test can
	 * start a client that reuses its predecessor's ids, which a real client never does
	 */
	public Client(Cluster cluster, int localReplica, ClientOptions options, ClientHost host, RandomGenerator clientIds,
			RandomGenerator incarnations) {
		this(cluster, localReplica, options, host, clientIds, incarnations, ProtocolRules.STANDARD);
	}

	/** A client that keeps {@code rules}: only tests give it other than the standard ones. */
	Client(Cluster cluster, int localReplica, ClientOptions options, ClientHost host, RandomGenerator clientIds,
			RandomGenerator incarnations, ProtocolRules rules) {
		Invariants.check(localReplica == NO_LOCAL_REPLICA || (localReplica >= 0 && localReplica < Cluster.REPLICAS_MAX),
				"local replica %d outside 0..%d", localReplica, Cluster.REPLICAS_MAX - 1);
		this.cluster = cluster;
		this.configuration = Configuration.initial(cluster.replicaCount());
		this.localReplica = localReplica;
		this.options = options;
		this.host = host;
		this.clientIds = clientIds;
		this.incarnations = incarnations;
		this.rules = rules;
	}

	// Inputs.

	/**
	 * Submits a command; its outcome is reported to the host later, under the returned ticket. The
	 * host submits only while the client {@link #hasRoom() has room}.
	 * @param command the command bytes, handed to the state machine as they are
	 * @return the submission's ticket
	 */
	public long submit(byte[] command) {
		Invariants.check(!this.callingHost, "a ClientHost called back into its client");
		Invariants.check(hasRoom(), "a submission to a client without room (stopped, or %d unfinished)", this.unfinished);
		long ticket = this.nextTicket++;
		this.unfinished++;
		this.waiting.add(new Submission(ticket, command, deadline()));
		dispatch();
		return ticket;
	}

	/** Lets time pass: resends what was not answered in time and fails callers past their deadline. */
	public void tick() {
		Invariants.check(!this.callingHost, "a ClientHost called back into its client");
		this.ticks++;
		if (this.stopped) {
			return;
		}
		for (Session session : this.sessions) {
			if (session.state != SessionState.IDLE && this.ticks - session.lastSentTick >= this.options.resendIntervalTicks()) {
				send(session);
			}
			if (session.caller != null && this.ticks >= session.caller.deadlineTick()) {
				Submission caller = session.caller;
				// The session keeps the request in flight, so a late commit is still deduplicated.
				session.caller = null;
				finish(caller.ticket(), ClientFailure.OUTCOME_UNKNOWN, 0);
			}
		}
		while (!this.waiting.isEmpty() && this.ticks >= this.waiting.peek().deadlineTick()) {
			finish(this.waiting.poll().ticket(), ClientFailure.NOT_SENT, 0);
		}
		failCommittedPastDeadline();
	}

	/**
	 * Takes a reply from the cluster. Only the answer to a session's request in flight counts; the
	 * others are duplicates, answers meant for a predecessor, or an old primary's word.
	 * @param reply the reply
	 * @return the request the reply settled, or {@code null} when it was ignored
	 */
	public @Nullable Request receive(Reply reply) {
		Invariants.check(!this.callingHost, "a ClientHost called back into its client");
		Session session = this.sessionsByClientId.get(reply.clientId());
		if (session == null || this.stopped) {
			return null;
		}
		Request settled = switch (session.state) {
			case REGISTERING -> onRegisterReply(session, reply);
			case BUSY -> onCommandReply(session, reply);
			// A duplicate of an answer already taken.
			case IDLE -> null;
		};
		if (settled != null) {
			dispatch();
		}
		return settled;
	}

	/**
	 * Tells the client where its local replica is: the view it is in (where to look for the
	 * primary first), whether that view has started there, and the highest op it has applied
	 * (which callers may now be answered). When the local replica starts a newer view, every
	 * request in flight goes to that view's primary at once rather than at its next resend: after
	 * a primary hands its view over, callers wait a round trip, not a resend interval.
	 * @param view the local replica's view
	 * @param normal whether the local replica is normal in that view (not changing views or recovering)
	 * @param appliedOp the highest op the local replica has applied
	 */
	public void localReplicaAt(long view, boolean normal, long appliedOp) {
		localReplicaAt(view, normal, appliedOp, this.configuration);
	}

	/**
	 * {@link #localReplicaAt(long, boolean, long)}, with the configuration of the local replica's
	 * epoch: where the client looks for the primary once the members changed.
	 * @param configuration the local replica's configuration
	 */
	public void localReplicaAt(long view, boolean normal, long appliedOp, Configuration configuration) {
		Invariants.check(!this.callingHost, "a ClientHost called back into its client");
		// The local replica's word is the truth; the client's own first configuration is a guess from
		// the peer list, which may name more hosts than the cluster was formed with (an address book).
		if (configuration.epoch() > this.configuration.epoch()
				|| (configuration.epoch() == this.configuration.epoch() && !configuration.sameMembers(this.configuration))) {
			this.configuration = configuration;
		}
		Invariants.check(this.localReplica != NO_LOCAL_REPLICA, "a client without a local replica was told of one");
		this.localView = view;
		this.localAppliedOp = appliedOp;
		if (normal && view > this.localNormalView) {
			this.localNormalView = view;
			if (!this.stopped) {
				resendToNewPrimary();
			}
		}
		completeApplied();
	}

	/** Stops: every unfinished submission fails with {@link ClientFailure#STOPPED}; it takes no more. */
	public void stop() {
		Invariants.check(!this.callingHost, "a ClientHost called back into its client");
		if (this.stopped) {
			return;
		}
		this.stopped = true;
		for (Session session : this.sessions) {
			if (session.caller != null) {
				Submission caller = session.caller;
				session.caller = null;
				finish(caller.ticket(), ClientFailure.STOPPED, 0);
			}
		}
		while (!this.waiting.isEmpty()) {
			finish(this.waiting.poll().ticket(), ClientFailure.STOPPED, 0);
		}
		while (!this.awaitingApply.isEmpty()) {
			finish(this.awaitingApply.poll().ticket(), ClientFailure.STOPPED, 0);
		}
		Invariants.check(this.unfinished == 0, "%d submissions unfinished after the client stopped", this.unfinished);
	}

	// Observation.

	/** Whether {@code clientId} names one of this client's sessions, so that its replies are this client's. */
	public boolean owns(long clientId) {
		return this.sessionsByClientId.containsKey(clientId);
	}

	/** The number of open or opening sessions. */
	public int sessionCount() {
		return this.sessions.size();
	}

	/** The session number of the newest open session, 0 when none is open. */
	public long newestSession() {
		long newest = 0;
		for (Session session : this.sessions) {
			newest = Math.max(newest, session.session);
		}
		return newest;
	}

	/**
	 * Whether the client takes a submission now: it has not stopped and has fewer than
	 * {@link ClientOptions#submissionsMax} unfinished.
	 */
	public boolean hasRoom() {
		return !this.stopped && this.unfinished < this.options.submissionsMax();
	}

	/** Whether the client has stopped. */
	public boolean isStopped() {
		return this.stopped;
	}

	/** The number of submissions not finished yet. */
	public int unfinishedCount() {
		return this.unfinished;
	}

	/** Whether nothing is unfinished and no session has a request in flight. */
	public boolean isIdle() {
		if (this.unfinished > 0) {
			return false;
		}
		for (Session session : this.sessions) {
			if (session.state != SessionState.IDLE) {
				return false;
			}
		}
		return true;
	}

	/** The newest view the client heard of from a reply. */
	public long highestViewHeard() {
		return this.highestViewHeard;
	}

	@Override
	public String toString() {
		return "Client[local replica " + this.localReplica + ", " + this.sessions.size() + " sessions, " + this.unfinished
				+ " unfinished, " + this.waiting.size() + " waiting, " + this.awaitingApply.size() + " awaiting apply, view heard "
				+ this.highestViewHeard + (this.stopped ? ", stopped" : "") + "]";
	}

	// Replies.

	private @Nullable Request onRegisterReply(Session session, Reply reply) {
		if (reply.requestNumber() != 0 || reply.status() != ReplyStatus.OK || reply.session() <= session.session) {
			return null;
		}
		boolean echoesIncarnation = reply.result().length == Long.BYTES
				&& ByteBuffer.wrap(reply.result()).order(ByteOrder.LITTLE_ENDIAN).getLong() == session.incarnation;
		if (!echoesIncarnation && this.rules.clientChecksIncarnation()) {
			// A predecessor's registration with the same client id: its session is not this one's.
			return null;
		}
		hear(reply);
		Request register = session.inFlight;
		session.session = reply.session();
		session.settle();
		return register;
	}

	private @Nullable Request onCommandReply(Session session, Reply reply) {
		if (reply.session() != session.session || reply.requestNumber() != session.requestNumber) {
			return null;
		}
		Request request = session.inFlight;
		if (reply.status() == ReplyStatus.SESSION_EVICTED) {
			if (reply.view() < this.highestViewHeard) {
				// A deposed primary may not know the session; only a current view's word counts.
				return null;
			}
			Submission caller = session.caller;
			close(session);
			if (caller != null) {
				finish(caller.ticket(), ClientFailure.SESSION_EVICTED, 0);
			}
			return request;
		}
		Invariants.check(reply.status() == ReplyStatus.OK, "unknown reply status %s", reply.status());
		hear(reply);
		Submission caller = session.caller;
		session.settle();
		if (caller != null) {
			this.awaitingApply.add(new Committed(caller.ticket(), caller.deadlineTick(), reply));
			completeApplied();
		}
		return request;
	}

	private void hear(Reply reply) {
		this.highestViewHeard = Math.max(this.highestViewHeard, reply.view());
	}

	/** Completes the callers whose ops the local replica has applied, in op order. */
	private void completeApplied() {
		boolean answerAtOnce = this.localReplica == NO_LOCAL_REPLICA
				|| !this.rules.clientAnswersOnlyAfterLocalApply();
		while (!this.awaitingApply.isEmpty() && (answerAtOnce || this.awaitingApply.peek().op() <= this.localAppliedOp)) {
			Committed done = this.awaitingApply.poll();
			this.unfinished--;
			callHost(() -> this.host.completed(done.ticket(), done.reply()));
		}
	}

	private void failCommittedPastDeadline() {
		if (this.awaitingApply.isEmpty()) {
			return;
		}
		List<Committed> expired = new ArrayList<>();
		for (Iterator<Committed> iterator = this.awaitingApply.iterator(); iterator.hasNext();) {
			Committed committed = iterator.next();
			if (this.ticks >= committed.deadlineTick()) {
				iterator.remove();
				expired.add(committed);
			}
		}
		// The queue's iteration order is its heap's; callers hear in submission order.
		expired.sort(Comparator.comparingLong(Committed::ticket));
		for (Committed committed : expired) {
			finish(committed.ticket(), ClientFailure.COMMITTED_NOT_APPLIED, committed.op());
		}
	}

	// Sessions.

	/** Hands waiting submissions to idle sessions, opening sessions while the pool has room. */
	private void dispatch() {
		if (this.stopped) {
			return;
		}
		int registering = 0;
		for (Session session : this.sessions) {
			if (this.waiting.isEmpty()) {
				return;
			}
			if (session.state == SessionState.IDLE) {
				session.begin(this.waiting.poll());
				send(session);
			}
			else if (session.state == SessionState.REGISTERING) {
				registering++;
			}
		}
		while (this.waiting.size() > registering && this.sessions.size() < this.options.sessionsMax()) {
			open();
			registering++;
		}
	}

	private void open() {
		long clientId;
		do {
			clientId = this.clientIds.nextLong();
		}
		while (clientId == 0 || this.sessionsByClientId.containsKey(clientId));
		Session session = new Session(clientId, this.incarnations.nextLong());
		this.sessions.add(session);
		this.sessionsByClientId.put(clientId, session);
		send(session);
	}

	private void close(Session session) {
		this.sessions.remove(session);
		this.sessionsByClientId.remove(session.clientId);
	}

	private void resendToNewPrimary() {
		for (Session session : this.sessions) {
			if (session.state != SessionState.IDLE) {
				session.unansweredSends = 0;
				send(session);
			}
		}
	}

	private void send(Session session) {
		Invariants.check(session.inFlight != null, "a session without a request in flight sends nothing");
		long view = Math.max(this.localView, this.highestViewHeard);
		// After a few unanswered sends the primary we believe in may be gone; trying the next
		// replicas in turn finds the new one.
		Configuration members = this.configuration;
		int primary = members.hasView(view) ? members.primaryOf(view) : members.primaryOf(members.firstView());
		int position = Math.floorMod(members.positionOf(primary) + session.unansweredSends / RESENDS_TO_ONE_REPLICA_MAX,
				members.size());
		int target = members.member(position);
		session.lastSentTick = this.ticks;
		session.unansweredSends++;
		Request request = session.inFlight;
		callHost(() -> this.host.send(target, request));
	}

	private long deadline() {
		long timeout = this.options.requestTimeoutTicks();
		return (timeout >= Long.MAX_VALUE - this.ticks) ? Long.MAX_VALUE : this.ticks + timeout;
	}

	private void finish(long ticket, ClientFailure failure, long op) {
		this.unfinished--;
		Invariants.check(this.unfinished >= 0, "more submissions finished than were made");
		callHost(() -> this.host.failed(ticket, failure, op));
	}

	private void callHost(Runnable call) {
		this.callingHost = true;
		try {
			call.run();
		}
		finally {
			this.callingHost = false;
		}
	}

	private enum SessionState {

		/** The register request is in flight. */
		REGISTERING,

		/** Open, with nothing in flight. */
		IDLE,

		/** Open, with a command in flight. */
		BUSY

	}

	/**
	 * One session: an id, the session number the cluster gave it, and at most one request in
	 * flight, resent until answered.
	 */
	private static final class Session {

		final long clientId;

		final long incarnation;

		SessionState state = SessionState.REGISTERING;

		/** The session number, 0 until the register reply arrives. */
		long session;

		/** The number of the request in flight, or of the last one answered. */
		long requestNumber;

		/** The request in flight, {@code null} when idle. */
		@Nullable Request inFlight;

		/** The submission waiting for {@link #inFlight}, {@code null} once it gave up. */
		@Nullable Submission caller;

		long lastSentTick;

		/** Sends of {@link #inFlight} without an answer; after a few, the client tries other replicas. */
		int unansweredSends;

		Session(long clientId, long incarnation) {
			this.clientId = clientId;
			this.incarnation = incarnation;
			this.inFlight = Request.register(clientId, incarnation);
		}

		void begin(Submission submission) {
			Invariants.check(this.state == SessionState.IDLE, "a session begins a request only when idle");
			this.requestNumber++;
			this.inFlight = new Request(this.clientId, this.session, this.requestNumber, Operation.COMMAND,
					submission.command());
			this.caller = submission;
			this.state = SessionState.BUSY;
			this.unansweredSends = 0;
		}

		void settle() {
			this.inFlight = null;
			this.caller = null;
			this.state = SessionState.IDLE;
			this.unansweredSends = 0;
		}

	}

	/** A submitted command and when its caller gives up. */
	private record Submission(long ticket, byte[] command, long deadlineTick) {
	}

	/** A caller whose command committed, waiting for the local replica to apply it. */
	private record Committed(long ticket, long deadlineTick, Reply reply) {

		long op() {
			return this.reply.op();
		}

	}

}
