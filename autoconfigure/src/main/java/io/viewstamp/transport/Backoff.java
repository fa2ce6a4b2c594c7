package io.viewstamp.transport;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The waits between a dialer's connection attempts: from a minimum, doubling after each failed
 * attempt up to a maximum, back to the minimum once a connection completes its handshake. Each wait
 * is drawn between half and all of its nominal value, so that replicas that lost each other at
 * the same moment do not dial in lockstep.
 */
final class Backoff {

	private final long delayMinNanos;

	private final long delayMaxNanos;

	private long delayNanos;

	Backoff(Duration delayMin, Duration delayMax) {
		this.delayMinNanos = delayMin.toNanos();
		this.delayMaxNanos = delayMax.toNanos();
		this.delayNanos = this.delayMinNanos;
	}

	/** The wait before the next attempt; the one after it will be twice as long, up to the maximum. */
	synchronized long nextDelayNanos() {
		long nominal = this.delayNanos;
		this.delayNanos = Math.min(this.delayMaxNanos, 2 * nominal);
		long half = nominal / 2;
		return nominal - ThreadLocalRandom.current().nextLong(half + 1);
	}

	/** Starts again from the minimum, after a connection that worked. */
	synchronized void reset() {
		this.delayNanos = this.delayMinNanos;
	}

}
