package io.viewstamp.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import org.awaitility.core.ConditionTimeoutException;

import io.viewstamp.runtime.ProcessCluster.Submission;

import static org.awaitility.Awaitility.await;

/**
 * Clients of a {@link ProcessCluster} in the test's JVM: on every replica, a few threads submit
 * unique ids ({@code <prefix>-<replica>-<thread>-<sequence>}) one after another through that
 * replica's control server, until each has submitted its maximum or the load is stopped. The load
 * remembers what became of every id, so a test can check that each acknowledged id is applied
 * exactly once and that no id it never submitted appears.
 */
final class ClusterLoad implements AutoCloseable {

	/** A thread ends its current submit within the submit's own timeout, plus this. */
	private static final Duration STOP_MARGIN = Duration.ofSeconds(20);

	/** The longest a client waits for its replica to come back. */
	private static final Duration REPLICA_DOWN_MAX = Duration.ofSeconds(120);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

	private final ProcessCluster cluster;

	private final String prefix;

	private final int commandsPerThreadMax;

	private final List<Thread> threads = new ArrayList<>();

	private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

	/** Ids whose outcome is unknown: timed out, or the replica was down or died. */
	private final Set<String> unknown = ConcurrentHashMap.newKeySet();

	/** Acknowledged ids whose count was not 1, with that count: each is a duplicate apply. */
	private final Map<String, Long> duplicated = new ConcurrentHashMap<>();

	private final AtomicLongArray acknowledgedOn;

	private final AtomicLongArray timedOutOn;

	private final AtomicLongArray failedOn;

	private volatile boolean stopping;

	/**
	 * Starts the load.
	 * @param cluster the cluster
	 * @param prefix the ids' prefix, unique per load
	 * @param threadsPerReplica clients on each replica
	 * @param commandsPerThreadMax the most ids one client submits
	 */
	ClusterLoad(ProcessCluster cluster, String prefix, int threadsPerReplica, int commandsPerThreadMax) {
		this.cluster = cluster;
		this.prefix = prefix;
		this.commandsPerThreadMax = commandsPerThreadMax;
		this.acknowledgedOn = new AtomicLongArray(cluster.size());
		this.timedOutOn = new AtomicLongArray(cluster.size());
		this.failedOn = new AtomicLongArray(cluster.size());
		for (int replica = 0; replica < this.cluster.size(); replica++) {
			for (int client = 0; client < threadsPerReplica; client++) {
				int target = replica;
				String idPrefix = prefix + "-" + replica + "-" + client + "-";
				Thread thread = new Thread(() -> submitAll(target, idPrefix), "load-" + idPrefix);
				thread.setDaemon(true);
				this.threads.add(thread);
			}
		}
		this.threads.forEach(Thread::start);
	}

	private void submitAll(int replica, String idPrefix) {
		for (int sequence = 0; sequence < this.commandsPerThreadMax && !this.stopping; sequence++) {
			if (!awaitReplicaReady(replica)) {
				return;
			}
			String id = idPrefix + sequence;
			Submission submission = this.cluster.submit(replica, id);
			switch (submission.outcome()) {
				case ACKED -> {
					this.acknowledged.add(id);
					this.acknowledgedOn.incrementAndGet(replica);
					if (submission.count() != 1) {
						this.duplicated.put(id, submission.count());
					}
				}
				case TIMED_OUT -> {
					this.unknown.add(id);
					this.timedOutOn.incrementAndGet(replica);
				}
				case FAILED -> {
					this.unknown.add(id);
					this.failedOn.incrementAndGet(replica);
				}
			}
		}
	}

	/**
	 * Waits while the replica is down (killed, or starting again), as a user's client would rather
	 * than fail thousands of times against a closed port.
	 * @return whether to go on: the replica is ready and the load is not stopping
	 */
	private boolean awaitReplicaReady(int replica) {
		try {
			await("replica " + replica + " to serve clients again").atMost(REPLICA_DOWN_MAX)
				.pollInterval(POLL_INTERVAL)
				.until(() -> this.stopping || this.cluster.isReady(replica));
			return !this.stopping;
		}
		catch (ConditionTimeoutException ex) {
			// The test gave up on this replica; it fails, or stops the load, on its own terms.
			return false;
		}
	}

	/** Waits for every client to submit its maximum. */
	void awaitCompletion(Duration timeout) {
		joinAll(timeout);
	}

	/** Stops every client after its current submit, and waits for them. */
	void stop(Duration requestTimeout) {
		this.stopping = true;
		joinAll(requestTimeout.plus(STOP_MARGIN));
	}

	@Override
	public void close() {
		this.stopping = true;
	}

	private void joinAll(Duration timeout) {
		long deadlineNanos = System.nanoTime() + timeout.toNanos();
		for (Thread thread : this.threads) {
			try {
				thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for the load " + this.prefix, ex);
			}
			if (thread.isAlive()) {
				throw new AssertionError("Client " + thread.getName() + " was still submitting after " + timeout);
			}
		}
	}

	/** The cluster the load runs on. */
	ProcessCluster cluster() {
		return this.cluster;
	}

	/** The acknowledged ids. */
	Set<String> acknowledged() {
		return Set.copyOf(this.acknowledged);
	}

	/** The ids whose outcome is unknown: present once or absent, never twice. */
	Set<String> unknown() {
		return Set.copyOf(this.unknown);
	}

	/** Acknowledged ids whose apply counted them more than once. */
	Map<String, Long> duplicated() {
		return Map.copyOf(this.duplicated);
	}

	/** Ids acknowledged by clients on {@code replica} so far. */
	long acknowledgedOn(int replica) {
		return this.acknowledgedOn.get(replica);
	}

	/** Ids acknowledged so far, on every replica. */
	long acknowledgedCount() {
		long total = 0;
		for (int replica = 0; replica < this.cluster.size(); replica++) {
			total += this.acknowledgedOn.get(replica);
		}
		return total;
	}

	/** The load's counts per replica, one line, for the test's output. */
	String summary() {
		StringBuilder summary = new StringBuilder(this.prefix + ":");
		for (int replica = 0; replica < this.cluster.size(); replica++) {
			summary.append(" replica ")
				.append(replica)
				.append(" acked=")
				.append(this.acknowledgedOn.get(replica))
				.append(" timedOut=")
				.append(this.timedOutOn.get(replica))
				.append(" failed=")
				.append(this.failedOn.get(replica))
				.append(";");
		}
		return summary.append(" total acked=").append(acknowledgedCount()).toString();
	}

}
