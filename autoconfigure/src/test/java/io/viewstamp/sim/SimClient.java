package io.viewstamp.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

import io.viewstamp.sim.linearizability.KvOperation;
import io.viewstamp.vsr.Cluster;
import io.viewstamp.vsr.Operation;
import io.viewstamp.vsr.Reply;
import io.viewstamp.vsr.ReplyStatus;
import io.viewstamp.vsr.Request;

/**
 * One simulated client process. It registers first (the register reply's op is its session), then
 * sends requests 1, 2, 3, ... with {@code (clientId, session, requestNumber)}, one at a time, each
 * resent unchanged until its reply arrives: to the replica it believes is primary, and after a
 * timeout to every replica. It records what it saw as {@link KvOperation}s for the
 * linearizability checker; an operation whose outcome it cannot know (its session was evicted, or
 * the process restarted) is recorded as indeterminate.
 */
public final class SimClient {

	/** The most operations a scenario may queue on one client. */
	public static final int SUBMITTED_OPERATIONS_MAX = 1_000;

	private final int index;

	private final Cluster cluster;

	private final SplittableRandom random;

	private final Sender sender;

	private final RequestRegistry registry;

	private final int requestTimeoutTicks;

	private final SimWorkload workload;

	private final Deque<KvCommand> submitted = new ArrayDeque<>();

	private final List<KvOperation> history = new ArrayList<>();

	private boolean workloadEnabled;

	private long clientId;

	private long incarnation;

	private long session;

	/**
	 * The highest session this client id was given; sessions only grow, so an older one is stale. A
	 * client that keeps its id across a restart must have stored the id, and stores this next to it:
	 * with it, a delayed or duplicated register reply of a session it had before is not taken for a
	 * new one.
	 */
	private long sessionsOpened;

	private long nextRequestNumber = 1;

	private long view;

	private OpenRequest open;

	private long thinkUntilTick;

	private long valuesWritten;

	private final Statistics statistics = new Statistics();

	/**
	 * Creates a client; it sends nothing until it has an operation to do.
	 * @param index the client's number
	 * @param cluster the cluster it talks to
	 * @param requestTimeoutTicks ticks without a reply before it resends to every replica
	 * @param workload what it does on its own once {@link #setWorkloadEnabled enabled}
	 * @param random the client's own random stream (client ids, workload)
	 * @param registry where it records every request it sends
	 * @param sender how its requests leave it
	 */
	public SimClient(int index, Cluster cluster, int requestTimeoutTicks, SimWorkload workload, SplittableRandom random,
			RequestRegistry registry, Sender sender) {
		this.index = index;
		this.cluster = cluster;
		this.requestTimeoutTicks = requestTimeoutTicks;
		this.workload = workload;
		this.random = random;
		this.registry = registry;
		this.sender = sender;
		this.clientId = newClientId();
	}

	/**
	 * Queues a PUT; the client sends it when the operations before it are done.
	 * @param key the key
	 * @param value the value
	 */
	public void submitPut(String key, String value) {
		submit(KvCommand.put(key, value));
	}

	/**
	 * Queues a GET; the client sends it when the operations before it are done.
	 * @param key the key
	 */
	public void submitGet(String key) {
		submit(KvCommand.get(key));
	}

	/**
	 * Whether the client invents operations on its own.
	 * @param workloadEnabled {@code true} to run the workload
	 */
	public void setWorkloadEnabled(boolean workloadEnabled) {
		this.workloadEnabled = workloadEnabled;
	}

	/**
	 * Lets the client act: resend its open request after the timeout, or open the next one.
	 * @param now the current tick
	 */
	public void tick(long now) {
		if (this.open != null) {
			if (now - this.open.lastSentAt >= this.requestTimeoutTicks) {
				// The primary may have changed or the request or reply was lost: ask everyone, backups ignore it.
				this.open.lastSentAt = now;
				this.statistics.resends++;
				for (int replica = 0; replica < this.cluster.replicaCount(); replica++) {
					this.sender.send(this, replica, this.open.request);
				}
			}
			return;
		}
		if (!hasWork(now)) {
			return;
		}
		if (this.session == 0) {
			open(Request.register(this.clientId, this.incarnation), null, now);
			return;
		}
		KvCommand command = this.submitted.isEmpty() ? this.workload.next(this.random, nextUniqueValue())
				: this.submitted.pollFirst();
		open(new Request(this.clientId, this.session, this.nextRequestNumber, Operation.COMMAND, command.encode()), command,
				now);
	}

