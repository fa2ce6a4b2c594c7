package io.viewstamp.beans;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import io.viewstamp.CommandNotYetAvailableException;
import io.viewstamp.Consistency;
import io.viewstamp.ReplicationCommittedException;
import io.viewstamp.ReplicationException;
import io.viewstamp.ReplicationTimeoutException;
import io.viewstamp.ReplicationUnavailableException;
import io.viewstamp.runtime.CommandGateway;
import io.viewstamp.runtime.CommittedNotAppliedException;
import io.viewstamp.runtime.ReplicaStoppedException;
import io.viewstamp.runtime.RequestFailedException;
import io.viewstamp.runtime.RequestTimeoutException;
import io.viewstamp.runtime.SessionEvictedException;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

/**
 * The advice of a replicated bean's proxy: a command goes through the log and returns what the
 * real bean returned on this replica; a local read runs on the bean under the read lock; a
 * linearizable read first waits for the runtime's read barrier to pass through the log. A call made while a command
 * is being applied is part of that command and runs on the bean directly.
 */
final class ReplicatedBeanInterceptor implements MethodInterceptor {

	private final ReplicatedBean bean;

	private final BeanStateMachine stateMachine;

	private final Supplier<? extends @Nullable CommandGateway> client;

	private final Supplier<CommandObserver> observer;

	ReplicatedBeanInterceptor(ReplicatedBean bean, BeanStateMachine stateMachine,
			Supplier<? extends @Nullable CommandGateway> client) {
		this(bean, stateMachine, client, () -> CommandObserver.NONE);
	}

	ReplicatedBeanInterceptor(ReplicatedBean bean, BeanStateMachine stateMachine,
			Supplier<? extends @Nullable CommandGateway> client, Supplier<CommandObserver> observer) {
		this.bean = bean;
		this.stateMachine = stateMachine;
		this.client = client;
		this.observer = observer;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		ReplicatedMethod method = this.bean.method(invocation.getMethod());
		if (this.stateMachine.isApplying()) {
			// A nested call is part of the command being applied, on every replica.
			return invocation.proceed();
		}
		if (method == null) {
			refuseNonPublic(invocation.getMethod());
			// Object's methods, and the bean's own calls of ReplicatedState's, are not replicated.
			return invocation.proceed();
		}
		if (!method.isCommand()) {
			if (method.readConsistency() == Consistency.LINEARIZABLE && !this.stateMachine.isReading()) {
				return readLinearizably(invocation, method);
			}
			return readLocally(invocation);
		}
		if (this.stateMachine.isReading()) {
			throw new IllegalStateException(CommandCodec.describe(this.bean.name(), method.method())
					+ " is a command, called from a @ReadOnly method: a read can not wait for a command, which needs the "
					+ "state the read holds. Call the command outside the read.");
		}
		byte[] command = this.stateMachine.codec().encodeCall(this.bean.name(), method, invocation.getArguments());
		// Observed from the submission, so that encoding, a caller's own failure, is not counted as replication time.
		CommandObserver.Call call = start(method, CommandObserver.Kind.COMMAND);
		CompletableFuture<byte[]> submitted;
		try {
			submitted = submit(method, command, call);
		}
		catch (RuntimeException | Error ex) {
			// Refused before it was sent (a command too large for a request, say): the call ends here.
			complete(call, ex);
			throw ex;
		}
		if (method.returnsFuture()) {
			return completeLater(method, submitted, call);
		}
		Throwable failure = null;
		try {
			return decode(method, await(submitted, method)).get();
		}
		catch (Throwable ex) {
			failure = ex;
			throw ex;
		}
		finally {
			complete(call, failure);
		}
	}

	/** A linearizable read: its barrier through the log, then the read on this replica, observed as one call. */
	private @Nullable Object readLinearizably(MethodInvocation invocation, ReplicatedMethod method) throws Throwable {
		CommandObserver.Call call = start(method, CommandObserver.Kind.LINEARIZABLE_READ);
		Throwable failure = null;
		try {
			await(barrier(method, call), method);
			return readLocally(invocation);
		}
		catch (Throwable ex) {
			failure = ex;
			throw ex;
		}
		finally {
			complete(call, failure);
		}
	}

	/**
	 * Refuses a call of a package-private or protected method from outside the bean: only public
	 * methods are commands and reads, so such a call would change or read this replica's bean
	 * alone, outside the lock that keeps reads from seeing a command half applied. The bean's
	 * calls of its own methods do not pass the proxy, and are not affected.
	 */
	private void refuseNonPublic(Method called) {
		if (!Modifier.isPublic(called.getModifiers()) && called.getDeclaringClass() != Object.class) {
			throw new IllegalStateException(CommandCodec.describe(this.bean.name(), called) + " is not public, so a call "
					+ "of it from outside the bean would run on this replica only, unreplicated. Make it public: a "
					+ "command, or a read with @ReadOnly.");
		}
	}

	/** Tells the observer a call starts; an observer's failure must not become the call's. */
	private CommandObserver.Call start(ReplicatedMethod method, CommandObserver.Kind kind) {
		try {
			return this.observer.get().started(this.bean.name(), method.signature(), kind);
		}
		catch (RuntimeException ex) {
			// The call's outcome is what the caller needs; a broken observer only loses one observation.
			return CommandObserver.Call.NONE;
		}
	}

