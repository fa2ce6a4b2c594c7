package io.viewstamp.sim;

import java.util.Comparator;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.stream.IntStream;

import io.viewstamp.sim.SimulationFailure.Check;

/**
 * Searches random worlds for one in which a simulator checker catches a deliberately broken
 * replica or client. Only the simulator's own safety checks count: a broken replica that trips one
 * of its own invariants shows the replica's assertions at work, not the simulator, and a liveness
 * failure says nothing about safety.
 */
final class SeedSearch {

	/** The checks that count as the simulator catching a defect. */
	static final Set<Check> SIMULATOR_CHECKS = EnumSet.complementOf(EnumSet.of(Check.REPLICA_EXCEPTION, Check.LIVENESS));

	/** Seeds run at once; a batch is small so that a defect caught early costs little more than its seed. */
	private static final int BATCH_SEEDS = 16;

	private SeedSearch() {
	}

	/**
	 * Runs the worlds of seeds {@code base}, {@code base + 1}, ... until one fails a simulator check.
	 * @param base the first seed
	 * @param seedsMax the most seeds to run
	 * @param world builds the world of a seed
	 * @return the first catch, or one with a {@code null} failure after {@code seedsMax} seeds
	 */
	static Catch firstCatch(long base, int seedsMax, LongFunction<Simulator> world) {
		return firstCatch(base, seedsMax, world, SIMULATOR_CHECKS);
	}

	/**
	 * Runs the worlds of seeds as {@link #firstCatch(long, int, LongFunction)} does, until one fails
	 * one of {@code checks}.
	 * @param base the first seed
	 * @param seedsMax the most seeds to run
	 * @param world builds the world of a seed
	 * @param checks the checks that count as a catch
	 * @return the first catch, or one with a {@code null} failure after {@code seedsMax} seeds
	 */
	static Catch firstCatch(long base, int seedsMax, LongFunction<Simulator> world, Set<Check> checks) {
		// Seeds run in parallel batches; the catch reported is the lowest seed that catches, whatever
		// the order the batch finished in, so the result does not depend on the machine.
		for (int batchStart = 0; batchStart < seedsMax; batchStart += BATCH_SEEDS) {
			int batchEnd = Math.min(seedsMax, batchStart + BATCH_SEEDS);
			Optional<Catch> first = IntStream.range(batchStart, batchEnd)
				.parallel()
				.mapToObj((index) -> caught(base + index, index + 1, world, checks))
				.filter(Objects::nonNull)
				.min(Comparator.comparingInt(Catch::seedsRun));
			if (first.isPresent()) {
				return first.get();
			}
		}
		return new Catch(null, seedsMax);
	}

	private static Catch caught(long seed, int seedsRun, LongFunction<Simulator> world, Set<Check> checks) {
		try {
			world.apply(seed).run();
			return null;
		}
		catch (SimulationFailure failure) {
			return checks.contains(failure.check()) ? new Catch(failure, seedsRun) : null;
		}
	}

	/**
	 * What a search found.
	 * @param failure the checker's failure, or {@code null} when every seed passed
	 * @param seedsRun the seeds run, the catching one included
	 */
	record Catch(SimulationFailure failure, int seedsRun) {

		/** A line for the test's output: what caught the defect and after how many seeds. */
		String describe(Object defect, Class<?> test) {
			return defect + " caught by " + this.failure.check() + " at seed " + this.failure.seed() + " after "
					+ this.seedsRun + " seeds (replay with the seed in " + test.getSimpleName() + ")";
		}

	}

}