	/**
	 * Takes a reply. Only the reply to the open request counts; the rest are stale duplicates.
	 * @param reply the reply
	 * @param now the current tick
	 * @return the request the reply completed, or {@code null} when the reply was ignored
	 */
	public Request receive(Reply reply, long now) {
		if (reply.clientId() != this.clientId) {
			return null;
		}
		if (this.open == null || reply.requestNumber() != this.open.request.requestNumber()) {
			this.view = Math.max(this.view, reply.view());
			this.statistics.staleReplies++;
			return null;
		}
		boolean stale = isStale(reply);
		this.view = Math.max(this.view, reply.view());
		if (stale) {
			this.statistics.staleReplies++;
			return null;
		}
		Request request = this.open.request;
		if (this.open.command == null) {
			this.session = reply.session();
			this.sessionsOpened = Math.max(this.sessionsOpened, reply.session());
			this.nextRequestNumber = 1;
			this.statistics.registrations++;
		}
		else if (reply.status() == ReplyStatus.SESSION_EVICTED) {
			// The request may have committed before the session was evicted (and its reply was lost).
			this.history.add(this.open.indeterminate(this.index));
			this.session = 0;
			this.statistics.evictions++;
			this.statistics.indeterminate++;
		}
		else {
			this.history.add(this.open.completed(this.index, now, KvCommand.decodeResult(reply.result())));
			this.nextRequestNumber++;
			this.thinkUntilTick = now + this.workload.thinkTicks(this.random);
			this.statistics.completed++;
		}
		this.open = null;
		return request;
	}

	/**
	 * The client process restarts: its open operation's outcome becomes unknown and it starts a new
	 * session. A client that keeps its id reuses request numbers from 1, which the paper's client
	 * table gets wrong and sessions must get right; a new incarnation tells its own session from its
	 * predecessor's by the incarnation the register's reply echoes.
	 * @param keepClientId whether the new process uses the same client id
	 */
	public void restart(boolean keepClientId) {
		if (this.open != null && this.open.command != null) {
			this.history.add(this.open.indeterminate(this.index));
			this.statistics.indeterminate++;
		}
		this.open = null;
		this.session = 0;
		this.nextRequestNumber = 1;
		this.view = 0;
		this.incarnation++;
		this.statistics.restarts++;
		if (!keepClientId) {
			this.clientId = newClientId();
			this.sessionsOpened = 0;
		}
	}

	/** The client's number. */
	public int index() {
		return this.index;
	}

	/** The current process's client id. */
	public long clientId() {
		return this.clientId;
	}

	/** How many times the process restarted; replies sent to an earlier incarnation are not delivered. */
	public long incarnation() {
		return this.incarnation;
	}

	/** The session number, 0 while not registered. */
	public long session() {
		return this.session;
	}

	/** The highest view the client has heard of. */
	public long view() {
		return this.view;
	}

	/** Whether a request (a register or an operation) is waiting for its reply. */
	public boolean hasOpenRequest() {
		return this.open != null;
	}

	/** Whether the client has nothing open and nothing queued: scripted operations are all done. */
	public boolean isIdle() {
		return this.open == null && this.submitted.isEmpty();
	}

	/**
	 * What the client saw so far, in the order its operations were issued; the open operation, if
	 * any, appears as indeterminate.
	 * @return the history
	 */
	public List<KvOperation> history() {
		List<KvOperation> history = new ArrayList<>(this.history);
		if (this.open != null && this.open.command != null) {
			history.add(this.open.indeterminate(this.index));
		}
		return history;
	}

	/** What the client did so far. */
	public Statistics statistics() {
		return this.statistics;
	}

