package io.viewstamp.transport;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Counts and logs why handshakes failed. A problem is logged as a WARNING the first time and at
 * DEBUG while the same problem repeats, because a misconfigured peer retries every second or so
 * until someone fixes it, and one clear warning helps more than thousands. And at most
 * {@link #WARNINGS_PER_WINDOW} warnings are written per minute whatever the problems, so that a
 * port scan or a flood of bad connections, each with its own problem, can not flood the log; the
 * next warning says how many were left out. Every refusal is counted by {@link RefusalReason}.
 */
final class RefusalLog {

	/** The most warnings written per {@link #WINDOW}. */
	static final int WARNINGS_PER_WINDOW = 10;

	static final Duration WINDOW = Duration.ofMinutes(1);

	private final Logger logger;

	private final Map<RefusalReason, LongAdder> counts;

	private final LongSupplier nanoClock;

	private @Nullable String lastProblem;

	private long windowStartNanos;

	private int warningsInWindow;

	private long notLogged;

	/**
	 * @param logger where to write
	 * @param counts the refusals by reason, shared by the logs of one transport
	 * @param nanoClock the time, {@link System#nanoTime()} outside tests
	 */
	RefusalLog(Logger logger, Map<RefusalReason, LongAdder> counts, LongSupplier nanoClock) {
		this.logger = logger;
		this.counts = counts;
		this.nanoClock = nanoClock;
		this.windowStartNanos = nanoClock.getAsLong();
	}

	/** Counters for every reason, at zero, for the logs of one transport to share. */
	static Map<RefusalReason, LongAdder> newCounts() {
		Map<RefusalReason, LongAdder> counts = new EnumMap<>(RefusalReason.class);
		for (RefusalReason reason : RefusalReason.values()) {
			counts.put(reason, new LongAdder());
		}
		return counts;
	}

	/**
	 * Counts and logs a connection this replica refused.
	 * @param reason why, for the meter
	 * @param what which connection failed, e.g. "Replica 1 refuses the connection from 127.0.0.1:54321"
	 * @param problem why, and what to check
	 */
	void refused(RefusalReason reason, String what, String problem) {
		Objects.requireNonNull(this.counts.get(reason), "the counts have every reason").increment();
		log(what, problem);
	}

	/**
	 * Logs that a peer refused this replica's connection (the peer counts it).
	 * @param what which connection failed
	 * @param problem the peer's reason
	 */
	void wasRefused(String what, String problem) {
		log(what, problem);
	}

	private synchronized void log(String what, String problem) {
		boolean repeated = problem.equals(this.lastProblem);
		this.lastProblem = problem;
		long now = this.nanoClock.getAsLong();
		if (now - this.windowStartNanos >= WINDOW.toNanos()) {
			this.windowStartNanos = now;
			this.warningsInWindow = 0;
		}
		if (repeated || this.warningsInWindow >= WARNINGS_PER_WINDOW) {
			if (!repeated) {
				this.notLogged++;
			}
			this.logger.log(Level.DEBUG, what + ": " + problem);
			return;
		}
		this.warningsInWindow++;
		String left = (this.notLogged > 0) ? " (" + this.notLogged + " other refusals were not logged as warnings "
				+ "before this one, to keep a flood of bad connections out of the log)" : "";
		this.notLogged = 0;
		this.logger.log(Level.WARNING, what + ": " + problem + left);
	}

	/** Forgets the last problem once a handshake succeeded, so that the next failure warns again. */
	synchronized void reset() {
		this.lastProblem = null;
	}

}
