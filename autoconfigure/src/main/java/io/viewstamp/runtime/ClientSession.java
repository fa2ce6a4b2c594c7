package io.viewstamp.runtime;

import io.viewstamp.vsr.Operation;
import io.viewstamp.vsr.Request;

/**
 * One session of the client: an id, the session number the cluster gave it, and at most one
 * request in flight. A session resends its request until it is answered, even after the caller
 * gave up, so that the next request number is never sent before the previous one is settled.
 */
final class ClientSession {

	enum State {
		/** The register request is in flight. */
		REGISTERING,
		/** Open, with nothing in flight. */
		IDLE,
		/** Open, with a command in flight. */
		BUSY
	}

	final long clientId;

	final long incarnation;

	State state = State.REGISTERING;

	/** The session number, 0 until the register reply arrives. */
	long session;

	/** The number of the request in flight, or of the last one answered. */
	long requestNumber;

	/** The request in flight, resent until answered. */
	Request inFlight;

	/** The caller waiting for {@link #inFlight}, or {@code null} once it gave up. */
	PendingCommand caller;

	long lastSentNanos;

	/** Sends of {@link #inFlight} without an answer; after a few, the client tries other replicas. */
	int unansweredSends;

	ClientSession(long clientId, long incarnation) {
		this.clientId = clientId;
		this.incarnation = incarnation;
		this.inFlight = Request.register(clientId, incarnation);
	}

	/** Starts {@code command}, the session's next request. */
	void begin(PendingCommand command) {
		this.requestNumber++;
		this.inFlight = new Request(this.clientId, this.session, this.requestNumber, Operation.COMMAND, command.command());
		this.caller = command;
		this.state = State.BUSY;
		this.unansweredSends = 0;
	}

	/** The in-flight request was answered. */
	void settle() {
		this.inFlight = null;
		this.caller = null;
		this.state = State.IDLE;
		this.unansweredSends = 0;
	}

}
