package io.viewstamp.sim;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;

/**
 * The runtime's apply thread on virtual time: the worker under the runtime's own
 * {@code StateMachineRunner}, which decides what runs (applies, captures, restores, state checks,
 * read barriers) and hands completions back to the replica, as in a replica process. Tasks run in
 * the order they were given, each when it falls due: within the tick it was given, or now and then
 * a few ticks later (or at once, in place, for worlds without apply latency).
 *
 * <p>Tasks given while the replica is being built (it replays its journal) run once it is
 * {@link #start() started}, as the runtime's completions reach the replica's loop only after it is
 * built.
 */
final class SimApplyThread implements Executor {

	/** Latency that means "in place": each task runs before the call that gave it returns. */
	static final int IN_PLACE = -1;

	/** One task in this many is delayed; the others run within the tick they are given in. */
	static final int DELAYED_ONE_IN = 8;

	private final int latencyTicksMax;

	private final SplittableRandom random;

	private final ArrayDeque<Task> tasks = new ArrayDeque<>();

	private long now;

	private boolean started;

	/** Whether tasks are running: a task given by one that runs waits its turn behind it. */
	private boolean running;

	/**
	 * @param latencyTicksMax the most ticks a task takes, or {@link #IN_PLACE}
	 * @param random draws each task's latency
	 */
	SimApplyThread(int latencyTicksMax, SplittableRandom random) {
		this.latencyTicksMax = latencyTicksMax;
		this.random = random;
	}

	@Override
	public void execute(Runnable task) {
		if (this.latencyTicksMax == IN_PLACE) {
			this.tasks.add(new Task(task, this.now));
			runDue(this.now);
			return;
		}
		// Most ops take a real apply thread microseconds, far less than a tick: they complete within
		// the tick. One in DELAYED_ONE_IN takes up to the maximum, like a slow command; were every
		// op as slow, a replica replaying thousands of ops would take longer than any real one.
		// In order: a task is never due before the one given before it.
		long earliest = this.tasks.isEmpty() ? this.now : this.tasks.peekLast().dueTick;
		long latencyTicks = (this.random.nextInt(DELAYED_ONE_IN) == 0) ? this.random.nextInt(this.latencyTicksMax + 1) : 0;
		this.tasks.add(new Task(task, Math.max(earliest, this.now + latencyTicks)));
	}

	/** The replica is built: tasks run from now on. */
	void start() {
		this.started = true;
		if (this.latencyTicksMax == IN_PLACE) {
			runDue(this.now);
		}
	}

	/** Moves the thread's clock to {@code tick}; tasks given from now on are due from it. */
	void advanceTo(long tick) {
		this.now = tick;
	}

	/** Runs the tasks due by {@code tick}, in order. */
	void runDue(long tick) {
		this.now = tick;
		if (!this.started || this.running) {
			return;
		}
		this.running = true;
		try {
			while (!this.tasks.isEmpty() && this.tasks.peekFirst().dueTick <= tick) {
				this.tasks.pollFirst().work.run();
			}
		}
		finally {
			this.running = false;
		}
	}

	/** Whether a task is still waiting. */
	boolean isBusy() {
		return !this.tasks.isEmpty();
	}

	private record Task(Runnable work, long dueTick) {
	}

}
