package io.viewstamp.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.viewstamp.vsr.Applier;
import io.viewstamp.vsr.Replica;
import io.viewstamp.vsr.StateMachine;

/**
 * The one thread that runs the application's {@link StateMachine}: committed ops in op order,
 * snapshots and restores in the order the replica asks for them, and {@link StateChecks state
 * checks} where they fall among the ops. Completions go back to the
 * replica's loop. A slow command holds up this thread only, never the protocol.
 *
 * <p>A state machine that throws leaves its state unknown, so this thread runs nothing after
 * that and reports the failure, which stops the replica: going on could make it diverge.
 */
final class ApplyThread implements Applier {

	private final StateMachine stateMachine;

	private final ExecutorService thread;

	private final Consumer<Runnable> loop;

	private final Consumer<Throwable> failure;

	private final BiConsumer<Long, List<byte[]>> results;

	private volatile Replica replica;

	/** Completions not yet handed to the loop; one loop task runs all that have gathered. */
	private final ConcurrentLinkedQueue<Runnable> completions = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean completionsScheduled = new AtomicBoolean();

	private volatile boolean failed;

	/**
	 * @param stateMachine the application's state machine
	 * @param name the thread's name
	 * @param loop runs a completion on the replica's loop
	 * @param failure told, on the loop, when the state machine throws
	 * @param results told, on the loop, the results of each op before the replica is
	 */
	ApplyThread(StateMachine stateMachine, String name, Consumer<Runnable> loop, Consumer<Throwable> failure,
			BiConsumer<Long, List<byte[]>> results) {
		this.stateMachine = stateMachine;
		this.loop = loop;
		this.failure = failure;
		this.results = results;
		this.thread = Executors.newSingleThreadExecutor((runnable) -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		});
	}

	/** The replica the completions go to; set once, before the first completion can arrive. */
	void attach(Replica replica) {
		this.replica = replica;
	}

	@Override
	public void apply(long op, long timestamp, List<byte[]> commands) {
		run(() -> {
			List<byte[]> results = new ArrayList<>(commands.size());
			for (byte[] command : commands) {
				results.add(StateChecks.isCheck(command) ? StateChecks.digest(this.stateMachine)
						: this.stateMachine.apply(op, timestamp, command));
			}
			complete(() -> {
				this.results.accept(op, results);
				this.replica.onApplied(op, results);
			});
		}, "apply op " + op);
	}

	@Override
	public void capture(long op) {
		run(() -> {
			byte[] state = this.stateMachine.snapshot();
			complete(() -> this.replica.onCaptured(op, state));
		}, "capture the state at op " + op);
	}

	@Override
	public void restore(byte[] state) {
		run(() -> this.stateMachine.restore(state), "restore a snapshot");
	}

	/** Stops the thread after what it is running now; what is queued is not run. */
	void close() {
		this.thread.shutdownNow();
		try {
			this.thread.awaitTermination(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Hands a completion to the loop. Under load the loop takes many at once: each hand-off wakes
	 * the loop's thread, which on a busy machine costs more than the completion itself.
	 */
	private void complete(Runnable completion) {
		this.completions.add(completion);
		if (!this.completionsScheduled.getAndSet(true)) {
			this.loop.accept(this::runCompletions);
		}
	}

	private void runCompletions() {
		this.completionsScheduled.set(false);
		Runnable completion;
		while ((completion = this.completions.poll()) != null) {
			completion.run();
		}
	}

	private void run(Runnable task, String what) {
		this.thread.execute(() -> {
			if (this.failed) {
				return;
			}
			try {
				task.run();
			}
			catch (RuntimeException | Error ex) {
				this.failed = true;
				IllegalStateException cause = new IllegalStateException(
						"The state machine failed to " + what + ": " + ex + ". Its state is unknown, so the replica stops; "
								+ "fix the state machine and restart the replica from its data directory.", ex);
				this.loop.accept(() -> this.failure.accept(cause));
			}
		});
	}

}
