package io.viewstamp.sim;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the simulator over many seeds with real replicas: {@code sim.seeds} seeds (default
 * {@value #SEEDS_DEFAULT}) from a fixed base (or from {@code sim.base}), exactly the seed
 * {@code sim.seed} when it is set, or fresh seeds for {@code sim.minutes} minutes.
 * Each seed is its own deterministic world, so seeds run in parallel without changing what any one
 * of them does; a failing seed replays alone with the command in the failure message, and
 * {@code -Dsim.trace=all} (or comma-separated fragments of the lines to keep) prints its events.
 * Prints a one-line summary of what the seeds did.
 */
class SimulatorSeedsTest {

	/** The first seed of a run; fixed, so that CI runs the same worlds every time. */
	static final long SEED_BASE = 0x5EED_0000L;

	/** The number of seeds when {@code sim.seeds} is not set. */
	static final int SEEDS_DEFAULT = 200;

	/** Failures described in full in the assertion message; the others are listed by seed. */
	private static final int FAILURES_DESCRIBED_MAX = 5;

	/** Stack frames shown for a replica's exception. */
	private static final int STACK_LINES_MAX = 25;

	@Test
	void everySeedKeepsEverySafetyAndLivenessProperty() {
		String minutes = System.getProperty("sim.minutes", "").trim();
		if (!minutes.isEmpty()) {
			runFor(Double.parseDouble(minutes));
			return;
		}
		List<Long> seeds = seeds();
		Consumer<String> trace = (seeds.size() == 1) ? trace() : null;
		long startNanos = System.nanoTime();
		List<Outcome> outcomes = seeds.parallelStream().map((seed) -> run(seed, trace)).toList();
		double wallSeconds = (System.nanoTime() - startNanos) / 1e9;
		System.out.println(summary(outcomes, wallSeconds));
		List<Outcome> failures = outcomes.stream().filter((outcome) -> outcome.failure() != null).toList();
		if (!failures.isEmpty()) {
			fail(report(failures, outcomes.size()));
		}
	}

	/**
	 * A long run: fresh seeds, batch after batch on every core, until {@code minutes} have passed;
	 * prints the first seed (each seed replays alone with {@code -Dsim.seed}) and the figures. The
	 * first seed is {@code sim.base} when set, else drawn from the clock, so that each long run
	 * explores worlds the build's fixed seeds never do.
	 */
	private static void runFor(double minutes) {
		String base = System.getProperty("sim.base", "").trim();
		long firstSeed = base.isEmpty() ? (System.currentTimeMillis() << 16) : Long.parseLong(base);
		System.out.println("Simulator: fresh seeds from " + firstSeed + " for " + minutes + " minutes");
		long startNanos = System.nanoTime();
		long deadlineNanos = startNanos + (long) (minutes * 60e9);
		int batchSeeds = 8 * Runtime.getRuntime().availableProcessors();
		List<Outcome> outcomes = new ArrayList<>();
		long next = firstSeed;
		while (System.nanoTime() < deadlineNanos) {
			long batchStart = next;
			outcomes.addAll(LongStream.range(batchStart, batchStart + batchSeeds).parallel().mapToObj((seed) -> run(seed, null))
				.toList());
			next += batchSeeds;
		}
		double wallSeconds = (System.nanoTime() - startNanos) / 1e9;
		System.out.println(summary(outcomes, wallSeconds));
		List<Outcome> failures = outcomes.stream().filter((outcome) -> outcome.failure() != null).toList();
		if (!failures.isEmpty()) {
			fail(report(failures, outcomes.size()));
		}
	}

	/**
	 * Seeds that once found a real bug, replayed on every build while the worlds they draw stay the
	 * same. 1592591613 and 1592592159 (read-your-writes) and 1592590816 (linearizability): a caller
	 * beside a backup was answered as soon as the backup installed a snapshot, before its apply
	 * thread had restored it, so its read missed its own write
	 * ({@code StateMachineRunner.answerableOp}). 20261204003401, 20261204006467 and 20261204008655
	 * (a backup holds another entry than its primary in the same view): a primary that crashed right
	 * after it sent its start-view, before its log view was durable, restarted in the view change of
	 * that same view, won it again and started the view a second time with another log
	 * ({@code Replica.open}).
	 */
	@ParameterizedTest
	@ValueSource(longs = { 1592591613L, 1592592159L, 1592590816L, 20261204003401L, 20261204006467L, 20261204008655L })
	void aSeedThatOnceFoundABugPasses(long seed) {
		// In the world each was found in: before worlds drew their disks, every replica ran on the modelled one.
		Outcome outcome = run(SimConfiguration.random(seed).withDisks(SimDisks.modelled()), null);
		if (outcome.failure() != null) {
			fail(report(List.of(outcome), 1));
		}
	}

	/**
	 * Seeds that found a bug with replicas on the real storage, in the world each was found in.
	 * 880789 (two different ops committed at op 298): a replica whose newest snapshot was corrupt
	 * restarted from none, its journal beginning after the lost snapshot, and voted in a view change
	 * with an empty log under its old log view ({@code Replica.open}, {@code LostSnapshotTest}).
	 * 20261227100054 (liveness: adding a replica to the healed cluster was given up as NO_QUORUM): with
	 * a pipeline of one and an apply that ended after the last acknowledgement, the change was ready
	 * only once the op was applied, and nothing looked at it again ({@code Execution}).
	 * 20261230102062 (liveness: adding a replica to a cluster shrunk to one member was given up as
	 * NEW_MEMBERS_BEHIND): the replica repaired toward an older copy of the start-view, whose head
	 * the primary then compacted into a snapshot; nobody held the anchor any more, and newer copies
	 * of the start-view were dropped during the repair ({@code ViewChange.onStartView}).
	 * 20261232101519 (liveness: adding a replica to the healed cluster never took effect): a bug of the
	 * simulator's operator, not of the replicas. A view change, set going by a replica crashed in the
	 * same tick, ended the primary's view before it prepared the change, which dropped it; the runtime
	 * tells the operator to ask again, and the simulator's operator never did
	 * ({@code Simulator.isChangeDropped}).
	 */
	@ParameterizedTest
	@ValueSource(longs = { 880789L, 20261227100054L, 20261230102062L, 20261232101519L })
	void aSeedThatOnceFoundABugOnTheRealStoragePasses(long seed) {
		Outcome outcome = run(seed, null);
		if (outcome.failure() != null) {
			fail(report(List.of(outcome), 1));
		}
	}

	private static List<Long> seeds() {
		String seed = System.getProperty("sim.seed", "").trim();
		if (!seed.isEmpty()) {
			return List.of(Long.parseLong(seed));
		}
		String count = System.getProperty("sim.seeds", "").trim();
		int seedCount = count.isEmpty() ? SEEDS_DEFAULT : Integer.parseInt(count);
		String base = System.getProperty("sim.base", "").trim();
		long firstSeed = base.isEmpty() ? SEED_BASE : Long.parseLong(base);
		return LongStream.range(firstSeed, firstSeed + seedCount).boxed().toList();
	}

	/**
	 * Prints the events of a replayed seed when {@code sim.trace} is set: {@code all}, or
	 * comma-separated fragments that a printed line must contain, such as
	 * {@code -Dsim.trace=crash,restart,"replica 1 <-"}.
	 */
	private static Consumer<String> trace() {
		String filter = System.getProperty("sim.trace", "").trim();
		if (filter.isEmpty()) {
			return null;
		}
		List<String> fragments = filter.equals("all") ? List.of("") : List.of(filter.split(","));
		return (line) -> {
			if (fragments.stream().anyMatch(line::contains)) {
				System.out.println(line);
			}
		};
	}

	private static Outcome run(long seed, Consumer<String> trace) {
		return run(SimConfiguration.random(seed), trace);
	}

	private static Outcome run(SimConfiguration configuration, Consumer<String> trace) {
		long seed = configuration.seed();
		Simulator simulator = null;
		try {
			simulator = new Simulator(configuration, ReplicaFactory.standard(), trace);
			return new Outcome(seed, simulator.run(), null);
		}
		catch (SimulationFailure | RuntimeException | StackOverflowError ex) {
			// A world that failed still reports what it did up to the failure.
			return new Outcome(seed, (simulator != null) ? simulator.result() : null, ex);
		}
	}

	private static String summary(List<Outcome> outcomes, double wallSeconds) {
		long failed = outcomes.stream().filter((outcome) -> outcome.failure() != null).count();
		long committed = 0;
		long committedRequests = 0;
		long completed = 0;
		long indeterminate = 0;
		long localReads = 0;
		long linearizableReads = 0;
		long lost = 0;
		long duplicated = 0;
		long cutOff = 0;
		long corrupted = 0;
		long misrouted = 0;
		long delayedLong = 0;
		long partitions = 0;
		long crashes = 0;
		long tornWrites = 0;
		long corruptions = 0;
		long powerLosses = 0;
		long timedCrashes = 0;
		long wipes = 0;
		long clientRestarts = 0;
		long evictions = 0;
		long primaryTransfers = 0;
		long reconfigurations = 0;
		long epochs = 0;
		long worldsWithChanges = 0;
		long ticks = 0;
		TraceFingerprint fingerprints = new TraceFingerprint();
		for (Outcome outcome : outcomes) {
			SimulationResult result = outcome.result();
			if (result == null) {
				continue;
			}
			fingerprints.record(outcome.seed(), result.fingerprint(), result.ticks(), result.committedOps());
			committed += result.committedOps();
			committedRequests += result.committedRequests();
			completed += result.operationsCompleted();
			indeterminate += result.operationsIndeterminate();
			localReads += result.localReads();
			linearizableReads += result.linearizableReads();
			lost += result.messagesLost();
			duplicated += result.messagesDuplicated();
			cutOff += result.messagesCutOff();
			corrupted += result.messagesCorrupted();
			misrouted += result.messagesMisrouted();
			delayedLong += result.messagesDelayedLong();
			partitions += result.partitions();
			crashes += result.crashes();
			tornWrites += result.tornWrites();
			corruptions += result.corruptions();
			powerLosses += result.powerLosses();
			timedCrashes += result.timedCrashes();
			wipes += result.wipes();
			clientRestarts += result.clientRestarts();
			evictions += result.evictions();
			primaryTransfers += result.primaryTransfers();
			reconfigurations += result.reconfigurations();
			epochs += result.epochs();
			worldsWithChanges += (result.epochs() > 0) ? 1 : 0;
			ticks += result.ticks();
		}
		return String.format(Locale.ROOT,
				"Simulator: %d seeds (%d failed), %d ticks, %d ops committed (%d per seed, %.2f requests per op), %d client operations"
						+ " completed (%d linearizable reads), %d indeterminate, %d local reads checked; faults: %d drops, %d duplicates, %d corrupted, %d misrouted, %d delayed long, %d partitions (%d messages cut off),"
						+ " %d crashes (%d power losses, %d timed to protocol events, %d torn writes, %d corrupt entries), %d wipes, %d client restarts, %d session evictions, %d primary hand-overs,"
						+ " %d changes of members asked (%d took effect, in %d worlds);"
						+ " trace fingerprint %016x; %.1f s wall, %.1f seeds per second, %.0f simulated ticks per wall second",
				outcomes.size(), failed, ticks, committed, committed / Math.max(1, outcomes.size()),
				(double) committedRequests / Math.max(1, committed), completed,
				linearizableReads, indeterminate, localReads, lost, duplicated, corrupted, misrouted, delayedLong, partitions, cutOff, crashes, powerLosses, timedCrashes, tornWrites, corruptions, wipes,
				clientRestarts, evictions, primaryTransfers, reconfigurations, epochs, worldsWithChanges, fingerprints.value(), wallSeconds, outcomes.size() / wallSeconds,
				ticks / wallSeconds);
	}

	private static String report(List<Outcome> failures, int seedCount) {
		StringBuilder report = new StringBuilder();
		report.append(failures.size()).append(" of ").append(seedCount).append(" seeds failed: ");
		report.append(failures.stream().map((outcome) -> Long.toString(outcome.seed())).toList()).append('\n');
		Map<String, List<Long>> seedsByCheck = new TreeMap<>();
		for (Outcome outcome : failures) {
			seedsByCheck.computeIfAbsent(kind(outcome.failure()), (key) -> new ArrayList<>()).add(outcome.seed());
		}
		seedsByCheck.forEach((check, seeds) -> report.append("  ")
			.append(check)
			.append(": ")
			.append(seeds.size())
			.append(" seeds ")
			.append(seeds)
			.append('\n'));
		for (Outcome outcome : failures.subList(0, Math.min(FAILURES_DESCRIBED_MAX, failures.size()))) {
			report.append("\n- seed ").append(outcome.seed()).append(" (")
				.append(SimConfiguration.random(outcome.seed()).describe()).append(")\n  ")
				.append(outcome.failure().getMessage()).append('\n');
			Throwable cause = (outcome.failure() instanceof SimulationFailure) ? outcome.failure().getCause()
					: outcome.failure();
			if (cause != null) {
				report.append(stackTrace(cause));
			}
			report.append("  replay: mvn -pl autoconfigure test -Dtest=SimulatorSeedsTest -Dsim.seed=")
				.append(outcome.seed())
				.append('\n');
		}
		report.append("\n(-pl selects the module, so -Dsurefire.failIfNoSpecifiedTests=false is not needed.)");
		return report.toString();
	}

	/** The check that failed and, for an exception, its class and where it was thrown: one line per bug. */
	private static String kind(Throwable failure) {
		Throwable exception = failure;
		String kind = failure.getClass().getSimpleName();
		if (failure instanceof SimulationFailure simulationFailure) {
			kind = simulationFailure.check().name();
			exception = failure.getCause();
		}
		if (exception == null) {
			return kind;
		}
		kind += " " + exception.getClass().getSimpleName();
		for (StackTraceElement frame : exception.getStackTrace()) {
			// The invariant's own frame says nothing; the caller names the broken promise.
			if (!frame.getClassName().endsWith(".Invariants")) {
				return kind + " at " + frame.getClassName().replaceAll(".*\\.", "") + "." + frame.getMethodName() + ":"
						+ frame.getLineNumber();
			}
		}
		// A JIT-compiled hot path may throw a preallocated exception without frames.
		return kind + " (no stack trace: replay the seed alone to see where)";
	}

	private static String stackTrace(Throwable throwable) {
		StringWriter writer = new StringWriter();
		throwable.printStackTrace(new PrintWriter(writer));
		List<String> lines = new ArrayList<>(writer.toString().lines().toList());
		StringBuilder trace = new StringBuilder();
		for (String line : lines.subList(0, Math.min(STACK_LINES_MAX, lines.size()))) {
			trace.append("    ").append(line).append('\n');
		}
		return trace.toString();
	}

	/**
	 * One seed's outcome.
	 * @param seed the seed
	 * @param result what the world did, up to the failure if any; {@code null} if it never started
	 * @param failure the failure, {@code null} when every check passed
	 */
	private record Outcome(long seed, SimulationResult result, Throwable failure) {

	}

}
