package io.viewstamp.vsr;

/**
 * The limits and timeouts of a {@link Client}, counted in the ticks its host gives it.
 *
 * @param sessionsMax sessions the client opens at most; each carries one request at a time, so
 * this is the client's concurrency. It must not exceed the cluster's client table
 * ({@link ReplicaOptions#clientsMax()}), or the client's own sessions would evict each other
 * @param submissionsMax submissions that may be unfinished at once (waiting for a session, in
 * flight, or committed and waiting for the local replica to apply them)
 * @param resendIntervalTicks ticks without an answer before a session sends its request again
 * @param requestTimeoutTicks ticks from a submission until its caller is told that there is no
 * answer ({@link ClientFailure})
 */
public record ClientOptions(int sessionsMax, int submissionsMax, long resendIntervalTicks, long requestTimeoutTicks) {

	/** A timeout that never fires: for callers that wait as long as it takes. */
	public static final long REQUEST_TIMEOUT_TICKS_NEVER = Long.MAX_VALUE;

	public ClientOptions {
		requireAtLeastOne(sessionsMax, "sessionsMax");
		requireAtLeastOne(submissionsMax, "submissionsMax");
		requireAtLeastOne(resendIntervalTicks, "resendIntervalTicks");
		requireAtLeastOne(requestTimeoutTicks, "requestTimeoutTicks");
	}

	private static void requireAtLeastOne(long value, String name) {
		if (value < 1) {
			throw new IllegalArgumentException("ClientOptions." + name + " is " + value + ": it must be at least 1");
		}
	}

}
