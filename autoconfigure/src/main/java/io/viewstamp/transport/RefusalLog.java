package io.viewstamp.transport;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Logs why a handshake failed: as a WARNING the first time, and at DEBUG while the same problem
 * repeats, because a misconfigured peer retries every second or so until someone fixes it, and
 * one clear warning helps more than thousands.
 */
final class RefusalLog {

	private final Logger logger;

	private final AtomicReference<String> lastProblem = new AtomicReference<>();

	RefusalLog(Logger logger) {
		this.logger = logger;
	}

	/**
	 * Logs a failed handshake.
	 * @param what which connection failed, e.g. "Replica 1 refuses the connection from 127.0.0.1:54321"
	 * @param problem why, and what to check
	 */
	void log(String what, String problem) {
		boolean repeated = problem.equals(this.lastProblem.getAndSet(problem));
		this.logger.log(repeated ? Level.DEBUG : Level.WARNING, what + ": " + problem);
	}

	/** Forgets the last problem once a handshake succeeded, so that the next failure warns again. */
	void reset() {
		this.lastProblem.set(null);
	}

}
