package io.viewstamp.autoconfigure;

import io.viewstamp.runtime.InvalidNodeConfigurationException;
import io.viewstamp.storage.DataDirectoryException;
import io.viewstamp.transport.InvalidPeerAddressException;
import io.viewstamp.transport.TransportException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;

/**
 * Explains a replica that could not start because of its configuration or its environment: a
 * {@code replication.*} property with a wrong value, a data directory of another replica or
 * cluster, an address that can not be bound.
 */
public class ReplicationFailureAnalyzer implements FailureAnalyzer, Ordered {

	/**
	 * First, before Boot's analyzer of {@code InvalidConfigurationPropertyValueException}, which
	 * would show a property's problem without what to do about it.
	 */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}


	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			FailureAnalysis analysis = analyzeOne(cause);
			if (analysis != null) {
				return analysis;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	private @Nullable FailureAnalysis analyzeOne(Throwable cause) {
		if (cause instanceof InvalidReplicationPropertyException invalid) {
			return new FailureAnalysis(invalid.getMessage(), invalid.getAction(), invalid);
		}
		if (cause instanceof DataDirectoryException dataDirectory) {
			return new FailureAnalysis("The replica can not use its data directory " + dataDirectory.getDirectory() + ": "
					+ dataDirectory.getMessage(),
					"Check replication.data-dir, replication.cluster-id, replication.replica and replication.peers: "
							+ "the directory must be this replica's own, of this cluster. Delete it only if its data is not needed "
							+ "(a replica of a running cluster then recovers from its peers).",
					dataDirectory);
		}
		if (cause instanceof TransportException transport) {
			return new FailureAnalysis("The replica could not open its network connections: " + transport.getMessage(),
					"Check that replication.peers[replication.replica] is an address of this host whose port is free. "
							+ "If another replica of this cluster runs on this host, this one probably has its index: set "
							+ "replication.replica to this application's own position in replication.peers (it defaults "
							+ "to 0). Otherwise stop the process that uses the port, or give this replica another port in "
							+ "replication.peers on every replica.",
					transport);
		}
		if (cause instanceof InvalidPeerAddressException || cause instanceof InvalidNodeConfigurationException) {
			IllegalArgumentException invalid = (IllegalArgumentException) cause;
			// Reached only when the application builds the configuration itself; the properties are checked earlier.
			return new FailureAnalysis("The replica's configuration is invalid: " + invalid.getMessage(),
					"Check replication.peers (host:port, each address once) and replication.replica (this replica's "
							+ "position in replication.peers).",
					invalid);
		}
		return null;
	}

}
