package io.viewstamp.benchmarks.w1;

/** One system's increment as a blocking call: the caller's thread waits for the acknowledgement. */
@FunctionalInterface
public interface BlockingIncrements {

	/**
	 * Increments the counter and waits.
	 * @return the value the increment produced
	 * @throws Exception when the increment failed
	 */
	long increment() throws Exception;

}