	private static void complete(CommandObserver.Call call, @Nullable Throwable failure) {
		try {
			call.completed(failure);
		}
		catch (RuntimeException ex) {
			// As in start: the observation is lost, not the call.
		}
	}

	/** Tells the call the op that carried it; on the thread that completes the call, before it completes. */
	private static LongConsumer committedAt(CommandObserver.Call call) {
		return (op) -> {
			try {
				call.committedAt(op);
			}
			catch (RuntimeException ex) {
				// As in start.
			}
		};
	}

	private @Nullable Object readLocally(MethodInvocation invocation) throws Throwable {
		this.stateMachine.readLock().lock();
		try {
			return invocation.proceed();
		}
		finally {
			this.stateMachine.readLock().unlock();
		}
	}

	private CompletableFuture<byte[]> submit(ReplicatedMethod method, byte[] command, CommandObserver.Call call) {
		CommandGateway gateway = this.client.get();
		if (gateway == null) {
			return notRunning(method);
		}
		// In a rolling upgrade, a member still on the old release would have to stop at a command it lacks.
		String name = method.commandName(this.bean.name());
		SortedMap<Integer, String> lacking = gateway.replicasLacking(name);
		if (!lacking.isEmpty()) {
			return CompletableFuture.failedFuture(new CommandNotYetAvailableException(name, lacking));
		}
		return gateway.submit(command, (call == CommandObserver.Call.NONE) ? null : committedAt(call));
	}

	/** The barrier of a linearizable read, through the runtime's own path for it. */
	private CompletableFuture<byte[]> barrier(ReplicatedMethod method, CommandObserver.Call call) {
		CommandGateway gateway = this.client.get();
		if (gateway == null) {
			return notRunning(method);
		}
		return gateway.barrier((call == CommandObserver.Call.NONE) ? null : committedAt(call));
	}

	private CompletableFuture<byte[]> notRunning(ReplicatedMethod method) {
		return CompletableFuture.failedFuture(new ReplicationUnavailableException("Can not call " + describe(method)
				+ ": this application's replica is not running yet. Call replicated beans once the application has "
				+ "started (not from a constructor or @PostConstruct)."));
	}

	private byte[] await(CompletableFuture<byte[]> submitted, ReplicatedMethod method) {
		try {
			return submitted.get();
		}
		catch (ExecutionException ex) {
			throw translate(ex.getCause(), method);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ReplicationException("Interrupted while waiting for " + describe(method)
					+ "; it may or may not be applied", ex);
		}
	}

	/**
	 * The caller's future of a command that returns one. The observer is told of the outcome before
	 * the caller's future completes, so that the call's observation ends inside whatever the caller
	 * does next (its own span, say).
	 */
	private CompletableFuture<Object> completeLater(ReplicatedMethod method, CompletableFuture<byte[]> submitted,
			CommandObserver.Call call) {
		CompletableFuture<Object> result = new CompletableFuture<>();
		submitted.whenComplete((bytes, failure) -> {
			if (failure != null) {
				Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
						: failure;
				RuntimeException translated = translate(cause, method);
				complete(call, translated);
				result.completeExceptionally(translated);
				return;
			}
			Object value;
			try {
				CommandCodec.Outcome outcome = decode(method, bytes);
				Throwable thrown = outcome.thrown();
				if (thrown != null) {
					complete(call, thrown);
					result.completeExceptionally(thrown);
					return;
				}
				value = outcome.value();
			}
			catch (RuntimeException | Error ex) {
				complete(call, ex);
				result.completeExceptionally(ex);
				return;
			}
			complete(call, null);
			result.complete(value);
		});
		return result;
	}

	private CommandCodec.Outcome decode(ReplicatedMethod method, byte[] result) {
		return this.stateMachine.codec().decodeResult(method, result, this.bean.type().getClassLoader());
	}

	/** The runtime's failures, in the API's terms; the runtime's message says what is known of the outcome. */
	private RuntimeException translate(@Nullable Throwable cause, ReplicatedMethod method) {
		String what = describe(method);
		if (cause instanceof RequestTimeoutException) {
			return new ReplicationTimeoutException(what + " timed out; its outcome is unknown: " + cause.getMessage(), cause);
		}
		if (cause instanceof CommittedNotAppliedException committed) {
			return new ReplicationCommittedException(what + " committed at op " + committed.op() + " but its result is not "
					+ "available on this replica yet: " + cause.getMessage(), committed.op(), cause);
		}
		if (cause instanceof SessionEvictedException) {
			return new ReplicationException(what + " lost its session; its outcome is unknown: " + cause.getMessage(), cause);
		}
		if (cause instanceof ReplicaStoppedException) {
			return new ReplicationUnavailableException(what + " failed because this replica stopped; its outcome is "
					+ "unknown: " + cause.getMessage(), cause);
		}
		if (cause instanceof RequestFailedException) {
			return new ReplicationException(what + " failed: " + cause.getMessage(), cause);
		}
		if (cause instanceof RuntimeException runtime) {
			return runtime;
		}
		return new ReplicationException(what + " failed: " + cause, cause);
	}

	private String describe(ReplicatedMethod method) {
		return (method.isCommand() ? "command " : "linearizable read ") + method.signature() + " of bean '"
				+ this.bean.name() + "'";
	}

}
