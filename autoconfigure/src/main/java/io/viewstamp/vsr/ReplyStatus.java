package io.viewstamp.vsr;

/** How a request ended. */
public enum ReplyStatus {

	/** The request was committed and applied; the reply carries the state machine's result. */
	OK,

	/**
	 * The client's session is unknown (it was evicted to make room, or never registered): the
	 * request was not applied, and the client must register again before it sends another.
	 */
	SESSION_EVICTED

}
