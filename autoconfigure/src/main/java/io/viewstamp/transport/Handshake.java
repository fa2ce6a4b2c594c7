package io.viewstamp.transport;

/**
 * The first frame each way on a connection between replicas: it proves that both ends belong to
 * the same cluster, run compatible releases and agree on who is who, before any message of the
 * connection is passed on. Its bytes are {@link HandshakeCodec}'s.
 */
sealed interface Handshake permits Handshake.Hello, Handshake.Accepted, Handshake.Refused {

	/**
	 * The dialer's opening.
	 * @param clusterId the dialer's cluster id
	 * @param dialer the dialer's index
	 * @param acceptor the index the dialer believes it dials, which catches peer lists in different orders
	 */
	record Hello(long clusterId, int dialer, int acceptor) implements Handshake {
	}

	/**
	 * The acceptor's answer to a hello it accepts; the dialer checks it too.
	 * @param clusterId the acceptor's cluster id
	 * @param acceptor the acceptor's index
	 */
	record Accepted(long clusterId, int acceptor) implements Handshake {
	}

	/**
	 * Either side's refusal, sent before it closes the connection.
	 * @param reason what was wrong and what to check, for the other side's log
	 */
	record Refused(String reason) implements Handshake {
	}

}
