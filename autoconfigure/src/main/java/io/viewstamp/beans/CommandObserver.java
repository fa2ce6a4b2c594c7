package io.viewstamp.beans;

import org.jspecify.annotations.Nullable;

/**
 * Told of every command, and of every linearizable read, of a replicated bean: when it starts,
 * the op that carried it, and its outcome; to time it, or to make it an observation that tracing
 * shows inside the request that made it. It lives here, apart from any metrics or tracing library,
 * so that this package depends on none: the auto-configuration supplies implementations when one
 * is on the classpath.
 *
 * <p>{@link #started} is called on the caller's thread, once the call is encoded and before it is
 * submitted; the {@link Call}'s methods on the thread that completes the call (the caller's, or
 * the replica's for a command that returns a future). An implementation must be quick; what it
 * throws is ignored, as a broken observer must not become the call's failure.
 */
@FunctionalInterface
public interface CommandObserver {

	/** The observer that observes nothing, used until another is set. */
	CommandObserver NONE = (bean, method, kind) -> Call.NONE;

	/**
	 * A call starts.
	 * @param bean the name of the replicated bean
	 * @param method the call's signature in the log, e.g. {@code add(int)}
	 * @param kind a command, or a linearizable read
	 * @return what to tell of the call from now on
	 */
	Call started(String bean, String method, Kind kind);

	/** What goes through the log. */
	enum Kind {

		/** A command: a call of a method that is not {@code @ReadOnly}. */
		COMMAND,

		/** A {@code @ReadOnly(consistency = LINEARIZABLE)} read, whose barrier goes through the log. */
		LINEARIZABLE_READ

	}

	/** One call under way. */
	interface Call {

		/** The call that reports nothing. */
		Call NONE = (failure) -> {
		};

		/**
		 * The op that carries the call (its command, or its read's barrier) committed; called before
		 * {@link #completed}, and not at all when the call failed before it committed. A caller that
		 * stopped waiting (interrupted) has its call completed first, on its own thread: this may then
		 * come later, from another thread, and is best ignored.
		 * @param op the op number
		 */
		default void committedAt(long op) {
		}

		/**
		 * The call's outcome is known.
		 * @param failure what the caller gets thrown (the bean's own exception, or the replication's
		 * failure), {@code null} when it returned
		 */
		void completed(@Nullable Throwable failure);

	}

}
