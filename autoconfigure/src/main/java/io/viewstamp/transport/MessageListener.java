package io.viewstamp.transport;

import io.viewstamp.vsr.Message;

/**
 * What a {@link NettyTransport} hands to its owner. Every call comes on the transport's I/O thread
 * and must not block: an owner hands the message to its own thread (a queue) and returns. For one
 * peer the calls come in order: {@link #onPeerConnected}, its messages, {@link #onPeerDisconnected}.
 * An exception thrown by a call is logged and does not affect the connection.
 */
public interface MessageListener {

	/**
	 * A message arrived from a peer whose handshake completed.
	 * @param fromReplica the sender's index, as verified by the handshake (for a
	 * {@link io.viewstamp.vsr.ReplicaMessage}, also the index the message names)
	 * @param message the message
	 */
	void onMessage(int fromReplica, Message message);

	/**
	 * A connection with {@code replica} completed its handshake; messages to it can be sent now.
	 * @param replica the peer's index
	 */
	default void onPeerConnected(int replica) {
	}

	/**
	 * The connection with {@code replica} that was announced by {@link #onPeerConnected} is gone;
	 * messages to it are dropped until it connects again.
	 * @param replica the peer's index
	 */
	default void onPeerDisconnected(int replica) {
	}

}
