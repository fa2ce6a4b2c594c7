package io.viewstamp.sim;

/**
 * A place on the simulated network: a replica or a client, by index.
 *
 * @param kind replica or client
 * @param index the replica's index in the configuration, or the client's number
 */
public record SimAddress(Kind kind, int index) implements Comparable<SimAddress> {

	/**
	 * The address of a replica.
	 * @param index the replica's index
	 * @return the address
	 */
	public static SimAddress replica(int index) {
		return new SimAddress(Kind.REPLICA, index);
	}

	/**
	 * The address of a client.
	 * @param index the client's number
	 * @return the address
	 */
	public static SimAddress client(int index) {
		return new SimAddress(Kind.CLIENT, index);
	}

	/** Whether this is a replica's address. */
	public boolean isReplica() {
		return this.kind == Kind.REPLICA;
	}

	@Override
	public int compareTo(SimAddress other) {
		int byKind = this.kind.compareTo(other.kind);
		return (byKind != 0) ? byKind : Integer.compare(this.index, other.index);
	}

	@Override
	public String toString() {
		return (isReplica() ? "replica " : "client ") + this.index;
	}

	/** What sits at an address. */
	public enum Kind {

		/** A replica. */
		REPLICA,

		/** A client. */
		CLIENT

	}

}
