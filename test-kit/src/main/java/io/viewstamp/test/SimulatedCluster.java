package io.viewstamp.test;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The simulated cluster a {@link ReplicatedBeansTester} run gives the test: the replicated beans to
 * call, and generated calls drawn from the run's seed.
 */
public final class SimulatedCluster {

	/** The most ticks left between two generated calls, so that some calls overlap heartbeats, crashes and snapshots. */
	private static final int PAUSE_TICKS_MAX = 3;

	private final SimulatedWorld world;

	private final SplittableRandom random;

	SimulatedCluster(SimulatedWorld world) {
		this.world = world;
		this.random = new SplittableRandom(world.seed() ^ 0x5DEECE66DL);
	}

	/**
	 * The bean of {@code type} in the application the test calls through: for a replicated bean,
	 * its proxy, so that each command goes through the simulated cluster's log, and a read sees
	 * every command this replica made before it.
	 * @param type the bean's type
	 * @param <T> the bean's type
	 * @return the bean
	 */
	public <T> T bean(Class<T> type) {
		return this.world.callerApplication().bean(Objects.requireNonNull(type, "type"));
	}

	/**
	 * Makes {@code calls} calls, each by {@code call} with a generator drawn from the run's seed, so
	 * that the same seed makes the same calls.
	 * @param calls how many calls
	 * @param call makes one call, choosing what to call and with what from the generator
	 */
	public void repeat(int calls, Consumer<RandomGenerator> call) {
		if (calls < 0) {
			throw new IllegalArgumentException("calls must not be negative, was " + calls);
		}
		for (int i = 0; i < calls; i++) {
			call.accept(this.random);
			this.world.idle(this.random.nextInt(PAUSE_TICKS_MAX + 1));
		}
	}

	/** The seed of this run: the same seed replays it. */
	public long seed() {
		return this.world.seed();
	}

	/** What the run did so far: ops, ticks, crashes, messages dropped and snapshots checked. */
	public String summary() {
		return this.world.describeRun();
	}

}
