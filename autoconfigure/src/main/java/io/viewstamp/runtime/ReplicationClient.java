package io.viewstamp.runtime;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

import io.viewstamp.transport.MessageCodec;
import io.viewstamp.vsr.Client;
import io.viewstamp.vsr.ClientFailure;
import io.viewstamp.vsr.ClientHost;
import io.viewstamp.vsr.ClientOptions;
import io.viewstamp.vsr.Reply;
import io.viewstamp.vsr.Request;
import org.jspecify.annotations.Nullable;

/**
 * Submits commands to the cluster for callers on this replica's process: a threaded shell around
 * the protocol's deterministic {@link Client}, which holds every rule of sessions, resends, primary
 * discovery, replies and read-your-writes (and which the simulator runs under its faults).
 *
 * <p>This class adds what threads need: {@link #submit} may be called from any thread and hands
 * the command to the replica's loop, where the client runs; results reach callers on the callback
 * executor, never on the loop. It also compares every result with the one this replica computed
 * for the same op, which is how a diverged replica is noticed.
 *
 * <p>Everything but {@link #submit} and {@link #barrier} runs on the replica's loop.
 */
public final class ReplicationClient implements CommandGateway {

	private final ClientEnvironment environment;

	private final RuntimeOptions options;

	private final Executor callbacks;

	/** Submissions admitted and not finished: the bound that keeps the loop's queue bounded. */
	private final AtomicInteger admitted = new AtomicInteger();

	/** Loop only. */
	private final Client client;

	/** Loop only: the callers of the client's unfinished submissions, by ticket. */
	private final Map<Long, PendingCommand> pending = new HashMap<>();

	/** Why the client stopped, {@code null} while it runs. */
	private volatile @Nullable Throwable stopCause;

	ReplicationClient(ClientEnvironment environment, RuntimeOptions options, Executor callbacks) {
		this.environment = environment;
		this.options = options;
		this.callbacks = callbacks;
		SecureRandom random = new SecureRandom();
		this.client = new Client(environment.cluster(), environment.localReplica(), clientOptions(options), new Host(),
				random, random);
	}

	/** The client's limits in ticks of the replica's loop. */
	static ClientOptions clientOptions(RuntimeOptions options) {
		return new ClientOptions(options.clientSessionsMax(), options.pendingRequestsMax(),
				ticks(options.requestResendInterval(), options.tickInterval()),
				ticks(options.requestTimeout(), options.tickInterval()));
	}

	private static long ticks(Duration duration, Duration tick) {
		long tickNanos = tick.toNanos();
		return Math.max(1, (duration.toNanos() + tickNanos - 1) / tickNanos);
	}

	/**
	 * Submits {@code command}. Never blocks; callable from any thread.
	 * @param command the command bytes: at least one, not the single byte 0 (the empty command and
	 * that byte are the replicas' own state checks and read barriers), and at most
	 * {@link MessageCodec#BODY_SIZE_BYTES_MAX}
	 * @return completed with the state machine's result once the command is committed and applied
	 * on this replica; or failed with a {@link RequestTimeoutException} after the request timeout,
	 * a {@link SessionEvictedException}, or a {@link ReplicaStoppedException}, all of which leave
	 * the outcome unknown; a {@link CommittedNotAppliedException}, when it committed but this replica
	 * lags; or a {@link RequestFailedException} when too many commands already wait
	 */
	public CompletableFuture<byte[]> submit(byte[] command) {
		return submit(command, null);
	}

	/**
	 * {@link #submit(byte[])}, telling {@code committedAt} the op that carries the command before
	 * the future completes.
	 * @param command the command bytes
	 * @param committedAt told the op, on the thread that completes the future; or {@code null}
	 * @return as {@link #submit(byte[])}
	 */
	@Override
	public CompletableFuture<byte[]> submit(byte[] command, @Nullable LongConsumer committedAt) {
		Objects.requireNonNull(command, "command");
		if (command.length > MessageCodec.BODY_SIZE_BYTES_MAX) {
			throw new IllegalArgumentException("A command of " + command.length + " bytes is more than the "
					+ MessageCodec.BODY_SIZE_BYTES_MAX + " bytes one request may carry: split it into smaller commands");
		}
		if (StateChecks.isCheck(command)) {
			throw new IllegalArgumentException("A command must have at least one byte: the empty command is reserved for "
					+ "the replicas' checks of their state");
		}
		if (ReadBarriers.isBarrier(command)) {
			throw new IllegalArgumentException("The command of the single byte 0 is reserved for the barrier of "
					+ "linearizable reads (see barrier()): give the command another encoding");
		}
		return enqueue(command.clone(), false, committedAt);
	}

