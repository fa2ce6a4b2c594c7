package io.viewstamp.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.awaitility.core.ConditionTimeoutException;

import io.viewstamp.history.KvOperation;
import io.viewstamp.history.LocalReadChecker;
import io.viewstamp.runtime.ProcessCluster.RegisterAnswer;

import static org.awaitility.Awaitility.await;

/**
 * Callers of a {@link ProcessCluster} in the test's JVM that run a register workload, Jepsen's way:
 * on every replica a few threads, one call at a time, write unique values ({@code PUT}), compare and
 * set ({@code CAS}, expecting the value the caller last saw), and read both {@code LOCAL}ly and
 * {@code LINEARIZABLE}y. Each call's start and end (on this JVM's monotonic clock) and outcome are
 * recorded, so that the history can be checked afterwards: linearizability of the writes and
 * linearizable reads ({@link #history()}), the promises of local reads ({@link #observations()}),
 * and exactly-once in the ledgers ({@link #acknowledged()}, {@link #unknown()}).
 *
 * <p>Keys live for a few hundred calls and are then retired for fresh ones (as Jepsen's independent
 * keys), so each key's history stays short enough for the checker however long the run.
 */
final class RegisterWorkload implements AutoCloseable {

	/** Keys the callers share at any time. */
	private static final int KEYS_LIVE = 4;

	/** Calls issued on the live keys before they are retired for fresh ones. */
	private static final int CALLS_PER_KEY_GENERATION = 4 * 200;

	/** A thread ends its current call within the call's own timeout, plus this. */
	private static final Duration STOP_MARGIN = Duration.ofSeconds(20);

	/** The longest a caller waits for its replica to come back. */
	private static final Duration REPLICA_DOWN_MAX = Duration.ofSeconds(120);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

	private final ProcessCluster cluster;

	private final List<Thread> threads = new ArrayList<>();

	private final long startNanos = System.nanoTime();

	private final AtomicLong callsIssued = new AtomicLong();

	private final AtomicLong writesAcknowledged = new AtomicLong();

	private final List<KvOperation> history = Collections.synchronizedList(new ArrayList<>());

	private final List<LocalReadChecker.Observation> observations = Collections.synchronizedList(new ArrayList<>());

	private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

	private final Set<String> unknown = ConcurrentHashMap.newKeySet();

	private final Map<Call, Map<RegisterAnswer.Outcome, AtomicLong>> outcomes = new EnumMap<>(Call.class);

	private volatile boolean stopping;

	/**
	 * Starts the callers.
	 * @param cluster the cluster
	 * @param callersPerReplica callers on each replica
	 * @param seed the seed of the callers' choices
	 */
	RegisterWorkload(ProcessCluster cluster, int callersPerReplica, long seed) {
		this.cluster = cluster;
		for (Call call : Call.values()) {
			Map<RegisterAnswer.Outcome, AtomicLong> counts = new EnumMap<>(RegisterAnswer.Outcome.class);
			for (RegisterAnswer.Outcome outcome : RegisterAnswer.Outcome.values()) {
				counts.put(outcome, new AtomicLong());
			}
			this.outcomes.put(call, counts);
		}
		SplittableRandom seeds = new SplittableRandom(seed);
		int caller = 0;
		for (int replica = 0; replica < cluster.size(); replica++) {
			for (int index = 0; index < callersPerReplica; index++) {
				Caller runnable = new Caller(caller++, replica, seeds.split());
				Thread thread = new Thread(runnable::run, "register-caller-" + runnable.index + "-on-" + replica);
				thread.setDaemon(true);
				this.threads.add(thread);
			}
		}
		this.threads.forEach(Thread::start);
	}

	/** Stops every caller after its current call, and waits for them. */
	void stop(Duration requestTimeout) {
		this.stopping = true;
		long deadlineNanos = System.nanoTime() + requestTimeout.plus(STOP_MARGIN).toNanos();
		for (Thread thread : this.threads) {
			try {
				thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while stopping the register workload", ex);
			}
			if (thread.isAlive()) {
				throw new AssertionError("Caller " + thread.getName() + " was still calling after the stop");
			}
		}
	}

	@Override
	public void close() {
		this.stopping = true;
	}

	/** Writes acknowledged so far: the run's measure of progress. */
	long acknowledgedCount() {
		return this.writesAcknowledged.get();
	}

	/** Every write and linearizable read, for the linearizability checker; local reads are not in it. */
	List<KvOperation> history() {
		synchronized (this.history) {
			return List.copyOf(this.history);
		}
	}

	/** Every completed call with the op it showed, for the checks of local reads. */
	List<LocalReadChecker.Observation> observations() {
		synchronized (this.observations) {
			return List.copyOf(this.observations);
		}
	}

	/** The ledger ids of the acknowledged writes. */
	Set<String> acknowledged() {
		return Set.copyOf(this.acknowledged);
	}

	/** The ledger ids of the writes whose outcome is unknown: applied once or not at all. */
	Set<String> unknown() {
		return Set.copyOf(this.unknown);
	}

