package io.viewstamp.benchmarks.w1;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Drives closed-loop callers against one system and measures them: each caller has exactly one
 * increment outstanding and submits the next as soon as the last is acknowledged. It runs a
 * {@link LoadSchedule}, appends one line per measured phase to the results file, and ends with
 * the correctness check every run must pass: the counter equals the number of acknowledged
 * increments, and no two callers were given the same value.
 */
public final class LoadRun {

	private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

	private final String system;

	private final String variant;

	private final @Nullable Increments increments;

	private final @Nullable BlockingIncrements blocking;

	private final ProcessCpu cpu;

	private final Path results;

	/** Every value a caller was given; a value given twice is a duplicate. */
	private final BitSet valuesSeen = new BitSet();

	private final AtomicLong acknowledged = new AtomicLong();

	private final AtomicLong failures = new AtomicLong();

	private long duplicates;

	/** The replicated log's head op, where the system has one to show: commands per op tell how much was batched. */
	private @Nullable LongSupplier logOps;

	/**
	 * @param system the system's name in the table
	 * @param variant the variant's name in the table
	 * @param increments how a caller increments
	 * @param processes the run's processes as name=pid pairs, for their CPU time
	 * @param results the file the figures are appended to
	 */
	public LoadRun(String system, String variant, Increments increments, List<String> processes, Path results) {
		this(system, variant, increments, null, processes, results);
	}

	/**
	 * A run whose callers are threads, each blocked in its call until the increment is acknowledged.
	 * @param system the system's name in the table
	 * @param variant the variant's name in the table
	 * @param blocking how a caller's thread increments
	 * @param processes the run's processes as name=pid pairs, for their CPU time
	 * @param results the file the figures are appended to
	 */
	public LoadRun(String system, String variant, BlockingIncrements blocking, List<String> processes, Path results) {
		this(system, variant, null, blocking, processes, results);
	}

	private LoadRun(String system, String variant, @Nullable Increments increments, @Nullable BlockingIncrements blocking,
			List<String> processes, Path results) {
		this.system = system;
		this.variant = variant;
		this.increments = increments;
		this.blocking = blocking;
		this.cpu = new ProcessCpu(processes);
		this.results = results;
	}

	/**
	 * The processes of a run from {@code bench.pids}, a comma-separated list of name=pid pairs, or
	 * from the file {@code bench.pids-file} holds such a list in (for processes started after this
	 * one), with this process added as {@code bench.self-name} when it is not listed.
	 * @return the name=pid pairs
	 */
	public static List<String> processesFromSystemProperties() {
		List<String> processes = new ArrayList<>();
		String listed = System.getProperty("bench.pids", "");
		String file = System.getProperty("bench.pids-file");
		if (file != null) {
			try {
				listed = Files.readString(Path.of(file)).trim();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not read the PIDs of the run's other processes from " + file, ex);
			}
		}
		for (String process : listed.split(",")) {
			if (!process.isBlank()) {
				processes.add(process.trim());
			}
		}
		String self = Long.toString(ProcessHandle.current().pid());
		if (processes.stream().noneMatch((process) -> process.endsWith("=" + self))) {
			processes.add(System.getProperty("bench.self-name", "self") + "=" + self);
		}
		return processes;
	}

	/**
	 * Reports, for each measured phase, how many commands shared one op of the log (one prepare,
	 * one journal entry): {@code logOps} gives the head op of the log.
	 * @return this run
	 */
	public LoadRun withLogOps(LongSupplier logOps) {
		this.logOps = logOps;
		return this;
	}

	/**
	 * Runs the schedule, then checks the counter.
	 * @param schedule what to run
	 * @param counter reads the counter's value once every increment is acknowledged
	 * @return whether the correctness check passed
	 * @throws InterruptedException when interrupted
	 */
	public boolean run(LoadSchedule schedule, LongSupplier counter) throws InterruptedException {
		int widest = schedule.callers().stream().mapToInt(Integer::intValue).max().orElse(1);
		log("initial load, %d callers, %s", widest, schedule.initialLoad());
		phase(widest, schedule.initialLoad());
		for (int callers : schedule.callers()) {
			phase(callers, schedule.warmUp());
			long[] cpuBefore = this.cpu.sample();
			long opsBefore = (this.logOps != null) ? this.logOps.getAsLong() : 0;
			Phase measured = phase(callers, schedule.measured());
			long[] cpuAfter = this.cpu.sample();
			report(callers, measured, cpuBefore, cpuAfter);
			if (this.logOps != null) {
				long ops = this.logOps.getAsLong() - opsBefore;
				log("C=%d: %d commands in %d ops of the log, %.1f commands per op", callers, measured.count(), ops,
						(ops == 0) ? 0.0 : measured.count() / (double) ops);
			}
		}
		long value = counter.getAsLong();
		boolean correct = value == this.acknowledged.get() && this.duplicates == 0 && this.failures.get() == 0;
		String check = String.format(Locale.ROOT,
				"counter %d, acknowledged %d, duplicate values %d, failed increments %d: %s", value,
				this.acknowledged.get(), this.duplicates, this.failures.get(), correct ? "correct" : "WRONG");
		log("%s", check);
		append(String.join("\t", "#check", this.system, this.variant, check));
		return correct;
	}