	/**
	 * The members of the cluster that, by their last handshake with this replica, do not know the
	 * command named {@code commandName}: they run an older release of the application, and a
	 * command submitted now would stop them. Callable from any thread; cheap enough to ask before
	 * each command.
	 * @param commandName a name the application's {@link NamedCommands} gives
	 * @return index to address ({@code host:port}) of each member lacking it, in index order; empty
	 * when none does, and always for a state machine that names no commands
	 */
	@Override
	public SortedMap<Integer, String> replicasLacking(String commandName) {
		return this.environment.replicasLacking(Objects.requireNonNull(commandName, "commandName"));
	}

	/**
	 * Sends a barrier through the log: completes once every command acknowledged before this call,
	 * on any replica, is applied on this replica, so that a read of this replica's state that
	 * follows is linearizable. Never blocks; callable from any thread.
	 * @return completed (with an empty result) once the barrier is applied here; or failed as
	 * {@link #submit} fails, except that a barrier's outcome never matters
	 */
	public CompletableFuture<byte[]> barrier() {
		return barrier(null);
	}

	/**
	 * {@link #barrier()}, telling {@code committedAt} the op that carries the barrier before the
	 * future completes.
	 * @param committedAt told the op, on the thread that completes the future; or {@code null}
	 * @return as {@link #barrier()}
	 */
	@Override
	public CompletableFuture<byte[]> barrier(@Nullable LongConsumer committedAt) {
		return enqueue(ReadBarriers.command(), false, committedAt);
	}

	/**
	 * Submits a check of this replica's state against the primary's ({@link StateChecks}); its
	 * outcome is reported to the environment, and the future completes with the primary's digest.
	 */
	CompletableFuture<byte[]> checkState() {
		return enqueue(StateChecks.COMMAND, true, null);
	}

	private CompletableFuture<byte[]> enqueue(byte[] command, boolean stateCheck, @Nullable LongConsumer committedAt) {
		Throwable stopped = this.stopCause;
		if (stopped != null) {
			return CompletableFuture.failedFuture(stopped(stopped));
		}
		if (this.admitted.incrementAndGet() > this.options.pendingRequestsMax()) {
			this.admitted.decrementAndGet();
			return CompletableFuture.failedFuture(new RequestFailedException(this.options.pendingRequestsMax()
					+ " commands already wait for the cluster (replication.pending-requests, RuntimeOptions.pendingRequestsMax): "
					+ "it does not keep up. Nothing was submitted; retry later or slow down."));
		}
		PendingCommand caller = new PendingCommand(command, new CompletableFuture<>(), stateCheck, committedAt);
		try {
			this.environment.execute(() -> submitOnLoop(caller));
		}
		catch (RuntimeException ex) {
			// The loop refuses work once the replica is closed.
			fail(caller, new ReplicaStoppedException("The replica has stopped: " + ex, ex));
		}
		return caller.future();
	}

	private void submitOnLoop(PendingCommand caller) {
		if (this.client.isStopped()) {
			fail(caller, stopped(stopCause()));
			return;
		}
		// The admission count keeps within the client's room: both count the same submissions.
		this.pending.put(this.client.submit(caller.command()), caller);
	}

	// Loop side.

	/** Whether {@code clientId} is one of this client's sessions (so its replies are ours). */
	boolean owns(long clientId) {
		return this.client.owns(clientId);
	}

	/** Submissions not finished: waiting, in flight, or awaiting this replica's apply. Loop only. */
	int unfinished() {
		return this.client.unfinishedCount();
	}

	/** The number of open or opening sessions. */
	int sessions() {
		return this.client.sessionCount();
	}

	/** Handles a reply from the cluster. */
	void onReply(Reply reply) {
		this.client.receive(reply);
	}

	/** Completes the callers whose ops this replica has applied. Called after every loop step. */
	void completeApplied() {
		this.client.localReplicaAt(this.environment.localView(), this.environment.isLocalReplicaNormal(),
				this.environment.appliedOp(), this.environment.localConfiguration());
	}

	/** Resends what was not answered in time, and fails callers past their deadline. */
	void onTick() {
		this.client.tick();
	}

	/** Fails every caller; the client takes no more commands. */
	void stop(Throwable cause) {
		this.stopCause = cause;
		this.client.stop();
	}

