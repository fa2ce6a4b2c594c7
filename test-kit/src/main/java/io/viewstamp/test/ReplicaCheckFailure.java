package io.viewstamp.test;

/**
 * A check of the simulated cluster failed: the replicas diverged, a snapshot did not restore an
 * equal bean, a command reads the clock or randomness, or the cluster stopped making progress.
 * The message says which, where, and the seed that replays the run.
 */
public final class ReplicaCheckFailure extends AssertionError {

	private static final long serialVersionUID = 1L;

	private final long seed;

	ReplicaCheckFailure(String problem, long seed) {
		super(problem + "\n\nSeed " + seed + ": replay this run with ReplicatedBeansTester.withSeed(" + seed
				+ "L), or -D" + ReplicatedBeansTester.SEED_PROPERTY + "=" + seed + ".");
		this.seed = seed;
	}

	/** The seed of the run that failed; the same seed replays it. */
	public long seed() {
		return this.seed;
	}

}
