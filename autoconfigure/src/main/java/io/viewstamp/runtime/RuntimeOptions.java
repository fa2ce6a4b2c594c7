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

	/** A copy with another request timeout. */
	public RuntimeOptions withRequestTimeout(Duration requestTimeout) {
		return new RuntimeOptions(this.tickInterval, requestTimeout, this.requestResendInterval, this.clientSessionsMax,
				this.pendingRequestsMax, this.stateCheckIntervalOps, this.replica, this.storage, this.transport);
	}

	/** A copy with other protocol options. */
	public RuntimeOptions withReplica(ReplicaOptions replica) {
		return new RuntimeOptions(this.tickInterval, this.requestTimeout, this.requestResendInterval,
				this.clientSessionsMax, this.pendingRequestsMax, this.stateCheckIntervalOps, replica, this.storage, this.transport);
	}

	/** A copy with another bound on the commands waiting for the cluster. */
	public RuntimeOptions withPendingRequestsMax(int pendingRequestsMax) {
		return new RuntimeOptions(this.tickInterval, this.requestTimeout, this.requestResendInterval,
				this.clientSessionsMax, pendingRequestsMax, this.stateCheckIntervalOps, this.replica, this.storage,
				this.transport);
	}

	/** A copy with another number of client sessions. */
	public RuntimeOptions withClientSessionsMax(int clientSessionsMax) {
		return new RuntimeOptions(this.tickInterval, this.requestTimeout, this.requestResendInterval, clientSessionsMax,
				this.pendingRequestsMax, this.stateCheckIntervalOps, this.replica, this.storage, this.transport);
	}

	/** A copy with other network options. */
	public RuntimeOptions withTransport(TransportOptions transport) {
		return new RuntimeOptions(this.tickInterval, this.requestTimeout, this.requestResendInterval,
				this.clientSessionsMax, this.pendingRequestsMax, this.stateCheckIntervalOps, this.replica, this.storage,
				transport);
	}

	/** A copy with another interval between state checks (0 turns them off). */
	public RuntimeOptions withStateCheckIntervalOps(long stateCheckIntervalOps) {
		return new RuntimeOptions(this.tickInterval, this.requestTimeout, this.requestResendInterval,
				this.clientSessionsMax, this.pendingRequestsMax, stateCheckIntervalOps, this.replica, this.storage,
				this.transport);
	}

	private static void requirePositive(Duration duration, String name) {
		Objects.requireNonNull(duration, name);
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException(name + " is " + duration + ": it must be positive");
		}
	}

}
