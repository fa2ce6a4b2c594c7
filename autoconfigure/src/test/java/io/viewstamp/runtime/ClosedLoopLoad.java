package io.viewstamp.runtime;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A closed-loop load inside a replica's process: each of C clients submits its next command as soon
 * as the previous one completes, for S seconds, with ids {@code <prefix>-<client>-<sequence>}. No
 * HTTP sits between the clients and the {@link ReplicationClient}, so the figures are the runtime's
 * (and the protocol's), the throughput figure of the benchmarks.
 */
final class ClosedLoopLoad {

	/** The most clients one load may run; each is a thread. */
	static final int CLIENTS_MAX = 1024;

	/** The longest load. */
	static final int DURATION_SECONDS_MAX = 600;

	/** Latencies kept per client for the percentiles; later ones are counted but not kept. */
	private static final int LATENCY_SAMPLES_PER_CLIENT_MAX = 1_000_000;

	/** Extra time a client waits for its last command beyond the request timeout, which fires first. */
	private static final Duration COMPLETION_WAIT_MARGIN = Duration.ofSeconds(5);

	private final ReplicationClient client;

	private final Duration requestTimeout;

	ClosedLoopLoad(ReplicationClient client, Duration requestTimeout) {
		this.client = client;
		this.requestTimeout = requestTimeout;
	}

	/**
	 * Runs the load and waits for it.
	 * @param clients the number of concurrent clients
	 * @param duration how long clients start new commands
	 * @param prefix the ids' prefix
	 * @return the figures
	 */
	Result run(int clients, Duration duration, String prefix) {
		long startNanos = System.nanoTime();
		long deadlineNanos = startNanos + duration.toNanos();
		List<Submitter> submitters = new ArrayList<>();
		for (int index = 0; index < clients; index++) {
			Submitter submitter = new Submitter(prefix + "-" + index + "-", deadlineNanos);
			submitters.add(submitter);
			submitter.thread.start();
		}
		long joinDeadlineNanos = deadlineNanos + this.requestTimeout.plus(COMPLETION_WAIT_MARGIN).toNanos();
		for (Submitter submitter : submitters) {
			joinUntil(submitter.thread, joinDeadlineNanos);
		}
		double seconds = (System.nanoTime() - startNanos) / 1e9;
		return Result.of(submitters, seconds);
	}

	private static void joinUntil(Thread thread, long deadlineNanos) {
		try {
			long remainingMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
			thread.join(remainingMillis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** One closed-loop client. Its counters are read only after its thread ended (or was given up on). */
	private final class Submitter implements Runnable {

		final Thread thread;

		private final String idPrefix;

		private final long deadlineNanos;

		private long[] latenciesNanos = new long[1024];

		private int latencySamples;

		volatile long acked;

		volatile long timeouts;

		volatile long failed;

		volatile long duplicates;

		Submitter(String idPrefix, long deadlineNanos) {
			this.idPrefix = idPrefix;
			this.deadlineNanos = deadlineNanos;
			this.thread = new Thread(this, "load-" + idPrefix);
			this.thread.setDaemon(true);
		}

		@Override
		public void run() {
			for (long sequence = 0; System.nanoTime() - this.deadlineNanos < 0; sequence++) {
				byte[] id = (this.idPrefix + sequence).getBytes(StandardCharsets.UTF_8);
				long beganNanos = System.nanoTime();
				try {
					byte[] result = ClosedLoopLoad.this.client.submit(id)
						.get(ClosedLoopLoad.this.requestTimeout.plus(COMPLETION_WAIT_MARGIN).toMillis(),
								TimeUnit.MILLISECONDS);
					record(System.nanoTime() - beganNanos);
					this.acked++;
					if (ByteBuffer.wrap(result).getLong() != 1) {
						this.duplicates++;
					}
				}
				catch (ExecutionException ex) {
					if (ex.getCause() instanceof RequestTimeoutException) {
						this.timeouts++;
					}
					else {
						this.failed++;
						if (ex.getCause() instanceof ReplicaStoppedException) {
							// Nothing more can succeed on a stopped replica; spinning would only burn CPU.
							return;
						}
					}
				}
				catch (TimeoutException ex) {
					this.timeouts++;
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}

		private synchronized void record(long latencyNanos) {
			if (this.latencySamples == LATENCY_SAMPLES_PER_CLIENT_MAX) {
				return;
			}
			if (this.latencySamples == this.latenciesNanos.length) {
				this.latenciesNanos = Arrays.copyOf(this.latenciesNanos,
						Math.min(2 * this.latenciesNanos.length, LATENCY_SAMPLES_PER_CLIENT_MAX));
			}
			this.latenciesNanos[this.latencySamples++] = latencyNanos;
		}

		synchronized long[] latencies() {
			return Arrays.copyOf(this.latenciesNanos, this.latencySamples);
		}

	}

	/**
	 * The figures of one load.
	 *
	 * @param acked commands acknowledged
	 * @param timeouts commands that timed out (outcome unknown)
	 * @param failed commands that failed otherwise
	 * @param duplicates acknowledged commands whose count was not 1: applied more than once
	 * @param seconds how long the load ran, until its last command completed
	 * @param p50Millis median latency of the acknowledged commands
	 * @param p99Millis 99th percentile latency of the acknowledged commands
	 * @param maxMillis the longest latency of an acknowledged command
	 */
	record Result(long acked, long timeouts, long failed, long duplicates, double seconds, double p50Millis,
			double p99Millis, double maxMillis) {

		static Result of(List<Submitter> submitters, double seconds) {
			long acked = 0;
			long timeouts = 0;
			long failed = 0;
			long duplicates = 0;
			long[] latencies = new long[0];
			for (Submitter submitter : submitters) {
				acked += submitter.acked;
				timeouts += submitter.timeouts;
				failed += submitter.failed;
				duplicates += submitter.duplicates;
				long[] more = submitter.latencies();
				int length = latencies.length;
				latencies = Arrays.copyOf(latencies, length + more.length);
				System.arraycopy(more, 0, latencies, length, more.length);
			}
			Arrays.sort(latencies);
			return new Result(acked, timeouts, failed, duplicates, seconds, percentileMillis(latencies, 0.50),
					percentileMillis(latencies, 0.99), percentileMillis(latencies, 1.0));
		}

		private static double percentileMillis(long[] sorted, double quantile) {
			if (sorted.length == 0) {
				return 0;
			}
			int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
			return sorted[Math.max(0, index)] / 1e6;
		}

		double opsPerSecond() {
			return this.acked / this.seconds;
		}

		/** One line of {@code key=value} pairs. */
		@Override
		public String toString() {
			return String.format(Locale.ROOT,
					"acked=%d timeouts=%d failed=%d duplicates=%d seconds=%.2f opsPerSecond=%.0f p50Ms=%.2f p99Ms=%.2f maxMs=%.2f",
					this.acked, this.timeouts, this.failed, this.duplicates, this.seconds, opsPerSecond(), this.p50Millis,
					this.p99Millis, this.maxMillis);
		}

	}

}
