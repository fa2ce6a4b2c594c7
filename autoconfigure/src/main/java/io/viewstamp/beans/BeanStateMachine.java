package io.viewstamp.beans;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import io.viewstamp.ReplicatedContext;
import io.viewstamp.ReplicationException;
import io.viewstamp.runtime.NamedCommands;
import io.viewstamp.vsr.StateMachine;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * The state machine of an application's {@code @Replicated} beans: applies each committed command
 * to the real bean (never its proxy), and captures and restores the state of every bean for
 * snapshots.
 *
 * <p>A command runs under the write lock of a read-write lock and local reads under its read
 * lock, so a read never sees a command half applied. While a command runs, its thread is marked
 * as applying: calls it makes to other replicated beans run on them directly, as part of the same
 * command, on every replica.
 *
 * <p>A command that throws has its exception returned to the caller; what the method changed
 * before throwing stays changed, on every replica alike. A command this application does not
 * know stops the replica (skipping it would make this replica's state diverge).
 */
public final class BeanStateMachine implements StateMachine, NamedCommands {

	/** Room for a small snapshot, so that the common case writes without growing the buffer. */
	private static final int SNAPSHOT_BUFFER_SIZE_BYTES_INITIAL = 4096;

	private final CommandCodec codec;

	private final JsonMapper snapshotMapper;

	private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

	/** Commands applied per bean since this process started; read by the actuator from any thread. */
	private final Map<String, LongAdder> commandsApplied = new ConcurrentHashMap<>();

	private final ThreadLocal<Boolean> applying = new ThreadLocal<>();

	/** By name, sorted, so that snapshots list the beans in the same order on every replica; guarded by the lock. */
	private final Map<String, ReplicatedBean> beans = new TreeMap<>();

	/**
	 * The names of the registered beans' commands; concurrent, as the network's threads read it at
	 * each handshake, and never behind the lock, which a long command holds.
	 */
	private final Set<String> commandNames = new ConcurrentSkipListSet<>();

	/** The op of the last command applied, and that command's index among its op's commands (one op may carry many). */
	private long lastOp = -1;

	private int lastCommandInOp;

	/**
	 * @param mapper the application's Jackson mapper, configured the same way on every replica
	 */
	public BeanStateMachine(JsonMapper mapper) {
		Objects.requireNonNull(mapper, "mapper");
		this.codec = new CommandCodec(mapper);
		// Equal states must give equal snapshot bytes on every replica: the replicas compare them.
		this.snapshotMapper = CanonicalOrder.of(mapper);
	}

	/** The codec of this application's commands. */
	public CommandCodec codec() {
		return this.codec;
	}

	/**
	 * Registers a {@code @Replicated} bean, after checking that each of its commands, reads and
	 * state fields can be encoded.
	 * @param name the bean's name, the same on every replica
	 * @param target the real bean (not a proxy of it)
	 * @throws IllegalStateException naming the bean, the method or field, and the fix, when it can not
	 * be replicated, or when a bean of that name is registered already
	 */
	public void register(String name, Object target) {
		register(name, target, ClassUtils.getUserClass(target));
	}

	ReplicatedBean register(String name, Object target, Class<?> type) {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(target, "target");
		if (name.isEmpty()) {
			throw new IllegalStateException("A @Replicated bean needs a name: the empty name is reserved");
		}
		ReplicatedBean bean = ReplicatedBean.of(name, target, type, this.codec);
		this.lock.writeLock().lock();
		try {
			if (this.beans.containsKey(name)) {
				throw new IllegalStateException("A @Replicated bean named '" + name + "' is registered already: "
						+ "replicated beans must be singletons with unique names");
			}
			this.beans.put(name, bean);
			bean.methods()
				.values()
				.stream()
				.filter(ReplicatedMethod::isCommand)
				.forEach((method) -> this.commandNames.add(method.commandName(name)));
		}
		finally {
			this.lock.writeLock().unlock();
		}
		return bean;
	}

	/**
	 * The names of every command of every registered bean, {@code bean#signature}, which the replica
	 * advertises to its peers; reads are left out, as they never travel.
	 */
	@Override
	public Set<String> commandNames() {
		return Collections.unmodifiableSet(this.commandNames);
	}

	/** Whether this thread is applying a command (so a call of a replicated bean is part of it). */
	boolean isApplying() {
		return this.applying.get() != null;
	}

	/** Whether this thread is inside a local read, where waiting for a command would deadlock. */
	boolean isReading() {
		return this.lock.getReadHoldCount() > 0 && !this.lock.isWriteLockedByCurrentThread();
	}

	/** The lock local reads hold. */
	Lock readLock() {
		return this.lock.readLock();
	}

	/**
	 * The commands applied to each replicated bean since this process started, by bean name; a
	 * replica that restored a snapshot counts only what it applied after it.
	 * @return bean name to commands applied, every registered bean included
	 */
	public Map<String, Long> commandsApplied() {
		Map<String, Long> counts = new TreeMap<>();
		for (String name : this.beans.keySet()) {
			LongAdder applied = this.commandsApplied.get(name);
			counts.put(name, (applied != null) ? applied.sum() : 0);
		}
		return counts;
	}

	@Override
	public byte[] apply(long op, long timestamp, byte[] command) {
		int commandInOp = (op == this.lastOp) ? this.lastCommandInOp + 1 : 0;
		this.lastOp = op;
		this.lastCommandInOp = commandInOp;
		this.lock.writeLock().lock();
		try {
			CommandCodec.Call call = this.codec.decodeCall(command, (bean, signature) -> find(op, bean, signature));
			if (call.method() == null) {
				// The barrier of a linearizable read: applying it is all it asks.
				return this.codec.encodeResult(null, null);
			}
			ReplicatedBean bean = Objects.requireNonNull(this.beans.get(call.bean()), "found by the decoding");
			this.commandsApplied.computeIfAbsent(call.bean(), (name) -> new LongAdder()).increment();
			this.applying.set(Boolean.TRUE);
			try (ReplicatedContext.Scope scope = ReplicatedContext.enter(op, commandInOp, timestamp)) {
				return invoke(bean, call);
			}
			finally {
				this.applying.remove();
			}
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	private @Nullable ReplicatedMethod find(long op, String beanName, String signature) {
		if (CommandCodec.BARRIER_BEAN.equals(beanName) && CommandCodec.BARRIER_SIGNATURE.equals(signature)) {
			return null;
		}
		ReplicatedBean bean = this.beans.get(beanName);
		ReplicatedMethod method = (bean != null) ? bean.method(signature) : null;
		if (method == null) {
			throw new IllegalStateException("Op " + op + " calls " + signature + " of @Replicated bean '" + beanName
					+ "', which this application " + ((bean == null) ? "does not have (its replicated beans are "
							+ this.beans.keySet() + ")" : "does not declare")
					+ ". The replica stops: skipping the command would make its state diverge from the replicas that "
					+ "applied it. Run the same version of the application on every replica, then restart this one.");
		}
		return method;
	}

	private byte[] invoke(ReplicatedBean bean, CommandCodec.Call call) {
		ReplicatedMethod method = Objects.requireNonNull(call.method(), "the barrier is answered before");
		Object value;
		try {
			value = method.method().invoke(bean.target(), call.arguments());
			if (method.returnsFuture() && value != null) {
				// Documented: the bean's future must complete without waiting for other commands.
				value = ((CompletableFuture<?>) value).join();
			}
		}
		catch (InvocationTargetException ex) {
			return encodeThrown(Objects.requireNonNull(ex.getCause(), "Method.invoke wraps what the method threw"));
		}
		catch (CompletionException ex) {
			return encodeThrown((ex.getCause() != null) ? ex.getCause() : ex);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("Viewstamp can not call " + method.signature() + " of bean '" + bean.name()
					+ "': " + ex.getMessage(), ex);
		}
		try {
			return this.codec.encodeResult(method, value);
		}
		catch (JacksonException ex) {
			// The same value fails the same way on every replica, so the caller gets the error instead.
			return this.codec.encodeException(new ReplicationException("The result of " + method.signature() + " of bean '"
					+ bean.name() + "' could not be encoded: " + ex.getOriginalMessage()
					+ ". Return a type Jackson can write (the command was applied)."));
		}
	}

	private byte[] encodeThrown(Throwable thrown) {
		if (thrown instanceof VirtualMachineError error) {
			// Running out of memory or stack happens on one replica, not on all: it is no result.
			throw error;
		}
		return this.codec.encodeException(thrown);
	}

	/**
	 * Captures every bean's state: a JSON object of bean name to state, names sorted, each state
	 * its {@code ReplicatedState.snapshot()} or its fields in declaration order.
	 */
	@Override
	public byte[] snapshot() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(SNAPSHOT_BUFFER_SIZE_BYTES_INITIAL);
		this.lock.readLock().lock();
		try (JsonGenerator generator = this.snapshotMapper.createGenerator(bytes)) {
			generator.writeStartObject();
			for (ReplicatedBean bean : this.beans.values()) {
				generator.writeName(bean.name());
				bean.writeState(generator, this.snapshotMapper);
			}
			generator.writeEndObject();
		}
		finally {
			this.lock.readLock().unlock();
		}
		return bytes.toByteArray();
	}

	/**
	 * Replaces the state of every bean in the snapshot. A bean registered since the snapshot was
	 * taken keeps its state, as it would have had it when the snapshot was taken.
	 * @throws IllegalStateException when the snapshot names a bean or field this application does
	 * not have
	 */
	@Override
	public void restore(byte[] snapshot) {
		this.lock.writeLock().lock();
		try (JsonParser parser = this.snapshotMapper.createParser(snapshot)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw new IllegalStateException("A snapshot of replicated beans is a JSON object; this one starts with "
						+ parser.currentToken());
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				ReplicatedBean bean = this.beans.get(name);
				if (bean == null) {
					throw new IllegalStateException("The snapshot holds the state of @Replicated bean '" + name
							+ "', which this application does not have (it has " + this.beans.keySet()
							+ "): run the same version of the application on every replica");
				}
				parser.nextToken();
				bean.readState(parser, this.snapshotMapper);
			}
			// The next op starts a new count of commands.
			this.lastOp = -1;
			this.lastCommandInOp = 0;
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	/** The registered bean named {@code name}, or {@code null}. */
	@Nullable ReplicatedBean bean(String name) {
		this.lock.readLock().lock();
		try {
			return this.beans.get(name);
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

}
