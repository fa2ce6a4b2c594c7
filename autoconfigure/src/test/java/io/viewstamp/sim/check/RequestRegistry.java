package io.viewstamp.sim.check;

import java.util.HashSet;
import java.util.Set;

import io.viewstamp.vsr.Request;

/**
 * Every request any client ever sent, with its exact bytes, so a checker can tell a committed
 * request that a client sent from one that a replica made up or garbled. Only looked up, never
 * iterated, so its hash order cannot leak into a trace.
 */
public final class RequestRegistry {

	private final Set<Request> sent = new HashSet<>();

	/**
	 * Records a request a client is about to send.
	 * @param request the request
	 */
	public void record(Request request) {
		this.sent.add(request);
	}

	/**
	 * Whether some client sent exactly this request (same client id, session, request number,
	 * operation and body bytes).
	 * @param request the request
	 * @return {@code true} when a client sent it
	 */
	public boolean contains(Request request) {
		return this.sent.contains(request);
	}

	/** The number of distinct requests sent. */
	public int size() {
		return this.sent.size();
	}

}
