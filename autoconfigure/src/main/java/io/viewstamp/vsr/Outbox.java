package io.viewstamp.vsr;

/**
 * Where a replica's messages go. Sending never blocks and never fails from the replica's point of
 * view: the network may lose, delay, duplicate or reorder anything, and the protocol copes.
 */
public interface Outbox {

	/**
	 * Sends {@code message} to replica {@code replica} (never to the sender itself), an index below
	 * {@link Cluster#REPLICAS_MAX}; a message to an index the outbox knows no replica at is dropped
	 * (a recovering replica, which knows no configuration, asks every index).
	 */
	void send(int replica, ReplicaMessage message);

	/** Sends {@code reply} to the client it names. */
	void reply(Reply reply);

}
