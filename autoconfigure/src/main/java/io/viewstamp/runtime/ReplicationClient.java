package io.viewstamp.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import io.viewstamp.transport.MessageCodec;
import io.viewstamp.vsr.Reply;
import io.viewstamp.vsr.ReplyStatus;

/**
 * Submits commands to the cluster for callers on this replica's process.
 *
 * <p>The client keeps a pool of sessions, each with one request in flight, and sends each request
 * to the primary (this replica itself, or over the network). It resends a request that is not
 * answered, to the primary of the newest view it knows of and then to the other replicas in turn,
 * always with the same request number, so the cluster's client table applies it once. A reply
 * completes the caller's future only once this replica has applied the op too, so a caller reads
 * its own writes on this replica.
 *
 * <p>The rules that keep a restarted client from taking its predecessor's answers (see
 * {@code docs/protocol.md}): a register reply counts only when it echoes this session's
 * incarnation and names a newer session; a reply counts only for the session and request number
 * in flight; an eviction counts only from a view at least as new as any the client has heard from.
 *
 * <p>Everything but {@link #submit} runs on the replica's loop.
 */
public final class ReplicationClient {

	private static final int RESENDS_TO_ONE_REPLICA_MAX = 3;

	private final ClientEnvironment environment;

	private final RuntimeOptions options;

	private final Executor callbacks;

	private final SecureRandom random = new SecureRandom();

	private final AtomicInteger pendingCount = new AtomicInteger();

	private final ArrayDeque<PendingCommand> waiting = new ArrayDeque<>();

	private final List<ClientSession> sessions = new ArrayList<>();

	private final Map<Long, ClientSession> sessionsByClientId = new HashMap<>();

	private final PriorityQueue<Applied> awaitingApply = new PriorityQueue<>(Comparator.comparingLong(Applied::op));

	private long highestViewHeard;

	private volatile Throwable stopCause;

	ReplicationClient(ClientEnvironment environment, RuntimeOptions options, Executor callbacks) {
		this.environment = environment;
		this.options = options;
		this.callbacks = callbacks;
	}

	/**
	 * Submits {@code command}. Never blocks; callable from any thread.
	 * @param command the command bytes: at least one (the empty command is the replicas' own
	 * {@link StateChecks state check}) and at most {@link MessageCodec#BODY_SIZE_BYTES_MAX}
	 * @return completed with the state machine's result once the command is committed and applied
	 * on this replica; or failed with a {@link RequestTimeoutException} after the request timeout, a
	 * {@link SessionEvictedException}, or a {@link ReplicaStoppedException}, all of which leave the
	 * outcome unknown; or a {@link RequestFailedException} when too many commands already wait
	 */
	public CompletableFuture<byte[]> submit(byte[] command) {
		Objects.requireNonNull(command, "command");
		if (command.length > MessageCodec.BODY_SIZE_BYTES_MAX) {
			throw new IllegalArgumentException("A command of " + command.length + " bytes is more than the "
					+ MessageCodec.BODY_SIZE_BYTES_MAX + " bytes one request may carry: split it into smaller commands");
		}
		if (StateChecks.isCheck(command)) {
			throw new IllegalArgumentException("A command must have at least one byte: the empty command is reserved for "
					+ "the replicas' checks of their state");
		}
		return enqueue(command.clone(), false);
	}

	/**
	 * Submits a check of this replica's state against the primary's ({@link StateChecks}); its
	 * outcome is reported to the environment, and the future completes with the primary's digest.
	 */
	CompletableFuture<byte[]> checkState() {
		return enqueue(StateChecks.COMMAND, true);
	}

	private CompletableFuture<byte[]> enqueue(byte[] command, boolean stateCheck) {
		CompletableFuture<byte[]> future = new CompletableFuture<>();
		Throwable stopped = this.stopCause;
		if (stopped != null) {
			return CompletableFuture.failedFuture(new ReplicaStoppedException("The replica has stopped: " + stopped, stopped));
		}
		if (this.pendingCount.incrementAndGet() > this.options.pendingRequestsMax()) {
			this.pendingCount.decrementAndGet();
			return CompletableFuture.failedFuture(new RequestFailedException(this.options.pendingRequestsMax()
					+ " commands already wait for the cluster (RuntimeOptions.pendingRequestsMax): it does not keep up. "
					+ "Nothing was submitted; retry later or slow down."));
		}
		long deadline = this.environment.nanoTime() + this.options.requestTimeout().toNanos();
		PendingCommand pending = new PendingCommand(command, future, deadline, stateCheck);
		try {
			this.environment.execute(() -> {
				Throwable cause = this.stopCause;
				if (cause != null) {
					fail(pending, new ReplicaStoppedException("The replica has stopped: " + cause, cause));
					return;
				}
				this.waiting.add(pending);
				dispatch();
			});
		}
		catch (RuntimeException ex) {
			// The loop refuses work once the replica is closed.
			fail(pending, new ReplicaStoppedException("The replica has stopped: " + ex, ex));
		}
		return future;
	}

