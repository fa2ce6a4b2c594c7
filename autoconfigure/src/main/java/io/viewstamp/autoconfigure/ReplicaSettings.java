package io.viewstamp.autoconfigure;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.viewstamp.runtime.InvalidNodeConfigurationException;
import io.viewstamp.runtime.NodeConfiguration;
import io.viewstamp.runtime.RuntimeOptions;
import io.viewstamp.transport.PeerAddress;
import io.viewstamp.transport.PeerSecret;
import io.viewstamp.transport.PeerTls;
import io.viewstamp.transport.TransportOptions;
import io.viewstamp.vsr.Cluster;
import io.viewstamp.vsr.LogEntryCodec;
import io.viewstamp.vsr.ReplicaOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.StringUtils;

/**
 * Turns {@link ReplicationProperties} into what the runtime takes, checking every value first
 * so that a mistake is reported at startup with the name of the property to fix, not later by
 * the runtime in its own terms.
 */
final class ReplicaSettings {

	/** The deepest pipeline a property may ask for: far beyond any use, well within memory. */
	static final int PIPELINE_DEPTH_LIMIT = 4096;

	/** The longest protocol timeout in ticks (some 11 hours at 10 ms a tick). */
	private static final int TICKS_LIMIT = 4_000_000;

	private ReplicaSettings() {
	}

