package io.viewstamp.benchmarks.w1;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What one run does: an unreported load first (the JIT compiles slowly with four JVMs on two cores),
 * then for each number of callers a warm-up and a measured phase.
 *
 * @param initialLoad the unreported load at the start
 * @param warmUp the unreported phase before each measured one
 * @param measured each measured phase
 * @param callers the numbers of callers, in order
 */
public record LoadSchedule(Duration initialLoad, Duration warmUp, Duration measured, List<Integer> callers) {

	public LoadSchedule {
		callers = List.copyOf(callers);
		if (callers.isEmpty() || callers.stream().anyMatch((count) -> count < 1)) {
			throw new IllegalArgumentException("bench.callers must list numbers of callers of at least 1, such as 1,16,64; got "
					+ callers);
		}
	}

	/**
	 * Reads the schedule from system properties: {@code bench.initial-seconds} (30),
	 * {@code bench.warmup-seconds} (5), {@code bench.measured-seconds} (20) and {@code bench.callers}
	 * (1,16,64,256).
	 * @return the schedule
	 */
	public static LoadSchedule fromSystemProperties() {
		return new LoadSchedule(Duration.ofSeconds(Long.getLong("bench.initial-seconds", 30)),
				Duration.ofSeconds(Long.getLong("bench.warmup-seconds", 5)),
				Duration.ofSeconds(Long.getLong("bench.measured-seconds", 20)),
				Arrays.stream(System.getProperty("bench.callers", "1,16,64,256").split(","))
					.map(String::trim)
					.map(Integer::valueOf)
					.toList());
	}

}
