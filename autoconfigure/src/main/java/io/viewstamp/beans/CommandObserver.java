package io.viewstamp.beans;

/**
 * Told of every command of a replicated bean once its outcome is known, for instance to time it.
 * It lives here, apart from any metrics library, so that this package depends on none: the
 * auto-configuration supplies an implementation when one is on the classpath.
 *
 * <p>Called on the thread that completed the command (the caller's, or the replica's for a command
 * that returns a future), so an implementation must be quick and must not throw.
 */
@FunctionalInterface
public interface CommandObserver {

	/** The observer that observes nothing, used until another is set. */
	CommandObserver NONE = (bean, method, nanos, failed) -> {
	};

	/**
	 * A command completed.
	 * @param bean the name of the replicated bean
	 * @param method the command's signature in the log, e.g. {@code add(int)}
	 * @param nanos the time from its submission to its outcome, in nanoseconds
	 * @param failed whether it failed: the replication failed or the bean threw
	 */
	void commandCompleted(String bean, String method, long nanos, boolean failed);

}
