package io.viewstamp.runtime;

import java.time.Duration;
import java.util.Objects;

import io.viewstamp.storage.FileStorageOptions;
import io.viewstamp.transport.TransportOptions;
import io.viewstamp.vsr.ReplicaOptions;

/**
 * How one replica runs: its tick, the limits of its client, and the options of the protocol,
 * the storage and the transport.
 *
 * @param tickInterval the time one protocol tick stands for; the protocol's timeouts count ticks
 * ({@link ReplicaOptions} gives its defaults for a tick of about 10 ms)
 * @param requestTimeout how long a submitted command may take before its caller gets a
 * {@link RequestTimeoutException}
 * @param requestResendInterval how long the client waits for a reply before it sends the same
 * request again (to the primary it believes in, then to the others in turn)
 * @param clientSessionsMax sessions this replica's client opens at most; each carries one request
 * at a time, so this is the client's concurrency
 * @param pendingRequestsMax commands that may wait for a session; more are refused at once
 * @param stateCheckIntervalOps ops applied between two checks of this replica's state against the
 * primary's ({@link StateChecks}); 0 turns the checks off
 * @param replica the protocol's limits and timeouts
 * @param storage the journal's options
 * @param transport the network's options
 */
public record RuntimeOptions(Duration tickInterval, Duration requestTimeout, Duration requestResendInterval,
		int clientSessionsMax, int pendingRequestsMax, long stateCheckIntervalOps, ReplicaOptions replica,
		FileStorageOptions storage, TransportOptions transport) {

	/** Default for {@link #clientSessionsMax()}. */
	public static final int CLIENT_SESSIONS_MAX = 64;

	/** Default for {@link #pendingRequestsMax()}. */
	public static final int PENDING_REQUESTS_MAX = 65_536;

	/** Default for {@link #stateCheckIntervalOps()}. */
	public static final long STATE_CHECK_INTERVAL_OPS = 10_000;

	public RuntimeOptions {
		Objects.requireNonNull(replica, "replica");
		Objects.requireNonNull(storage, "storage");
		Objects.requireNonNull(transport, "transport");
		requirePositive(tickInterval, "tickInterval");
		requirePositive(requestTimeout, "requestTimeout");
		requirePositive(requestResendInterval, "requestResendInterval");
		if (clientSessionsMax < 1) {
			throw new IllegalArgumentException("clientSessionsMax is " + clientSessionsMax + ": it must be at least 1");
		}
		if (clientSessionsMax > replica.clientsMax()) {
			throw new IllegalArgumentException("clientSessionsMax " + clientSessionsMax + " is more than the "
					+ replica.clientsMax() + " sessions the cluster's client table keeps (ReplicaOptions.clientsMax): "
					+ "the sessions of one replica would evict each other");
		}
		if (pendingRequestsMax < 1) {
			throw new IllegalArgumentException("pendingRequestsMax is " + pendingRequestsMax + ": it must be at least 1");
		}
		if (stateCheckIntervalOps < 0) {
			throw new IllegalArgumentException("stateCheckIntervalOps is " + stateCheckIntervalOps
					+ ": it must be at least 1, or 0 to turn state checks off");
		}
	}

	/** The defaults: a 10 ms tick, a 5 s request timeout, 64 sessions. */
	public static RuntimeOptions defaults() {
		return new RuntimeOptions(Duration.ofMillis(10), Duration.ofSeconds(5), Duration.ofMillis(200),
				CLIENT_SESSIONS_MAX, PENDING_REQUESTS_MAX, STATE_CHECK_INTERVAL_OPS, ReplicaOptions.defaults(), FileStorageOptions.defaults(),
				TransportOptions.defaults());
	}

	/**
	 * A builder that starts from the defaults.
	 * @return the builder
	 */
	public static Builder builder() {
		return defaults().toBuilder();
	}

	/**
	 * A builder that starts from these options.
	 * @return the builder
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/**
	 * Options built one setting at a time; {@link #build()} checks them together.
	 */
	public static final class Builder {

		private Duration tickInterval;

		private Duration requestTimeout;

		private Duration requestResendInterval;

		private int clientSessionsMax;

		private int pendingRequestsMax;

		private long stateCheckIntervalOps;

		private ReplicaOptions replica;

		private FileStorageOptions storage;

		private TransportOptions transport;

		private Builder(RuntimeOptions from) {
			this.tickInterval = from.tickInterval;
			this.requestTimeout = from.requestTimeout;
			this.requestResendInterval = from.requestResendInterval;
			this.clientSessionsMax = from.clientSessionsMax;
			this.pendingRequestsMax = from.pendingRequestsMax;
			this.stateCheckIntervalOps = from.stateCheckIntervalOps;
			this.replica = from.replica;
			this.storage = from.storage;
			this.transport = from.transport;
		}

		/** See {@link RuntimeOptions#tickInterval()}. */
		public Builder tickInterval(Duration value) {
			this.tickInterval = value;
			return this;
		}

		/** See {@link RuntimeOptions#requestTimeout()}. */
		public Builder requestTimeout(Duration value) {
			this.requestTimeout = value;
			return this;
		}

		/** See {@link RuntimeOptions#requestResendInterval()}. */
		public Builder requestResendInterval(Duration value) {
			this.requestResendInterval = value;
			return this;
		}

		/** See {@link RuntimeOptions#clientSessionsMax()}. */
		public Builder clientSessionsMax(int value) {
			this.clientSessionsMax = value;
			return this;
		}

		/** See {@link RuntimeOptions#pendingRequestsMax()}. */
		public Builder pendingRequestsMax(int value) {
			this.pendingRequestsMax = value;
			return this;
		}

		/** See {@link RuntimeOptions#stateCheckIntervalOps()}. */
		public Builder stateCheckIntervalOps(long value) {
			this.stateCheckIntervalOps = value;
			return this;
		}

		/** See {@link RuntimeOptions#replica()}. */
		public Builder replica(ReplicaOptions value) {
			this.replica = value;
			return this;
		}

		/** See {@link RuntimeOptions#storage()}. */
		public Builder storage(FileStorageOptions value) {
			this.storage = value;
			return this;
		}

		/** See {@link RuntimeOptions#transport()}. */
		public Builder transport(TransportOptions value) {
			this.transport = value;
			return this;
		}

		/** The protocol's options as they stand, to derive new ones from ({@code replica().toBuilder()}). */
		public ReplicaOptions replica() {
			return this.replica;
		}

		/** The network's options as they stand, to derive new ones from. */
		public TransportOptions transport() {
			return this.transport;
		}

		/**
		 * The options.
		 * @return them, checked
		 * @throws IllegalArgumentException naming the first setting that can not be used
		 */
		public RuntimeOptions build() {
			return new RuntimeOptions(this.tickInterval, this.requestTimeout, this.requestResendInterval,
					this.clientSessionsMax, this.pendingRequestsMax, this.stateCheckIntervalOps, this.replica,
					this.storage, this.transport);
		}

	}

	private static void requirePositive(Duration duration, String name) {
		Objects.requireNonNull(duration, name);
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException(name + " is " + duration + ": it must be positive");
		}
	}

}
