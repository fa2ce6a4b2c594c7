package io.viewstamp.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;

import io.viewstamp.runtime.RuntimeOptions;
import io.viewstamp.transport.TransportOptions;
import io.viewstamp.vsr.ReplicaOptions;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of this application's replica, under the {@code replication} prefix.
 */
@ConfigurationProperties("replication")
public class ReplicationProperties {

	/**
	 * Name of the cluster. Replicas and data directories of another cluster are refused.
	 */
	private String clusterId = "viewstamp";

	/**
	 * Index of this application's own address in the peers.
	 */
	private int replica;

	/**
	 * Address of every replica, this one included, as "host:port", by index: where a brand-new
	 * replica starts. A new cluster's members are all of them; a host added later lists the members
	 * and itself. Once the cluster runs, its committed configuration decides the members and records
	 * their addresses. None means a single replica with a local journal and no network.
	 */
	private List<String> peers = new ArrayList<>();

	/**
	 * Directory of this replica's journal, superblock and snapshots.
	 */
	private Path dataDir = Path.of("./replication-data");

	/**
	 * How long a command may take before its caller gets a ReplicationTimeoutException (the
	 * outcome is then unknown).
	 */
	private Duration requestTimeout = Duration.ofSeconds(5);

	/**
	 * Number of ops between two snapshots. The journal keeps only the ops after the last one.
	 */
	private int snapshotInterval = 10_000;

	/**
	 * Ops the primary may have prepared and not yet committed: the depth of its pipeline. Deeper
	 * keeps more in flight on a slow disk or network; each op may carry a batch of requests.
	 */
	private int pipelineDepth = ReplicaOptions.PIPELINE_PREPARES_MAX;

	/**
	 * Requests the primary batches into one op (one journal entry, one round of prepares).
	 */
	private int batchSize = ReplicaOptions.PREPARE_REQUESTS_MAX;

	/**
	 * Client sessions this replica's callers hold at once: how many commands from here may be in
	 * flight together (each session has one at a time).
	 */
	private int clientSessions = RuntimeOptions.CLIENT_SESSIONS_MAX;

	/**
	 * Commands this replica's callers may have waiting for the cluster at once; a command beyond
	 * them is refused at once, unsent, rather than queued without bound.
	 */
	private int pendingRequests = RuntimeOptions.PENDING_REQUESTS_MAX;

	/**
	 * How often an idle primary tells the backups it is alive (and what it has committed).
	 */
	private Duration heartbeatInterval = Duration.ofMillis(100);

	/**
	 * How long a backup waits to hear from its primary before it starts a view change, plus up to
	 * as much again at random. More than two heartbeat intervals.
	 */
	private Duration primaryTimeout = Duration.ofMillis(500);

	/**
	 * How long a view change may take before the next view is tried, plus up to as much again at
	 * random.
	 */
	private Duration viewChangeTimeout = Duration.ofSeconds(1);

	/**
	 * Number of ops applied between two checks that this replica's state is the primary's: a
	 * digest of every replicated bean's state, compared at the same op. A difference is reported
	 * as a divergence (log, health, /actuator/replication). 0 turns the checks off.
	 */
	private long stateCheckInterval = 10_000;

	/**
	 * Name of the SSL bundle (spring.ssl.bundle.*) for mutual TLS between replicas: its key store
	 * holds this replica's certificate and private key, its trust store the certificates of the
	 * peers. Set it on every replica or on none. A replica's certificate must name its host as
	 * the peers list gives it. None means plain TCP, for a trusted network only.
	 */
	private @Nullable String sslBundle;

	/**
	 * A secret shared by every replica of the cluster, at least 16 characters: each connection's
	 * two ends prove they know it (an HMAC over fresh nonces) without sending it, and a peer that
	 * can not is refused. Set it on every replica or on none, from an environment variable
	 * (REPLICATION_SECRET) or a secret store rather than a file in the application. Without it and
	 * without an ssl-bundle, any host that can reach a replica's port and knows the cluster id can
	 * join.
	 */
	private @Nullable String secret;

	/**
	 * No longer needed, and safe to leave set: a replica whose data directory is empty forms a
	 * new cluster only once every member has said it holds no data, and recovers from its peers
	 * when one does, whatever this says.
	 */
	private boolean initialize;

	/**
	 * The connections between replicas.
	 */
	private final Transport transport = new Transport();