	@Override
	public String toString() {
		return "client " + this.index + " (id " + Long.toHexString(this.clientId) + ", session " + this.session
				+ ", open " + ((this.open != null) ? this.open.request : "none") + ")";
	}

	/**
	 * Whether a reply that carries the open request's number is in fact older: request numbers start
	 * again at 1 in each session, so after a client registers again (or restarts with its old id) a
	 * delayed reply of a previous session can carry the open request's number. The reply names its
	 * session; a register's reply echoes the incarnation it answers.
	 */
	private boolean isStale(Reply reply) {
		if (this.open.command == null) {
			return reply.status() != ReplyStatus.OK || reply.session() <= this.sessionsOpened
					|| !java.util.Arrays.equals(reply.result(), this.open.request.body());
		}
		if (reply.status() == ReplyStatus.SESSION_EVICTED && reply.view() < this.view) {
			// A primary of an older view may not know a session opened since: only a primary at least
			// as new as the newest view we heard of can say that our session is gone.
			return true;
		}
		return reply.session() != this.session;
	}

	private void submit(KvCommand command) {
		if (this.submitted.size() >= SUBMITTED_OPERATIONS_MAX) {
			throw new IllegalStateException("Client " + this.index + " already has " + SUBMITTED_OPERATIONS_MAX
					+ " operations queued");
		}
		this.submitted.addLast(command);
	}

	private boolean hasWork(long now) {
		return !this.submitted.isEmpty() || (this.workloadEnabled && now >= this.thinkUntilTick);
	}

	private void open(Request request, KvCommand command, long now) {
		this.registry.record(request);
		this.open = new OpenRequest(request, command, now);
		this.open.lastSentAt = now;
		this.sender.send(this, this.cluster.primaryOf(this.view), request);
	}

	private String nextUniqueValue() {
		return "c" + this.index + "-" + (++this.valuesWritten);
	}

	private long newClientId() {
		long id;
		do {
			id = this.random.nextLong();
		}
		while (id == 0);
		return id;
	}

	/** How a client's requests leave it. */
	@FunctionalInterface
	public interface Sender {

		/**
		 * Sends a request.
		 * @param client the sending client
		 * @param replica the replica to send it to
		 * @param request the request
		 */
		void send(SimClient client, int replica, Request request);

	}

	/** Counts of what a client did. */
	public static final class Statistics {

		private long registrations;

		private long completed;

		private long indeterminate;

		private long evictions;

		private long restarts;

		private long resends;

		private long staleReplies;

		/** Sessions opened. */
		public long registrations() {
			return this.registrations;
		}

		/** Operations whose result arrived. */
		public long completed() {
			return this.completed;
		}

		/** Operations whose outcome is unknown. */
		public long indeterminate() {
			return this.indeterminate;
		}

		/** Sessions lost to eviction. */
		public long evictions() {
			return this.evictions;
		}

		/** Process restarts. */
		public long restarts() {
			return this.restarts;
		}

		/** Requests resent to every replica after a timeout. */
		public long resends() {
			return this.resends;
		}

		/** Replies that did not answer the open request. */
		public long staleReplies() {
			return this.staleReplies;
		}

	}

	/** The request waiting for its reply; {@code command} is {@code null} for a register. */
	private static final class OpenRequest {

		private final Request request;

		private final KvCommand command;

		private final long invokedAt;

		private long lastSentAt;

		OpenRequest(Request request, KvCommand command, long invokedAt) {
			this.request = request;
			this.command = command;
			this.invokedAt = invokedAt;
		}

		KvOperation completed(int client, long completedAt, String result) {
			return (this.command.kind() == KvCommand.Kind.PUT)
					? KvOperation.put(client, this.invokedAt, completedAt, this.command.key(), this.command.value(), result)
					: KvOperation.get(client, this.invokedAt, completedAt, this.command.key(), result);
		}

		KvOperation indeterminate(int client) {
			return (this.command.kind() == KvCommand.Kind.PUT)
					? KvOperation.indeterminatePut(client, this.invokedAt, this.command.key(), this.command.value())
					: KvOperation.indeterminateGet(client, this.invokedAt, this.command.key());
		}

	}

}
