package io.viewstamp.sim.check;

import java.util.ArrayList;
import java.util.List;

import io.viewstamp.history.KvOperation;
import io.viewstamp.history.LinearizabilityChecker;
import io.viewstamp.sim.SimClient;
import io.viewstamp.sim.SimulationFailure.Check;
import io.viewstamp.sim.SimulationFailure;

/**
 * Checks that what the clients saw is linearizable. An inconclusive search fails too, with its own
 * message: a seed whose history the checker cannot decide proves nothing, and should be looked at.
 */
public final class HistoryChecker {

	private final long seed;

	private final LinearizabilityChecker checker = new LinearizabilityChecker();

	/**
	 * Creates a checker.
	 * @param seed the world's seed, for messages
	 */
	public HistoryChecker(long seed) {
		this.seed = seed;
	}

	/**
	 * Checks the clients' histories together.
	 * @param clients every client
	 * @param tick the current tick
	 * @return the number of operations checked
	 */
	public int check(List<SimClient> clients, long tick) {
		List<KvOperation> history = new ArrayList<>();
		for (SimClient client : clients) {
			history.addAll(client.history());
		}
		LinearizabilityChecker.Result result = this.checker.check(history);
		switch (result.verdict()) {
			case LINEARIZABLE -> {
				return history.size();
			}
			case NOT_LINEARIZABLE -> throw new SimulationFailure(this.seed, tick, Check.LINEARIZABILITY,
					result.explanation());
			default -> throw new SimulationFailure(this.seed, tick, Check.LINEARIZABILITY,
					"the checker could not decide (verdict " + result.verdict() + ", not a proven violation): "
							+ result.explanation());
		}
	}

}