	/** Calls by kind and outcome, one line. */
	String summary() {
		StringBuilder summary = new StringBuilder("calls by outcome:");
		this.outcomes.forEach((call, counts) -> {
			summary.append(' ').append(call.name().toLowerCase(java.util.Locale.ROOT)).append(" {");
			counts.forEach((outcome, count) -> summary.append(outcome.name().toLowerCase(java.util.Locale.ROOT))
				.append('=')
				.append(count.get())
				.append(' '));
			summary.setCharAt(summary.length() - 1, '}');
		});
		return summary.toString();
	}

	private long now() {
		return System.nanoTime() - this.startNanos;
	}

	/** What a caller does. */
	private enum Call {

		PUT, CAS, LOCAL_READ, LINEARIZABLE_READ

	}

	/** One caller: a thread on one replica, one call at a time. */
	private final class Caller {

		private final int index;

		private final int replica;

		private final SplittableRandom random;

		/** The value this caller last saw for each key, to expect in a CAS. */
		private final Map<String, String> lastSeen = new HashMap<>();

		private long sequence;

		Caller(int index, int replica, SplittableRandom random) {
			this.index = index;
			this.replica = replica;
			this.random = random;
		}

		void run() {
			while (!RegisterWorkload.this.stopping && awaitReplicaReady()) {
				long generation = RegisterWorkload.this.callsIssued.getAndIncrement() / CALLS_PER_KEY_GENERATION;
				String key = "k" + generation + "." + this.random.nextInt(KEYS_LIVE);
				int draw = this.random.nextInt(100);
				Call call = (draw < 35) ? Call.PUT : (draw < 60) ? Call.CAS : (draw < 80) ? Call.LOCAL_READ
						: Call.LINEARIZABLE_READ;
				switch (call) {
					case PUT, CAS -> write(call, key);
					case LOCAL_READ, LINEARIZABLE_READ -> read(call, key);
				}
			}
		}

		private void write(Call call, String key) {
			String value = "v" + this.index + "." + this.sequence++;
			RegisterCommand command = (call == Call.PUT) ? RegisterCommand.put(key, value)
					: RegisterCommand.cas(key, this.lastSeen.get(key), value);
			long invokedAt = now();
			RegisterAnswer answer = RegisterWorkload.this.cluster.write(this.replica, command);
			long completedAt = now();
			count(call, answer);
			switch (answer.outcome()) {
				case OK -> {
					RegisterWorkload.this.acknowledged.add(command.id());
					RegisterWorkload.this.writesAcknowledged.incrementAndGet();
					RegisterWorkload.this.history.add((call == Call.PUT)
							? KvOperation.put(this.index, invokedAt, completedAt, key, value, answer.value())
							: KvOperation.cas(this.index, invokedAt, completedAt, key, command.expected(), value,
									answer.value()));
					observe(answer, invokedAt, completedAt, false, command.id());
					boolean set = command.setsRegisterHolding(answer.value());
					this.lastSeen.put(key, set ? value : answer.value());
				}
				case UNKNOWN -> {
					RegisterWorkload.this.unknown.add(command.id());
					RegisterWorkload.this.history.add((call == Call.PUT)
							? KvOperation.indeterminatePut(this.index, invokedAt, key, value)
							: KvOperation.indeterminateCas(this.index, invokedAt, key, command.expected(), value));
				}
				case NOT_SENT -> {
					// Never reached the replica: it did not happen.
				}
			}
		}

		private void read(Call call, String key) {
			boolean linearizable = call == Call.LINEARIZABLE_READ;
			long invokedAt = now();
			RegisterAnswer answer = RegisterWorkload.this.cluster.read(this.replica, key, linearizable);
			long completedAt = now();
			count(call, answer);
			if (answer.outcome() != RegisterAnswer.Outcome.OK) {
				// A read that returned nothing constrains nothing.
				return;
			}
			if (linearizable) {
				RegisterWorkload.this.history.add(KvOperation.get(this.index, invokedAt, completedAt, key, answer.value()));
			}
			observe(answer, invokedAt, completedAt, !linearizable,
					(linearizable ? "linearizable" : "local") + " read of " + key);
			this.lastSeen.put(key, answer.value());
		}

		private void observe(RegisterAnswer answer, long invokedAt, long completedAt, boolean localRead,
				String description) {
			RegisterWorkload.this.observations.add(new LocalReadChecker.Observation(
					"replica " + this.replica + " (pid " + answer.pid() + ")", this.index, invokedAt, completedAt,
					answer.op(), localRead, description));
		}

		private void count(Call call, RegisterAnswer answer) {
			RegisterWorkload.this.outcomes.get(call).get(answer.outcome()).incrementAndGet();
		}

		/**
		 * Waits while the replica is down or paused, as a user's client would rather than fail
		 * thousands of times against a closed port.
		 * @return whether to go on: the replica is ready and the workload is not stopping
		 */
		private boolean awaitReplicaReady() {
			if (RegisterWorkload.this.cluster.isReady(this.replica)) {
				// The common case, without the poll delay of an await.
				return !RegisterWorkload.this.stopping;
			}
			try {
				await("replica " + this.replica + " to serve callers again").atMost(REPLICA_DOWN_MAX)
					.pollInterval(POLL_INTERVAL)
					.until(() -> RegisterWorkload.this.stopping
							|| RegisterWorkload.this.cluster.isReady(this.replica));
				return !RegisterWorkload.this.stopping;
			}
			catch (ConditionTimeoutException ex) {
				// The test gave up on this replica; it fails on its own terms.
				return false;
			}
		}

	}

}
