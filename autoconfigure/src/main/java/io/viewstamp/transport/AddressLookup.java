package io.viewstamp.transport;

import java.net.InetSocketAddress;

/**
 * Finds the socket address of a peer, which may block (a DNS query), so the transport calls it
 * off its I/O thread: one slow name would otherwise hold up every connection of the replica.
 */
@FunctionalInterface
interface AddressLookup {

	/** The JDK's lookup, with its own cache. */
	AddressLookup SYSTEM = (peer) -> new InetSocketAddress(peer.host(), peer.port());

	/**
	 * @param peer the peer's configured address
	 * @return the address to connect to; unresolved when the host name does not resolve
	 */
	InetSocketAddress lookup(PeerAddress peer);

}
