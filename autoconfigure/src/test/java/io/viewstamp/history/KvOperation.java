package io.viewstamp.history;

import java.util.Objects;

/**
 * One client call on the key-value store as the test saw it: when it was issued, when its result
 * arrived (if it did), and what it returned.
 *
 * @param client which client issued it (a client has at most one call open at a time)
 * @param invokedAt virtual time (tick) the call was issued
 * @param completedAt virtual time the result arrived; {@link Long#MAX_VALUE} when the outcome is
 * unknown (the call timed out or the client crashed)
 * @param kind {@link Kind#PUT}, {@link Kind#GET} or {@link Kind#CAS}
 * @param key the key the call reads or writes
 * @param value for a PUT or a CAS the value written; ignored for a GET
 * @param result for a PUT or a CAS the previous value, for a GET the current value ({@code null} when
 * the key had none); ignored when the outcome is unknown
 * @param expected for a CAS the value it replaces ({@code null}: the key has none); ignored otherwise
 */
public record KvOperation(int client, long invokedAt, long completedAt, Kind kind, String key, String value,
		String result, String expected) {

	/** The completion time of a call whose outcome is unknown. */
	public static final long UNKNOWN_COMPLETION = Long.MAX_VALUE;

	public KvOperation {
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(key, "key");
		if (completedAt < invokedAt) {
			throw new IllegalArgumentException(
					"Operation completed at " + completedAt + " before it was invoked at " + invokedAt);
		}
	}

	/**
	 * A PUT or a GET, which expects nothing.
	 * @param client the issuing client
	 * @param invokedAt when it was issued
	 * @param completedAt when its result arrived, {@link #UNKNOWN_COMPLETION} when it never did
	 * @param kind PUT or GET
	 * @param key the key
	 * @param value the value a PUT writes
	 * @param result the value it returned
	 */
	public KvOperation(int client, long invokedAt, long completedAt, Kind kind, String key, String value,
			String result) {
		this(client, invokedAt, completedAt, kind, key, value, result, null);
		if (kind == Kind.CAS) {
			throw new IllegalArgumentException("A CAS names the value it expects: use KvOperation.cas");
		}
	}

	/**
	 * A completed PUT.
	 * @param client the issuing client
	 * @param invokedAt when it was issued
	 * @param completedAt when its result arrived
	 * @param key the key written
	 * @param value the value written
	 * @param previous the value it replaced, {@code null} if the key had none
	 * @return the operation
	 */
	public static KvOperation put(int client, long invokedAt, long completedAt, String key, String value,
			String previous) {
		return new KvOperation(client, invokedAt, completedAt, Kind.PUT, key, value, previous);
	}

	/**
	 * A completed GET.
	 * @param client the issuing client
	 * @param invokedAt when it was issued
	 * @param completedAt when its result arrived
	 * @param key the key read
	 * @param result the value read, {@code null} if the key had none
	 * @return the operation
	 */
	public static KvOperation get(int client, long invokedAt, long completedAt, String key, String result) {
		return new KvOperation(client, invokedAt, completedAt, Kind.GET, key, null, result);
	}

	/**
	 * A PUT whose outcome is unknown: it may have taken effect at any time after it was issued, or never.
	 * @param client the issuing client
	 * @param invokedAt when it was issued
	 * @param key the key written
	 * @param value the value written
	 * @return the operation
	 */
	public static KvOperation indeterminatePut(int client, long invokedAt, String key, String value) {
		return new KvOperation(client, invokedAt, UNKNOWN_COMPLETION, Kind.PUT, key, value, null);
	}

	/**
	 * A GET whose result never arrived.
	 * @param client the issuing client
	 * @param invokedAt when it was issued
	 * @param key the key read
	 * @return the operation
	 */
	public static KvOperation indeterminateGet(int client, long invokedAt, String key) {
		return new KvOperation(client, invokedAt, UNKNOWN_COMPLETION, Kind.GET, key, null, null);
	}

	/**
	 * A completed compare-and-set: it sets the key to {@code value} when the key holds
	 * {@code expected}, and returns what the key held, so it succeeded exactly when {@code previous}
	 * equals {@code expected} (Java's {@code compareAndExchange}).
	 * @param client the issuing client
	 * @param invokedAt when it was issued
	 * @param completedAt when its result arrived
	 * @param key the key
	 * @param expected the value it replaces, {@code null} for a key that has none
	 * @param value the value it writes
	 * @param previous the value the key held
	 * @return the operation
	 */
	public static KvOperation cas(int client, long invokedAt, long completedAt, String key, String expected,
			String value, String previous) {
		return new KvOperation(client, invokedAt, completedAt, Kind.CAS, key, value, previous, expected);
	}

	/**
	 * A compare-and-set whose outcome is unknown: it may have been tried at any time after it was
	 * issued, or never.
	 * @param client the issuing client
	 * @param invokedAt when it was issued
	 * @param key the key
	 * @param expected the value it replaces
	 * @param value the value it writes
	 * @return the operation
	 */
	public static KvOperation indeterminateCas(int client, long invokedAt, String key, String expected, String value) {
		return new KvOperation(client, invokedAt, UNKNOWN_COMPLETION, Kind.CAS, key, value, null, expected);
	}

	/**
	 * Whether the call may set its key: a PUT or a CAS.
	 * @return {@code true} unless it is a GET
	 */
	public boolean mayWrite() {
		return this.kind != Kind.GET;
	}

	/**
	 * Whether the outcome of the call is unknown.
	 * @return {@code true} when no result arrived
	 */
	public boolean isIndeterminate() {
		return this.completedAt == UNKNOWN_COMPLETION;
	}

	/** What a call does to its key. */
	public enum Kind {

		/** Sets the key to a value and returns the value it replaced. */
		PUT,

		/** Returns the key's current value. */
		GET,

		/** Sets the key to a value if it holds the expected one, and returns the value it held. */
		CAS

	}

}
