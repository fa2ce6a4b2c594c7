package io.viewstamp;

import java.time.Instant;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.jspecify.annotations.Nullable;

/**
 * What a command may use instead of the clock and a random generator, so that every replica
 * computes the same result: the time the primary chose for the command's op, and a generator
 * seeded from the op. Both work only while a command is being applied, on the applying thread.
 */
public final class ReplicatedContext {

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	/** Spreads the seeds of consecutive commands apart (the golden ratio, as SplittableRandom uses). */
	private static final long SEED_GAMMA = 0x9E3779B97F4A7C15L;

	private static final ThreadLocal<Scope> current = new ThreadLocal<>();

	private ReplicatedContext() {
	}

	/**
	 * The time the primary assigned to the op that carries the command being applied: the same on
	 * every replica, and never earlier than that of an earlier op.
	 * @return the op's timestamp
	 * @throws IllegalStateException when no command is being applied on this thread
	 */
	public static Instant now() {
		Scope scope = require("now");
		return Instant.ofEpochSecond(Math.floorDiv(scope.timestampNanos, NANOS_PER_SECOND),
				Math.floorMod(scope.timestampNanos, NANOS_PER_SECOND));
	}

	/**
	 * A generator seeded from the command's position in the log, so it gives the same numbers on
	 * every replica. Repeated calls during one command return the same generator.
	 * @return the command's generator
	 * @throws IllegalStateException when no command is being applied on this thread
	 */
	public static RandomGenerator random() {
		Scope scope = require("random");
		if (scope.random == null) {
			scope.random = new SplittableRandom(scope.op * SEED_GAMMA + scope.command);
		}
		return scope.random;
	}

	/**
	 * For the Viewstamp runtime only: marks this thread as applying a command until the scope is
	 * closed. Applications never call this.
	 * @param op the op number that carries the command
	 * @param command the command's index among the commands of its op (one op may carry many)
	 * @param timestampNanos the op's timestamp, in nanoseconds since the epoch
	 * @return the scope, to close once the command is applied
	 */
	public static Scope enter(long op, int command, long timestampNanos) {
		Scope scope = new Scope(op, command, timestampNanos, current.get());
		current.set(scope);
		return scope;
	}

	private static Scope require(String what) {
		Scope scope = current.get();
		if (scope == null) {
			throw new IllegalStateException("ReplicatedContext." + what + "() was called outside a command being applied: "
					+ "call it only from a command method of a @Replicated bean (not from a @ReadOnly method or another thread)");
		}
		return scope;
	}

	/**
	 * For the Viewstamp runtime only: the command being applied on this thread.
	 */
	public static final class Scope implements AutoCloseable {

		private final long op;

		private final int command;

		private final long timestampNanos;

		/** The scope this one is nested in, {@code null} for the outermost. */
		private final @Nullable Scope outer;

		/** Created by the command's first call of {@link ReplicatedContext#random()}. */
		private @Nullable RandomGenerator random;

		private Scope(long op, int command, long timestampNanos, @Nullable Scope outer) {
			this.op = op;
			this.command = command;
			this.timestampNanos = timestampNanos;
			this.outer = outer;
		}

		/** Ends the command; the thread is back in the scope it was in before, if any. */
		@Override
		public void close() {
			if (this.outer == null) {
				current.remove();
			}
			else {
				current.set(this.outer);
			}
		}

	}

}
