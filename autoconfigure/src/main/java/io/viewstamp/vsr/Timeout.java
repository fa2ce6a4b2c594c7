package io.viewstamp.vsr;

/**
 * One of the replica's timers, counted in its ticks (TigerBeetle's replica keeps one such value
 * per timer): it fires once its duration has passed since it was last started, and keeps firing
 * until it is started again. A timer whose duration is drawn with jitter gets a new duration from
 * {@link #jitter}; starting it again keeps the duration it has.
 */
final class Timeout {

	private final String name;

	private long durationTicks;

	private long startedTick;

	/**
	 * A timer, started at tick 0.
	 * @param name what it times, for messages
	 * @param durationTicks ticks from a start to when it fires
	 */
	Timeout(String name, long durationTicks) {
		Invariants.check(durationTicks >= 0, "%s timeout of %d ticks", name, durationTicks);
		this.name = name;
		this.durationTicks = durationTicks;
	}

	/** Starts (or starts again) counting from {@code now}. */
	void start(long now) {
		this.startedTick = now;
	}

	/**
	 * Gives the timer a new duration of {@code baseTicks} plus a random share of it, so that
	 * replicas that started together do not time out together; the count goes on from the last
	 * start.
	 */
	void jitter(long baseTicks, java.util.random.RandomGenerator random) {
		Invariants.check(baseTicks >= 1 && baseTicks <= Integer.MAX_VALUE, "%s timeout of %d ticks", this.name,
				baseTicks);
		this.durationTicks = baseTicks + random.nextInt((int) baseTicks);
	}

	/** Whether its duration has passed since the last start. */
	boolean fired(long now) {
		return now - this.startedTick >= this.durationTicks;
	}

	@Override
	public String toString() {
		return this.name + "[started " + this.startedTick + ", " + this.durationTicks + " ticks]";
	}

}