	/**
	 * Compares the primary's result with this replica's for the same op. The caller gets the
	 * cluster's answer either way: the state in doubt is this replica's, or the primary's.
	 */
	private void compareWithLocal(long op, byte[] result, boolean stateCheck) {
		AppliedResults.Comparison comparison = this.environment.compareWithLocalResult(op, result);
		if (comparison == AppliedResults.Comparison.AGREES && stateCheck) {
			this.environment.reportStateAgreed(op);
		}
		if (comparison != AppliedResults.Comparison.DIFFERS) {
			return;
		}
		String what = stateCheck
				? "The primary's state at op " + op + " is not this replica's (their SHA-256 digests differ)"
				: "The primary's result for op " + op + " (" + result.length
						+ " bytes) is not any result this replica's state machine computed for that op";
		this.environment.reportDivergence(what + ": the two states have diverged. If the other replicas report no "
				+ "divergence, this one diverged; if every backup reports one, the primary did. A command is not "
				+ "deterministic (it reads a clock, a random generator or other state outside the replicated state; "
				+ "use ReplicatedContext), or the replicas run different versions of the application. Stop the "
				+ "replica that diverged, delete its data directory and restart it to recover a correct state from "
				+ "its peers.");
	}

	private RuntimeException failure(ClientFailure failure, long op) {
		Duration timeout = this.options.requestTimeout();
		return switch (failure) {
			case NOT_SENT -> new RequestTimeoutException("The command waited for a free session and was never sent within "
					+ "the request timeout (" + timeout + "); it was not applied. No session was free: either the cluster "
					+ "does not answer (check that a majority of replicas is running and connected) or more commands are in "
					+ "flight than this replica's " + this.options.clientSessionsMax() + " sessions carry "
					+ "(replication.client-sessions, RuntimeOptions.clientSessionsMax).");
			case OUTCOME_UNKNOWN -> new RequestTimeoutException("The command was sent but not acknowledged within the "
					+ "request timeout (" + timeout + "); it may still be applied, once. Check that a majority of replicas "
					+ "is running and connected.");
			case COMMITTED_NOT_APPLIED -> new CommittedNotAppliedException("The command committed at op " + op
					+ " but this replica had not applied it within the request timeout (" + timeout + "): it is lagging "
					+ "behind the cluster. The command will be applied, once; do not submit it again.", op);
			case SESSION_EVICTED -> new SessionEvictedException("The cluster evicted this client's session while a "
					+ "command was in flight; it may or may not have been applied. More sessions are active across the "
					+ "cluster than its client table keeps (ReplicaOptions.clientsMax, the same on every replica): lower "
					+ "replication.client-sessions on the replicas, or run fewer of them.");
			case STOPPED -> stopped(stopCause());
		};
	}

	/** Why the client stopped, once it has: {@link #stop} sets it before it stops the client. */
	private Throwable stopCause() {
		return Objects.requireNonNull(this.stopCause, "the cause is set before the client stops");
	}

	private static ReplicaStoppedException stopped(Throwable cause) {
		return new ReplicaStoppedException("The replica has stopped: " + cause, cause);
	}

	private void fail(PendingCommand caller, RuntimeException cause) {
		this.admitted.decrementAndGet();
		this.callbacks.execute(() -> caller.future().completeExceptionally(cause));
	}

	/** The client's way out: requests to the environment, outcomes to the callers. */
	private final class Host implements ClientHost {

		@Override
		public void send(int replica, Request request) {
			ReplicationClient.this.environment.sendRequest(replica, request);
		}

		@Override
		public void completed(long ticket, Reply reply) {
			PendingCommand caller = ReplicationClient.this.pending.remove(ticket);
			compareWithLocal(reply.op(), reply.result(), caller.stateCheck());
			ReplicationClient.this.admitted.decrementAndGet();
			ReplicationClient.this.callbacks.execute(() -> {
				LongConsumer committedAt = caller.committedAt();
				if (committedAt != null) {
					committedAt.accept(reply.op());
				}
				caller.future().complete(reply.result());
			});
		}

		@Override
		public void failed(long ticket, ClientFailure failure, long op) {
			PendingCommand caller = ReplicationClient.this.pending.remove(ticket);
			LongConsumer committedAt = caller.committedAt();
			if (failure == ClientFailure.COMMITTED_NOT_APPLIED && committedAt != null) {
				// Committed, though not applied here in time: the op is known, and traces name it.
				RuntimeException cause = failure(failure, op);
				ReplicationClient.this.admitted.decrementAndGet();
				ReplicationClient.this.callbacks.execute(() -> {
					committedAt.accept(op);
					caller.future().completeExceptionally(cause);
				});
				return;
			}
			fail(caller, failure(failure, op));
		}

	}

}
