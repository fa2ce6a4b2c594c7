package io.viewstamp.sim;

import java.util.random.RandomGenerator;

import io.viewstamp.vsr.Client;
import io.viewstamp.vsr.ClientHost;
import io.viewstamp.vsr.ClientOptions;
import io.viewstamp.vsr.Cluster;

/**
 * How a simulated caller's process makes its {@link Client}: {@link #standard()} is the one the
 * runtime ships; a test can make deliberately defective ones ({@code DefectiveClients}) to show
 * that the checkers catch a bug in the client, not only in the replica.
 */
@FunctionalInterface
public interface ClientFactory {

	/**
	 * Makes a client, with the arguments of the {@link Client} constructor.
	 * @param cluster the cluster
	 * @param localReplica the replica the caller runs beside, or {@link Client#NO_LOCAL_REPLICA}
	 * @param options limits and timeouts
	 * @param host how it sends and reports
	 * @param clientIds draws its sessions' client ids
	 * @param incarnations draws its sessions' incarnations
	 * @return the client
	 */
	Client create(Cluster cluster, int localReplica, ClientOptions options, ClientHost host, RandomGenerator clientIds,
			RandomGenerator incarnations);

	/** The client that ships. */
	static ClientFactory standard() {
		return Client::new;
	}

}