	/** Runs {@code callers} closed loops for {@code length}, then waits for the last increments. */
	private Phase phase(int callers, Duration length) throws InterruptedException {
		long end = System.nanoTime() + length.toNanos();
		Phase phase = new Phase(callers);
		CountDownLatch finished = new CountDownLatch(callers);
		long started = System.nanoTime();
		for (int caller = 0; caller < callers; caller++) {
			if (this.blocking != null) {
				int index = caller;
				Thread thread = new Thread(() -> loop(index, phase, end, finished), "caller-" + caller);
				thread.setDaemon(true);
				thread.start();
			}
			else {
				next(caller, phase, end, finished);
			}
		}
		if (!finished.await(length.toNanos() + DRAIN_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)) {
			throw new IllegalStateException(this.system + " " + this.variant + ": callers still waiting " + DRAIN_TIMEOUT
					+ " after the phase ended; the system stopped answering");
		}
		phase.elapsedNanos = System.nanoTime() - started;
		return phase;
	}

	private void loop(int caller, Phase phase, long end, CountDownLatch finished) {
		BlockingIncrements blocking = Objects.requireNonNull(this.blocking);
		for (long submitted = System.nanoTime(); submitted < end; submitted = System.nanoTime()) {
			try {
				long value = blocking.increment();
				phase.record(caller, System.nanoTime() - submitted);
				seen(value);
			}
			catch (Exception ex) {
				failed(ex);
			}
		}
		finished.countDown();
	}

	private void failed(Throwable failure) {
		if (this.failures.incrementAndGet() <= 10) {
			log("increment failed: %s", failure);
		}
	}

	private void next(int caller, Phase phase, long end, CountDownLatch finished) {
		long submitted = System.nanoTime();
		if (submitted >= end) {
			finished.countDown();
			return;
		}
		CompletableFuture<Long> result;
		try {
			result = Objects.requireNonNull(this.increments).increment(caller);
		}
		catch (RuntimeException ex) {
			result = CompletableFuture.failedFuture(ex);
		}
		result.whenComplete((value, failure) -> {
			long latency = System.nanoTime() - submitted;
			if (failure != null) {
				failed(failure);
				// Not at once: a system that refuses at once would recurse here without end.
				CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS)
					.execute(() -> next(caller, phase, end, finished));
				return;
			}
			phase.record(caller, latency);
			seen(value);
			next(caller, phase, end, finished);
		});
	}

	private synchronized void seen(long value) {
		this.acknowledged.incrementAndGet();
		if (value < 0 || value > Integer.MAX_VALUE || this.valuesSeen.get((int) value)) {
			this.duplicates++;
		}
		else {
			this.valuesSeen.set((int) value);
		}
	}

	private void report(int callers, Phase phase, long[] cpuBefore, long[] cpuAfter) {
		long[] latencies = phase.sortedLatencies();
		long count = latencies.length;
		double seconds = phase.elapsedNanos / 1e9;
		StringBuilder cpuPerOp = new StringBuilder();
		for (int index = 0; index < cpuBefore.length; index++) {
			double perOp = (count == 0 || cpuBefore[index] < 0 || cpuAfter[index] < 0) ? Double.NaN
					: (cpuAfter[index] - cpuBefore[index]) / (double) count;
			cpuPerOp.append((index == 0) ? "" : ",")
				.append(this.cpu.names().get(index))
				.append('=')
				.append(String.format(Locale.ROOT, "%.4f", perOp));
		}
		String line = String.join("\t", this.system, this.variant, Integer.toString(callers),
				String.format(Locale.ROOT, "%.0f", count / seconds), millis(percentile(latencies, 0.50)),
				millis(percentile(latencies, 0.99)), millis((count == 0) ? 0 : latencies[latencies.length - 1]),
				cpuPerOp.toString());
		log("C=%d: %.0f ops/s, p50 %s ms, p99 %s ms, max %s ms, CPU ms per op %s", callers, count / seconds,
				millis(percentile(latencies, 0.50)), millis(percentile(latencies, 0.99)),
				millis((count == 0) ? 0 : latencies[latencies.length - 1]), cpuPerOp);
		append(line);
	}

	private static long percentile(long[] sorted, double fraction) {
		if (sorted.length == 0) {
			return 0;
		}
		int index = (int) Math.ceil(fraction * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

	private static String millis(long nanos) {
		return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
	}

	private void append(String line) {
		try {
			Files.writeString(this.results, line + System.lineSeparator(), StandardOpenOption.CREATE,
					StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not append to " + this.results, ex);
		}
	}

	private void log(String format, Object... arguments) {
		System.out.printf(Locale.ROOT, "[w1 %s %s] %s%n", this.system, this.variant, String.format(Locale.ROOT, format,
				arguments));
	}

	/** The latencies of one phase, kept per caller so that callers never contend. */
	private static final class Phase {

		private final long[][] latencies;

		private final int[] counts;

		private long elapsedNanos;

		Phase(int callers) {
			this.latencies = new long[callers][1024];
			this.counts = new int[callers];
		}

		void record(int caller, long nanos) {
			// One caller's completions are sequential: it has one increment outstanding at a time.
			if (this.counts[caller] == this.latencies[caller].length) {
				this.latencies[caller] = Arrays.copyOf(this.latencies[caller], this.counts[caller] * 2);
			}
			this.latencies[caller][this.counts[caller]++] = nanos;
		}

		int count() {
			return Arrays.stream(this.counts).sum();
		}

		long[] sortedLatencies() {
			int total = Arrays.stream(this.counts).sum();
			long[] all = new long[total];
			int at = 0;
			for (int caller = 0; caller < this.counts.length; caller++) {
				System.arraycopy(this.latencies[caller], 0, all, at, this.counts[caller]);
				at += this.counts[caller];
			}
			Arrays.sort(all);
			return all;
		}

	}

}