	// Loop side.

	/** Whether {@code clientId} is one of this client's sessions (so its replies are ours). */
	boolean owns(long clientId) {
		return this.sessionsByClientId.containsKey(clientId);
	}

	/** The number of open or opening sessions. */
	int sessions() {
		return this.sessions.size();
	}

	/** Handles a reply from the cluster. */
	void onReply(Reply reply) {
		ClientSession session = this.sessionsByClientId.get(reply.clientId());
		if (session == null) {
			return;
		}
		switch (session.state) {
			case REGISTERING -> onRegisterReply(session, reply);
			case BUSY -> onCommandReply(session, reply);
			case IDLE -> {
				// A duplicate of an answer already taken.
			}
		}
	}

	private void onRegisterReply(ClientSession session, Reply reply) {
		if (reply.requestNumber() != 0 || reply.status() != ReplyStatus.OK || reply.session() <= session.session
				|| reply.result().length != Long.BYTES
				|| ByteBuffer.wrap(reply.result()).order(ByteOrder.LITTLE_ENDIAN).getLong() != session.incarnation) {
			return;
		}
		hear(reply);
		session.session = reply.session();
		session.settle();
		dispatch();
	}

	private void onCommandReply(ClientSession session, Reply reply) {
		if (reply.session() != session.session || reply.requestNumber() != session.requestNumber) {
			return;
		}
		if (reply.status() == ReplyStatus.SESSION_EVICTED) {
			if (reply.view() < this.highestViewHeard) {
				// A deposed primary may not know the session; only a current view's word counts.
				return;
			}
			PendingCommand caller = session.caller;
			close(session);
			if (caller != null) {
				fail(caller, new SessionEvictedException("The cluster evicted this client's session (client "
						+ Long.toHexString(session.clientId) + ") while a command was in flight; it may or may not have been "
						+ "applied. More clients are active than ReplicaOptions.clientsMax allows."));
			}
			dispatch();
			return;
		}
		hear(reply);
		PendingCommand caller = session.caller;
		session.settle();
		if (caller != null) {
			this.awaitingApply.add(new Applied(reply.op(), reply.result(), caller));
			completeApplied();
		}
		dispatch();
	}

	/** Completes the callers whose ops this replica has applied. Called after every loop step. */
	void completeApplied() {
		long applied = this.environment.appliedOp();
		while (!this.awaitingApply.isEmpty() && this.awaitingApply.peek().op() <= applied) {
			Applied done = this.awaitingApply.poll();
			compareWithLocal(done);
			this.pendingCount.decrementAndGet();
			this.callbacks.execute(() -> done.caller().future().complete(done.result()));
		}
	}

	/**
	 * Compares the primary's result with this replica's for the same op. The caller gets the
	 * cluster's answer either way: the state in doubt is this replica's, or the primary's.
	 */
	private void compareWithLocal(Applied done) {
		AppliedResults.Comparison comparison = this.environment.compareWithLocalResult(done.op(), done.result());
		boolean stateCheck = done.caller().stateCheck();
		if (comparison == AppliedResults.Comparison.AGREES && stateCheck) {
			this.environment.reportStateAgreed(done.op());
		}
		if (comparison != AppliedResults.Comparison.DIFFERS) {
			return;
		}
		String what = stateCheck
				? "The primary's state at op " + done.op() + " is not this replica's (their SHA-256 digests differ)"
				: "The primary's result for op " + done.op() + " (" + done.result().length
						+ " bytes) is not any result this replica's state machine computed for that op";
		this.environment.reportDivergence(what + ": the two states have diverged. If the other replicas report no "
				+ "divergence, this one diverged; if every backup reports one, the primary did. A command is not "
				+ "deterministic (it reads a clock, a random generator or other state outside the replicated state; "
				+ "use ReplicatedContext), or the replicas run different versions of the application. Stop the "
				+ "replica that diverged, delete its data directory and restart it to recover a correct state from "
				+ "its peers.");
	}

