package io.viewstamp;

/**
 * What a {@link ReadOnly} method sees.
 */
public enum Consistency {

	/**
	 * The state of the calling replica as it is now: every command this process got an answer
	 * for, but possibly not the latest commands acknowledged to callers on other replicas. Costs
	 * no message.
	 */
	LOCAL,

	/**
	 * Every command acknowledged anywhere in the cluster before the read started. The read first
	 * sends a no-op through the log and waits until this replica has applied it, so it costs one
	 * round trip to a majority and may fail as a command does.
	 */
	LINEARIZABLE

}
