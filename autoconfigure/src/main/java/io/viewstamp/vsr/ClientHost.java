package io.viewstamp.vsr;

/**
 * What a {@link Client} needs of the process it runs in: a way to send requests, and where to
 * report how each submission ended. Every call is made from within a call into the client, on the
 * host's one thread; none may call back into the client.
 */
public interface ClientHost {

	/**
	 * Sends {@code request} to replica {@code replica}: the local one directly, the others over the
	 * network. May lose it; the client resends.
	 * @param replica the replica's index
	 * @param request the request
	 */
	void send(int replica, Request request);

	/**
	 * The submission's command committed and the local replica has applied it.
	 * @param ticket the ticket {@link Client#submit} returned
	 * @param reply the primary's reply: the op that committed it and the state machine's result
	 */
	void completed(long ticket, Reply reply);

	/**
	 * The submission ended without a result.
	 * @param ticket the ticket {@link Client#submit} returned
	 * @param failure why, and what is known of its outcome
	 * @param op the op that committed it for {@link ClientFailure#COMMITTED_NOT_APPLIED}, else 0
	 */
	void failed(long ticket, ClientFailure failure, long op);

}
