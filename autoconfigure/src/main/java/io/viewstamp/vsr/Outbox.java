package io.viewstamp.vsr;

/**
 * Where a replica's messages go. Sending never blocks and never fails from the replica's point of
 * view: the network may lose, delay, duplicate or reorder anything, and the protocol copes.
 */
public interface Outbox {

	/** Sends {@code message} to replica {@code replica} (never to the sender itself). */
	void send(int replica, ReplicaMessage message);

	/** Sends {@code reply} to the client it names. */
	void reply(Reply reply);

}