	/** Resends what was not answered in time, and fails callers past their deadline. */
	void onTick() {
		long now = this.environment.nanoTime();
		long resendNanos = this.options.requestResendInterval().toNanos();
		for (ClientSession session : this.sessions) {
			if (session.state != ClientSession.State.IDLE && now - session.lastSentNanos >= resendNanos) {
				send(session);
			}
			if (session.caller != null && now - session.caller.deadlineNanos() >= 0) {
				PendingCommand caller = session.caller;
				// The session keeps the request in flight, so a late commit is still deduplicated.
				session.caller = null;
				fail(caller, timeout("was sent but not acknowledged", true));
			}
		}
		while (!this.waiting.isEmpty() && now - this.waiting.peek().deadlineNanos() >= 0) {
			fail(this.waiting.poll(), timeout("waited for a free session and was never sent", false));
		}
		for (Iterator<Applied> iterator = this.awaitingApply.iterator(); iterator.hasNext();) {
			Applied applied = iterator.next();
			if (now - applied.caller().deadlineNanos() >= 0) {
				iterator.remove();
				fail(applied.caller(), new RequestTimeoutException("The command committed at op " + applied.op()
						+ " but this replica had not applied it within the request timeout ("
						+ this.options.requestTimeout() + "); it is lagging behind the cluster."));
			}
		}
	}

	/** Fails every caller; the client takes no more commands. */
	void stop(Throwable cause) {
		this.stopCause = cause;
		ReplicaStoppedException stopped = new ReplicaStoppedException("The replica has stopped: " + cause, cause);
		for (ClientSession session : this.sessions) {
			if (session.caller != null) {
				fail(session.caller, stopped);
				session.caller = null;
			}
		}
		while (!this.waiting.isEmpty()) {
			fail(this.waiting.poll(), stopped);
		}
		while (!this.awaitingApply.isEmpty()) {
			fail(this.awaitingApply.poll().caller(), stopped);
		}
	}

	private RequestTimeoutException timeout(String what, boolean mayHaveApplied) {
		return new RequestTimeoutException("The command " + what + " within the request timeout ("
				+ this.options.requestTimeout() + ")" + (mayHaveApplied
						? "; it may still be applied, once. Check that a majority of replicas is running and connected."
						: "; it was not applied. No session was free: either the cluster does not answer (check that a majority "
								+ "of replicas is running and connected) or more commands are in flight than "
								+ "RuntimeOptions.clientSessionsMax (" + this.options.clientSessionsMax() + ") sessions carry."));
	}

	/** Hands waiting commands to idle sessions, opening sessions while the pool has room. */
	private void dispatch() {
		if (this.stopCause != null) {
			return;
		}
		int registering = 0;
		for (ClientSession session : this.sessions) {
			if (this.waiting.isEmpty()) {
				return;
			}
			if (session.state == ClientSession.State.IDLE) {
				session.begin(this.waiting.poll());
				send(session);
			}
			else if (session.state == ClientSession.State.REGISTERING) {
				registering++;
			}
		}
		while (this.waiting.size() > registering && this.sessions.size() < this.options.clientSessionsMax()) {
			open();
			registering++;
		}
	}

	private void open() {
		long clientId;
		do {
			clientId = this.random.nextLong();
		}
		while (clientId == 0 || this.sessionsByClientId.containsKey(clientId));
		ClientSession session = new ClientSession(clientId, this.random.nextLong());
		this.sessions.add(session);
		this.sessionsByClientId.put(clientId, session);
		send(session);
	}

	private void close(ClientSession session) {
		this.sessions.remove(session);
		this.sessionsByClientId.remove(session.clientId);
	}

	private void send(ClientSession session) {
		long view = Math.max(this.environment.localView(), this.highestViewHeard);
		// After a few unanswered sends the primary we believe in may be gone; backups drop requests
		// they can not serve, so trying the next replicas costs a message and finds the new primary.
		int target = Math.floorMod(this.environment.primaryOf(view) + session.unansweredSends / RESENDS_TO_ONE_REPLICA_MAX,
				this.environment.replicaCount());
		session.lastSentNanos = this.environment.nanoTime();
		session.unansweredSends++;
		this.environment.sendRequest(target, session.inFlight);
	}

	private void hear(Reply reply) {
		this.highestViewHeard = Math.max(this.highestViewHeard, reply.view());
	}

	private void fail(PendingCommand caller, RuntimeException cause) {
		this.pendingCount.decrementAndGet();
		this.callbacks.execute(() -> caller.future().completeExceptionally(cause));
	}

	/** A caller whose command committed at {@code op}, waiting for this replica to apply it. */
	private record Applied(long op, byte[] result, PendingCommand caller) {
	}

}