	/**
	 * The live cluster page.
	 */
	private final Page page = new Page();

	public String getClusterId() {
		return this.clusterId;
	}

	public void setClusterId(String clusterId) {
		this.clusterId = clusterId;
	}

	public int getReplica() {
		return this.replica;
	}

	public void setReplica(int replica) {
		this.replica = replica;
	}

	public List<String> getPeers() {
		return this.peers;
	}

	public void setPeers(List<String> peers) {
		this.peers = peers;
	}

	public Path getDataDir() {
		return this.dataDir;
	}

	public void setDataDir(Path dataDir) {
		this.dataDir = dataDir;
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = requestTimeout;
	}

	public int getPipelineDepth() {
		return this.pipelineDepth;
	}

	public void setPipelineDepth(int pipelineDepth) {
		this.pipelineDepth = pipelineDepth;
	}

	public int getBatchSize() {
		return this.batchSize;
	}

	public void setBatchSize(int batchSize) {
		this.batchSize = batchSize;
	}

	public int getClientSessions() {
		return this.clientSessions;
	}

	public void setClientSessions(int clientSessions) {
		this.clientSessions = clientSessions;
	}

	public int getPendingRequests() {
		return this.pendingRequests;
	}

	public void setPendingRequests(int pendingRequests) {
		this.pendingRequests = pendingRequests;
	}

	public Duration getHeartbeatInterval() {
		return this.heartbeatInterval;
	}

	public void setHeartbeatInterval(Duration heartbeatInterval) {
		this.heartbeatInterval = heartbeatInterval;
	}

	public Duration getPrimaryTimeout() {
		return this.primaryTimeout;
	}

	public void setPrimaryTimeout(Duration primaryTimeout) {
		this.primaryTimeout = primaryTimeout;
	}

	public Duration getViewChangeTimeout() {
		return this.viewChangeTimeout;
	}

	public void setViewChangeTimeout(Duration viewChangeTimeout) {
		this.viewChangeTimeout = viewChangeTimeout;
	}

	public int getSnapshotInterval() {
		return this.snapshotInterval;
	}

	public void setSnapshotInterval(int snapshotInterval) {
		this.snapshotInterval = snapshotInterval;
	}

	public long getStateCheckInterval() {
		return this.stateCheckInterval;
	}

	public void setStateCheckInterval(long stateCheckInterval) {
		this.stateCheckInterval = stateCheckInterval;
	}

	public @Nullable String getSslBundle() {
		return this.sslBundle;
	}

	public void setSslBundle(@Nullable String sslBundle) {
		this.sslBundle = sslBundle;
	}

	public @Nullable String getSecret() {
		return this.secret;
	}

	public void setSecret(@Nullable String secret) {
		this.secret = secret;
	}

	@Deprecated(since = "0.1.0")
	@DeprecatedConfigurationProperty(since = "0.1.0",
			reason = "A replica with an empty data directory forms a new cluster once every member says it holds no "
					+ "data, and recovers from its peers otherwise; nothing needs to be set for a first start")
	public boolean isInitialize() {
		return this.initialize;
	}

	public void setInitialize(boolean initialize) {
		this.initialize = initialize;
	}

	public Transport getTransport() {
		return this.transport;
	}

	public Page getPage() {
		return this.page;
	}

	/**
	 * The live cluster page: served at /replication by a servlet web application whose
	 * replication endpoint is exposed over HTTP on the server's own port.
	 */
	public static class Page {

		/**
		 * Whether to serve the live cluster page at /replication, which shows this replica's
		 * /actuator/replication (status, view, primary, op numbers, each peer's connection and
		 * lag, journal, divergences) and refreshes it every second.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * The connections between replicas.
	 */
	public static class Transport {

		/**
		 * How long a connection to a peer may go without a byte sent before a ping is sent on it,
		 * so that an idle connection is not taken for a dead one.
		 */
		private Duration pingInterval = TransportOptions.PING_INTERVAL;

		/**
		 * How long a connection to a peer may go without a byte received (a message or a ping)
		 * before it is closed and redialed: a half-open connection, or a link that silently drops
		 * every byte, is noticed within this. At least twice the ping interval.
		 */
		private Duration idleTimeout = TransportOptions.IDLE_TIMEOUT;

		public Duration getPingInterval() {
			return this.pingInterval;
		}

		public void setPingInterval(Duration pingInterval) {
			this.pingInterval = pingInterval;
		}

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

	}

}
