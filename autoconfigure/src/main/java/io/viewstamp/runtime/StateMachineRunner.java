package io.viewstamp.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.viewstamp.vsr.Applier;
import io.viewstamp.vsr.Replica;
import io.viewstamp.vsr.StateMachine;
import org.jspecify.annotations.Nullable;

/**
 * How a replica's state machine is run: committed ops in op order, snapshots and restores in the
 * order the replica asks for them, {@link StateChecks state checks} and {@link ReadBarriers read
 * barriers} where they fall among the ops, each on a worker ({@link ApplyThread} in a replica
 * process, a simulated thread on virtual time in the simulator), with the completions handed back
 * to the replica's loop in the order they were asked.
 *
 * <p>A state machine that throws leaves its state unknown, so nothing runs after that and the
 * failure is reported, which stops the replica: going on could make it diverge.
 */
public final class StateMachineRunner implements Applier {

	private static final byte[] NO_RESULT = new byte[0];

	private final StateMachine stateMachine;

	private final Executor worker;

	private final Consumer<Runnable> loop;

	private final Consumer<Throwable> failure;

	private final BiConsumer<Long, List<byte[]>> results;

	/** Where completions go: {@code null} until {@link #attach attached}. */
	private volatile @Nullable Completions replica;

	/** Completions not yet handed to the loop; one loop task runs all that have gathered. */
	private final ConcurrentLinkedQueue<Runnable> completions = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean completionsScheduled = new AtomicBoolean();

	private volatile boolean failed;

	/**
	 * The op whose state the state machine holds, written on the worker once an apply or restore
	 * has run: the replica's commit number moves ahead of it when a restore is queued, until the
	 * worker reaches it.
	 */
	private volatile long stateOp;

	/**
	 * @param stateMachine the application's state machine, called on the worker only
	 * @param worker runs the state machine's work, one task at a time, in order
	 * @param loop runs a completion on the replica's loop
	 * @param failure told, on the loop, when the state machine throws
	 * @param results told, on the loop, the results of each op before the replica is
	 */
	public StateMachineRunner(StateMachine stateMachine, Executor worker, Consumer<Runnable> loop,
			Consumer<Throwable> failure, BiConsumer<Long, List<byte[]>> results) {
		this.stateMachine = stateMachine;
		this.worker = worker;
		this.loop = loop;
		this.failure = failure;
		this.results = results;
	}

	/** The replica the completions go to; set once, before the first completion can arrive. */
	public void attach(Replica replica) {
		attach(new Completions() {

			@Override
			public void onApplied(long op, List<byte[]> results) {
				replica.onApplied(op, results);
			}

			@Override
			public void onCaptured(long op, byte[] state) {
				replica.onCaptured(op, state);
			}

		});
	}

	/**
	 * Where the completions go, for a host that drives its replica through a view of its own (the
	 * simulator's); set once, before the first completion can arrive.
	 */
	public void attach(Completions completions) {
		this.replica = completions;
	}

	private Completions attached() {
		return Objects.requireNonNull(this.replica, "attached before the first completion can arrive");
	}

	@Override
	public void apply(long op, long timestamp, List<byte[]> commands) {
		run(() -> {
			List<byte[]> results = new ArrayList<>(commands.size());
			for (byte[] command : commands) {
				results.add(resultOf(op, timestamp, command));
			}
			this.stateOp = op;
			complete(() -> {
				this.results.accept(op, results);
				attached().onApplied(op, results);
			});
		}, "apply op " + op);
	}

	private byte[] resultOf(long op, long timestamp, byte[] command) {
		if (StateChecks.isCheck(command)) {
			return StateChecks.digest(this.stateMachine);
		}
		if (ReadBarriers.isBarrier(command)) {
			// Being applied in its place among the commands is all a barrier asks.
			return NO_RESULT;
		}
		return this.stateMachine.apply(op, timestamp, command);
	}

	@Override
	public void capture(long op) {
		run(() -> {
			byte[] state = this.stateMachine.snapshot();
			complete(() -> attached().onCaptured(op, state));
		}, "capture the state at op " + op);
	}

	@Override
	public void restore(long op, byte[] state) {
		run(() -> {
			this.stateMachine.restore(state);
			this.stateOp = op;
		}, "restore the snapshot of op " + op);
	}

	/**
	 * The highest op whose caller may be answered now, so that a read of the state machine that
	 * follows sees the op: applied by the replica ({@code commit}, which has the op's results) and
	 * held by the state machine. The two differ after a snapshot is installed: the replica's commit
	 * number jumps to the snapshot's op at once, while the restore waits its turn on the worker.
	 * @param commit the replica's commit number, the highest op it has applied
	 * @return the lower of {@code commit} and the op whose state the state machine holds
	 */
	public long answerableOp(long commit) {
		return Math.min(commit, this.stateOp);
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
		this.worker.execute(() -> {
			if (this.failed) {
				return;
			}
			try {
				task.run();
			}
			catch (RuntimeException | Error ex) {
				this.failed = true;
				IllegalStateException cause = new IllegalStateException(
						"The state machine failed to " + what + ": " + ReplicaNode.sentence(ex) + " Its state is unknown, so the "
								+ "replica stops; fix the state machine and restart the replica from its data directory.", ex);
				this.loop.accept(() -> this.failure.accept(cause));
			}
		});
	}

	/** What {@link Replica} takes of an applier's work: {@link Replica#onApplied} and {@link Replica#onCaptured}. */
	public interface Completions {

		/**
		 * An apply finished.
		 * @param op the op applied
		 * @param results its commands' results, in order
		 */
		void onApplied(long op, List<byte[]> results);

		/**
		 * A capture finished.
		 * @param op the op the state reflects
		 * @param state the state machine's snapshot
		 */
		void onCaptured(long op, byte[] state);

	}

}
