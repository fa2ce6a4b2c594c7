package io.viewstamp.transport;

/**
 * A snapshot of one peer's connection, for monitoring.
 *
 * @param replica the peer's index
 * @param address where the peer listens
 * @param connected whether a connection with it has completed its handshake and is open
 * @param messagesSent messages written to the peer's connection
 * @param messagesReceived messages received from the peer and handed to the listener
 * @param messagesDropped messages to the peer that were not sent: it was not connected, its
 * connection had more than {@link TransportOptions#outboundBytesMax()} waiting, or it closed
 * before they were written
 */
public record PeerStatus(int replica, PeerAddress address, boolean connected, long messagesSent, long messagesReceived,
		long messagesDropped) {

}
