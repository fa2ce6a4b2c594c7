package io.viewstamp.autoconfigure;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;

import io.viewstamp.runtime.NodeConfiguration;
import io.viewstamp.runtime.NodeStatus;
import io.viewstamp.runtime.ReplicaNode;
import io.viewstamp.runtime.ReplicationClient;
import io.viewstamp.runtime.RuntimeOptions;
import io.viewstamp.vsr.StateMachine;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Runs this application's replica from the start of the application context to its close.
 *
 * <p>The replica starts after every bean is created (its state machine applies commands to the
 * replicated beans, which must exist first) and before the web server, so that the first request
 * finds it running; it stops after the web server, for the same reason.
 */
public class ReplicaNodeLifecycle implements SmartLifecycle {

	/** Before the web server's phase ({@code DEFAULT_PHASE - 1024}), so the replica runs whenever requests come. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

	private static final System.Logger logger = System.getLogger(ReplicaNodeLifecycle.class.getName());

	private final NodeConfiguration configuration;

	/** The cluster's name as configured, which the replica's own logs know only as its hashed id; or {@code null}. */
	private final @Nullable String clusterName;

	private final RuntimeOptions options;

	private final StateMachine stateMachine;

	private volatile @Nullable ReplicaNode node;

	/** Released when the replica stops, ending the thread that keeps the JVM running; {@code null} when none runs. */
	private @Nullable CountDownLatch keepingAlive;

	/**
	 * @param configuration who the replica is
	 * @param options how it runs
	 * @param stateMachine the application's state machine
	 */
	public ReplicaNodeLifecycle(NodeConfiguration configuration, RuntimeOptions options, StateMachine stateMachine) {
		this(configuration, options, stateMachine, null);
	}

	/**
	 * @param configuration who the replica is
	 * @param options how it runs
	 * @param stateMachine the application's state machine
	 * @param clusterName the cluster's name as configured ({@code replication.cluster-id}), logged
	 * at start beside the id the replica's logs and messages name; or {@code null}
	 */
	public ReplicaNodeLifecycle(NodeConfiguration configuration, RuntimeOptions options, StateMachine stateMachine,
			@Nullable String clusterName) {
		this.clusterName = clusterName;
		this.configuration = Objects.requireNonNull(configuration, "configuration");
		this.options = Objects.requireNonNull(options, "options");
		this.stateMachine = Objects.requireNonNull(stateMachine, "stateMachine");
	}

	@Override
	public synchronized void start() {
		if (this.node != null) {
			return;
		}
		if (shouldFormat()) {
			ReplicaNode.format(this.configuration);
		}
		String name = this.clusterName;
		if (name != null) {
			logger.log(System.Logger.Level.INFO, () -> "Replica " + this.configuration.replica() + " of cluster '" + name
					+ "' (cluster id " + this.configuration.clusterId() + " in the replicas' messages) starts, its data in "
					+ this.configuration.dataDirectory());
		}
		// A replica of several with no data asks every member whether it holds any, and forms or recovers (ReplicaNode).
		this.node = ReplicaNode.start(this.configuration, this.options, this.stateMachine);
		if (!this.configuration.peers().isEmpty()) {
			this.keepingAlive = keepAlive();
		}
	}

	/**
	 * A thread that keeps the JVM running until the replica stops, as a web server's does. The
	 * replica's own threads are daemons, so an application without a web server would otherwise
	 * end when its main method returns, and take its replica out of the cluster. A single replica
	 * serves no peers: it keeps the application as it was.
	 */
	private CountDownLatch keepAlive() {
		CountDownLatch released = new CountDownLatch(1);
		Thread thread = new Thread(() -> {
			try {
				released.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "viewstamp-keep-alive-" + this.configuration.replica());
		thread.setDaemon(false);
		thread.start();
		return released;
	}

	/**
	 * Whether to format the data directory: only a single replica's (no peers), and only when it
	 * holds no superblock. A replica of several decides with its peers (ReplicaNode), so that one
	 * that lost its data never formats itself while a member still holds the cluster's state.
	 */
	private boolean shouldFormat() {
		return this.configuration.peers().isEmpty() && !ReplicaNode.isFormatted(this.configuration);
	}

	@Override
	public synchronized void stop() {
		ReplicaNode running = this.node;
		this.node = null;
		if (running != null) {
			running.close();
		}
		if (this.keepingAlive != null) {
			this.keepingAlive.countDown();
			this.keepingAlive = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.node != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/** Who the replica is. */
	public NodeConfiguration getConfiguration() {
		return this.configuration;
	}

	/** How the replica runs. */
	public RuntimeOptions getOptions() {
		return this.options;
	}

	/** The running replica, or {@code null} before start and after stop. */
	public @Nullable ReplicaNode getNode() {
		return this.node;
	}

	/** The running replica's client, or {@code null} when it does not run. */
	public @Nullable ReplicationClient getClient() {
		ReplicaNode running = this.node;
		return (running != null) ? running.client() : null;
	}

	/** The running replica's status, or {@code null} when it does not run. */
	public @Nullable NodeStatus getStatus() {
		ReplicaNode running = this.node;
		return (running != null) ? running.status() : null;
	}

}
