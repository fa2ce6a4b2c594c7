package io.viewstamp.benchmarks.w1;

import java.util.concurrent.CompletableFuture;

/**
 * One system's increment of the replicated counter, as a caller sees it: the future completes with
 * the counter's value after this increment, once the system acknowledged it.
 */
@FunctionalInterface
public interface Increments {

	/**
	 * Submits one increment.
	 * @param caller the caller's index, for systems that give each caller its own client
	 * @return the value the increment produced
	 */
	CompletableFuture<Long> increment(int caller);

}