	/**
	 * The protocol's cluster id for a cluster name: the first 8 bytes of the SHA-256 of its UTF-8
	 * bytes, so that any name maps to the same number on every replica.
	 * @param clusterId the configured cluster name
	 * @return the protocol's cluster id
	 */
	static long clusterId(String clusterId) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(clusterId.getBytes(StandardCharsets.UTF_8));
			return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
		}
		catch (NoSuchAlgorithmException ex) {
			// Every Java platform must provide SHA-256.
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Who this replica is, from the properties.
	 * @param properties the properties
	 * @return the node's configuration
	 * @throws InvalidReplicationPropertyException naming the first property that is wrong
	 */
	static NodeConfiguration nodeConfiguration(ReplicationProperties properties) {
		String clusterName = properties.getClusterId();
		if (!StringUtils.hasText(clusterName)) {
			throw new InvalidReplicationPropertyException("replication.cluster-id", clusterName, "the cluster id is empty",
					"Set replication.cluster-id to the same name on every replica of the cluster.", null);
		}
		List<PeerAddress> peers = peers(properties.getPeers());
		if (properties.getDataDir() == null) {
			throw new InvalidReplicationPropertyException("replication.data-dir", null, "no data directory is set",
					"Set replication.data-dir to a directory of this replica's own.", null);
		}
		try {
			// The rules of peers and replica index are NodeConfiguration's, checked there once; here
			// they only get the name of the property that broke them.
			return new NodeConfiguration(clusterId(clusterName), properties.getReplica(), peers, properties.getDataDir());
		}
		catch (InvalidNodeConfigurationException ex) {
			throw asProperty(ex, properties);
		}
	}

	private static InvalidReplicationPropertyException asProperty(InvalidNodeConfigurationException ex,
			ReplicationProperties properties) {
		List<String> texts = (properties.getPeers() != null) ? properties.getPeers() : List.of();
		return switch (ex.getProblem()) {
			case TOO_MANY_PEERS -> new InvalidReplicationPropertyException("replication.peers", texts,
					texts.size() + " addresses are listed, more than the " + Cluster.REPLICAS_MAX
							+ " replicas a cluster may have",
					"List at most " + Cluster.REPLICAS_MAX + " addresses in replication.peers.", ex);
			case REPLICA_OUTSIDE_PEERS -> {
				int replicaCount = Math.max(1, texts.size());
				String action = texts.isEmpty()
						? "Remove replication.replica (a single replica is replica 0), or list every replica's address "
								+ "in replication.peers."
						: "Set replication.replica to the position of this replica's own address in replication.peers, "
								+ "from 0 to " + (replicaCount - 1) + ".";
				yield new InvalidReplicationPropertyException("replication.replica", properties.getReplica(),
						"it is outside the " + replicaCount + " configured replica(s)", action, ex);
			}
			case PEER_LISTED_TWICE -> new InvalidReplicationPropertyException("replication.peers[" + ex.getIndex() + "]",
					texts.get(ex.getIndex()), "it is the same address as replication.peers[" + ex.getFirstIndex() + "]",
					"Give every replica an address of its own in replication.peers.", ex);
		};
	}

	/**
	 * How the replica runs, from the properties.
	 * @param properties the properties
	 * @return the runtime's options
	 * @throws InvalidReplicationPropertyException naming the property that is wrong
	 */
	static RuntimeOptions runtimeOptions(ReplicationProperties properties) {
		Duration requestTimeout = properties.getRequestTimeout();
		if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
			throw new InvalidReplicationPropertyException("replication.request-timeout", requestTimeout,
					"the request timeout must be positive", "Set replication.request-timeout to a positive duration, e.g. 5s.",
					null);
		}
		int pipelineDepth = within(properties.getPipelineDepth(), "replication.pipeline-depth", 1,
				PIPELINE_DEPTH_LIMIT, "ops in flight", ReplicaOptions.PIPELINE_PREPARES_MAX);
		int batchSize = within(properties.getBatchSize(), "replication.batch-size", 1, LogEntryCodec.ENTRY_REQUESTS_MAX,
				"requests in one op (one journal entry)", ReplicaOptions.PREPARE_REQUESTS_MAX);
		int clientSessions = within(properties.getClientSessions(), "replication.client-sessions", 1,
				ReplicaOptions.CLIENTS_MAX, "sessions of this replica's callers (the cluster's client table keeps "
						+ ReplicaOptions.CLIENTS_MAX + " for all replicas)",
				RuntimeOptions.CLIENT_SESSIONS_MAX);
		int pendingRequests = within(properties.getPendingRequests(), "replication.pending-requests", 1,
				Integer.MAX_VALUE, "commands waiting for the cluster", RuntimeOptions.PENDING_REQUESTS_MAX);
		int snapshotInterval = properties.getSnapshotInterval();
		if (snapshotInterval <= pipelineDepth) {
			throw new InvalidReplicationPropertyException("replication.snapshot-interval", snapshotInterval,
					"a snapshot must never cover an op still in flight, of which there may be " + pipelineDepth
							+ " (replication.pipeline-depth)",
					"Set replication.snapshot-interval to more than " + pipelineDepth + " ops (the default is "
							+ ReplicaOptions.SNAPSHOT_INTERVAL_OPS + ").",
					null);
		}
		long stateCheckInterval = properties.getStateCheckInterval();
		if (stateCheckInterval < 0) {
			throw new InvalidReplicationPropertyException("replication.state-check-interval", stateCheckInterval,
					"the number of ops between two state checks can not be negative",
					"Set replication.state-check-interval to a number of ops (the default is "
							+ RuntimeOptions.STATE_CHECK_INTERVAL_OPS + "), or to 0 to turn the checks off.",
					null);
		}
		RuntimeOptions defaults = RuntimeOptions.defaults();
		Duration tick = defaults.tickInterval();
		int heartbeatTicks = ticks(properties.getHeartbeatInterval(), "replication.heartbeat-interval", tick,
				"an idle primary's heartbeats", "100ms");
		int primaryTimeoutTicks = ticks(properties.getPrimaryTimeout(), "replication.primary-timeout", tick,
				"a backup's wait for its primary", "500ms");
		if (primaryTimeoutTicks <= 2 * heartbeatTicks) {
			throw new InvalidReplicationPropertyException("replication.primary-timeout", properties.getPrimaryTimeout(),
					"a backup would start a view change after missing only one or two heartbeats of its primary ("
							+ "replication.heartbeat-interval is " + properties.getHeartbeatInterval() + ")",
					"Set replication.primary-timeout to more than twice replication.heartbeat-interval, e.g. 500ms "
							+ "(the default) with heartbeats every 100ms.",
					null);
		}
		int viewChangeTimeoutTicks = ticks(properties.getViewChangeTimeout(), "replication.view-change-timeout", tick,
				"a view change", "1s");
		ReplicaOptions replica = defaults.replica()
			.toBuilder()
			.pipelinePreparesMax(pipelineDepth)
			.viewChangeEntriesMax(Math.max(ReplicaOptions.VIEW_CHANGE_ENTRIES_MAX, 2 * pipelineDepth))
			.prepareRequestsMax(batchSize)
			.heartbeatIntervalTicks(heartbeatTicks)
			.primaryTimeoutTicks(primaryTimeoutTicks)
			.viewChangeTimeoutTicks(viewChangeTimeoutTicks)
			.snapshotIntervalOps(snapshotInterval)
			.build();
		return defaults.toBuilder()
			.requestTimeout(requestTimeout)
			.replica(replica)
			.clientSessionsMax(clientSessions)
			.pendingRequestsMax(pendingRequests)
			.stateCheckIntervalOps(stateCheckInterval)
			.transport(transportOptions(properties.getTransport(), defaults.transport()))
			.build();
	}

	/** Checks a count against its bounds, naming the property and its default when it is outside. */
	private static int within(int value, String property, int min, int max, String what, int defaultValue) {
		if (value < min || value > max) {
			throw new InvalidReplicationPropertyException(property, value,
					"the number of " + what + " must be within " + min + ".." + max,
					"Set " + property + " within " + min + ".." + max + " (the default is " + defaultValue + ").", null);
		}
		return value;
	}

	/**
	 * A duration of the protocol in the replica's ticks, rounded up: at least one tick, and at most
	 * what an {@code int} of ticks holds.
	 */
	private static int ticks(Duration duration, String property, Duration tick, String what, String example) {
		long tickNanos = tick.toNanos();
		Duration max = tick.multipliedBy(TICKS_LIMIT);
		if (duration == null || duration.compareTo(tick) < 0 || duration.compareTo(max) > 0) {
			throw new InvalidReplicationPropertyException(property, duration,
					"the time of " + what + " must be at least one tick of the replica (" + tick.toMillis()
							+ " ms) and at most " + max.toHours() + " hours",
					"Set " + property + " to a duration such as " + example + " (the default).", null);
		}
		return (int) ((duration.toNanos() + tickNanos - 1) / tickNanos);
	}

	private static TransportOptions transportOptions(ReplicationProperties.Transport transport, TransportOptions defaults) {
		Duration pingInterval = transport.getPingInterval();
		if (pingInterval == null || pingInterval.isNegative() || pingInterval.isZero()
				|| pingInterval.compareTo(TransportOptions.DURATION_MAX) > 0) {
			throw new InvalidReplicationPropertyException("replication.transport.ping-interval", pingInterval,
					"the ping interval must be positive and at most " + TransportOptions.DURATION_MAX.toMinutes() + " minutes",
					"Set replication.transport.ping-interval to a positive duration, e.g. 1s (the default).", null);
		}
		Duration idleTimeout = transport.getIdleTimeout();
		if (idleTimeout == null || idleTimeout.compareTo(pingInterval.multipliedBy(2)) < 0
				|| idleTimeout.compareTo(TransportOptions.DURATION_MAX) > 0) {
			throw new InvalidReplicationPropertyException("replication.transport.idle-timeout", idleTimeout,
					"a connection is given up after this long without a byte from the peer, so it must be at least twice "
							+ "the ping interval (" + pingInterval + "), or one late ping would close a healthy connection",
					"Set replication.transport.idle-timeout to at least twice replication.transport.ping-interval, e.g. 5s "
							+ "(the default) with a ping interval of 1s.",
					null);
		}
		return defaults.withLiveness(pingInterval, idleTimeout);
	}

	/**
	 * The cluster's shared secret from {@code replication.secret}, or {@code null} when there is none.
	 * @param properties the properties
	 * @return the secret, or {@code null}
	 * @throws InvalidReplicationPropertyException when it is too short; the error never shows it
	 */
	static @Nullable PeerSecret peerSecret(ReplicationProperties properties) {
		String secret = properties.getSecret();
		if (secret == null || secret.isEmpty()) {
			return null;
		}
		try {
			return PeerSecret.of(secret);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidReplicationPropertyException("replication.secret",
					"(hidden, " + secret.strip().length() + " characters)", ex.getMessage(),
					"Set replication.secret to the same random text of at least " + PeerSecret.LENGTH_MIN
							+ " characters on every replica, e.g. from the output of: openssl rand -base64 32",
					null);
		}
	}

	/**
	 * Mutual TLS between replicas from the SSL bundle {@code replication.ssl-bundle} names, or
	 * {@code null} when it names none.
	 * @param properties the properties
	 * @param bundles the application's SSL bundles, or {@code null} when it has none
	 * @return the TLS settings, or {@code null} for plain TCP
	 * @throws InvalidReplicationPropertyException when the bundle is missing or can not be used
	 */
	static @Nullable PeerTls peerTls(ReplicationProperties properties, @Nullable SslBundles bundles) {
		String name = properties.getSslBundle();
		if (!StringUtils.hasText(name)) {
			return null;
		}
		String define = "Define it under spring.ssl.bundle.jks." + name + " (keystore and truststore) or "
				+ "spring.ssl.bundle.pem." + name + " (certificate, private key and trusted certificates)";
		if (bundles == null) {
			throw new InvalidReplicationPropertyException("replication.ssl-bundle", name,
					"this application has no SSL bundles", define + ", or remove replication.ssl-bundle.", null);
		}
		SslBundle bundle;
		try {
			bundle = bundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidReplicationPropertyException("replication.ssl-bundle", name,
					"there is no SSL bundle named '" + name + "'", define + ", or fix the name.", ex);
		}
		if (bundle.getStores().getKeyStore() == null) {
			throw new InvalidReplicationPropertyException("replication.ssl-bundle", name, "SSL bundle '" + name
					+ "' has no key store, and each replica presents its own certificate to its peers",
					"Give the bundle a keystore (spring.ssl.bundle.jks." + name + ".keystore.location) or a PEM "
							+ "certificate and private key (spring.ssl.bundle.pem." + name + ".keystore.certificate and "
							+ ".private-key).",
					null);
		}
		if (bundle.getStores().getTrustStore() == null) {
			throw new InvalidReplicationPropertyException("replication.ssl-bundle", name, "SSL bundle '" + name
					+ "' has no trust store, and a replica accepts only peers whose certificates it trusts",
					"Give the bundle a truststore (spring.ssl.bundle.jks." + name + ".truststore.location) or PEM "
							+ "trusted certificates (spring.ssl.bundle.pem." + name + ".truststore.certificate).",
					null);
		}
		try {
			return PeerTls.of(bundle.getManagers().getKeyManagerFactory(), bundle.getManagers().getTrustManagerFactory(),
					bundle.getOptions().getEnabledProtocols(), bundle.getOptions().getCiphers());
		}
		catch (RuntimeException ex) {
			throw new InvalidReplicationPropertyException("replication.ssl-bundle", name,
					"SSL bundle '" + name + "' can not be used for TLS between replicas: " + ex.getMessage(),
					"Fix the bundle's key material, protocols or ciphers.", ex);
		}
	}

	private static List<PeerAddress> peers(List<String> texts) {
		List<PeerAddress> peers = new ArrayList<>();
		if (texts == null) {
			return peers;
		}
		for (int i = 0; i < texts.size(); i++) {
			String property = "replication.peers[" + i + "]";
			try {
				peers.add(PeerAddress.parse(texts.get(i)));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidReplicationPropertyException(property, texts.get(i), ex.getMessage(),
						"Write " + property + " as host:port, e.g. localhost:7401 or [::1]:7401.", ex);
			}
		}
		return peers;
	}

}
