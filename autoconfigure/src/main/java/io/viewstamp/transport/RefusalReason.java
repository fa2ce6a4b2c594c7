package io.viewstamp.transport;

import java.util.Locale;

/** Why this replica refused a connection: the tag of the {@code replication.peer.refused} meter. */
public enum RefusalReason {

	/** The peer belongs to another cluster. */
	CLUSTER,

	/** The peer runs a release whose handshake or messages this one does not read. */
	VERSION,

	/** The peer's index, or the index it believes it dials, does not fit this replica's peer list. */
	PEER_LIST,

	/** One side has the shared secret and the other not, or the peer could not prove it knows it. */
	SECRET,

	/** The TLS handshake failed. */
	TLS,

	/** The peer's first bytes are not a handshake of this protocol. */
	MALFORMED,

	/** The peer did not complete its handshake in time. */
	TIMEOUT;

	/** The meter tag: the name in lower case, with a dash for the underscore. */
	public String tag() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
