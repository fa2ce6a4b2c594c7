package io.viewstamp.runtime;

/**
 * A replica's configuration that can not run: too many peers, an index outside them, a peer listed
 * twice. The message names which and how to fix it; {@link #getProblem()} and the indexes let a
 * caller that knows where the values came from (the Spring properties) name the setting instead.
 */
public class InvalidNodeConfigurationException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final Problem problem;

	private final int index;

	private final int firstIndex;

	/**
	 * @param problem which rule the configuration breaks
	 * @param message what is wrong, and how to fix it
	 * @param index the replica index outside the peers, or the position of the peer listed again;
	 * -1 when neither applies
	 * @param firstIndex the position where a peer listed twice was first listed, else -1
	 */
	public InvalidNodeConfigurationException(Problem problem, String message, int index, int firstIndex) {
		super(message);
		this.problem = problem;
		this.index = index;
		this.firstIndex = firstIndex;
	}

	/** Which rule the configuration breaks. */
	public Problem getProblem() {
		return this.problem;
	}

	/** The replica index outside the peers, or the position of the peer listed again; -1 otherwise. */
	public int getIndex() {
		return this.index;
	}

	/** Where a peer listed twice was first listed; -1 otherwise. */
	public int getFirstIndex() {
		return this.firstIndex;
	}

	/** The rules of a replica's configuration, each checked once, in {@link NodeConfiguration}. */
	public enum Problem {

		/** More peers than a cluster may have replicas. */
		TOO_MANY_PEERS,

		/** The replica's index is not a position in the peer list. */
		REPLICA_OUTSIDE_PEERS,

		/** An address is listed twice. */
		PEER_LISTED_TWICE

	}

}
