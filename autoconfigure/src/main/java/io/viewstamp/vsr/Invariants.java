package io.viewstamp.vsr;

import org.jspecify.annotations.Nullable;

/**
 * Always-on protocol assertions. Java's {@code assert} is off unless the JVM runs with {@code -ea};
 * a replica that breaks an invariant must stop rather than go on with a state that may lose data.
 */
public final class Invariants {

	private Invariants() {
	}

	/**
	 * Fails with {@link InvariantViolation} when {@code condition} does not hold.
	 * @param condition what must be true
	 * @param message what was expected, for the report
	 */
	@Contract("false, _ -> fail")
	public static void check(boolean condition, String message) {
		if (!condition) {
			throw new InvariantViolation(message);
		}
	}

	/**
	 * Fails with {@link InvariantViolation} when {@code condition} does not hold; the message is
	 * formatted only on failure so hot paths pay nothing for it.
	 * @param condition what must be true
	 * @param format a {@link String#format} pattern
	 * @param arguments its arguments
	 */
	@Contract("false, _, _ -> fail")
	public static void check(boolean condition, String format, @Nullable Object... arguments) {
		if (!condition) {
			throw new InvariantViolation(String.format(format, arguments));
		}
	}

	/** A protocol invariant does not hold: the replica's state can no longer be trusted. */
	public static final class InvariantViolation extends IllegalStateException {

		private static final long serialVersionUID = 1L;

		InvariantViolation(String message) {
			super(message);
		}

	}

}
