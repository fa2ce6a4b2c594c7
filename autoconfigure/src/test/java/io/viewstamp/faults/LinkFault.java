package io.viewstamp.faults;

import java.time.Duration;
import java.util.Locale;

/**
 * What one direction of a proxied TCP link does to the bytes that cross it. Bytes are never
 * reordered or corrupted (TCP would not let that through); they pass, wait, trickle or vanish.
 *
 * @param kind what happens to the bytes
 * @param delay the fixed wait of every byte (for {@link Kind#DELAY})
 * @param jitter the most extra wait, drawn per chunk of bytes, never reordering them
 * @param bytesPerSecond the bandwidth (for {@link Kind#SLOW})
 */
public record LinkFault(Kind kind, Duration delay, Duration jitter, long bytesPerSecond) {

	/** The longest delay a link may be given: longer waits are a unit mistake in a test. */
	public static final Duration DELAY_MAX = Duration.ofSeconds(10);

	/** Every byte passes at once. */
	public static final LinkFault PASS = new LinkFault(Kind.PASS, Duration.ZERO, Duration.ZERO, 0);

	/** Every byte vanishes, while the connection stays open: one direction of a silent partition. */
	public static final LinkFault DROP = new LinkFault(Kind.DROP, Duration.ZERO, Duration.ZERO, 0);

	public LinkFault {
		if (kind == null || delay == null || jitter == null || delay.isNegative() || jitter.isNegative()
				|| delay.plus(jitter).compareTo(DELAY_MAX) > 0 || bytesPerSecond < 0
				|| (kind == Kind.SLOW && bytesPerSecond == 0)) {
			throw new IllegalArgumentException("Invalid link fault " + kind + ": delay " + delay + ", jitter " + jitter
					+ ", " + bytesPerSecond + " bytes per second");
		}
	}

	/**
	 * Every byte waits {@code delay} and up to {@code jitter} more.
	 * @param delay the fixed wait
	 * @param jitter the most extra wait
	 * @return the fault
	 */
	public static LinkFault delay(Duration delay, Duration jitter) {
		return new LinkFault(Kind.DELAY, delay, jitter, 0);
	}

	/**
	 * Bytes pass at most at {@code bytesPerSecond}.
	 * @param bytesPerSecond the bandwidth
	 * @return the fault
	 */
	public static LinkFault slow(long bytesPerSecond) {
		return new LinkFault(Kind.SLOW, Duration.ZERO, Duration.ZERO, bytesPerSecond);
	}

	/** A short description for reports. */
	public String describe() {
		return switch (this.kind) {
			case PASS -> "pass";
			case DROP -> "drop";
			case DELAY -> String.format(Locale.ROOT, "delay %d+%d ms", this.delay.toMillis(), this.jitter.toMillis());
			case SLOW -> String.format(Locale.ROOT, "slow %d B/s", this.bytesPerSecond);
		};
	}

	/** The kinds of faults. */
	public enum Kind {

		/** Bytes pass. */
		PASS,

		/** Bytes vanish. */
		DROP,

		/** Bytes wait. */
		DELAY,

		/** Bytes trickle. */
		SLOW

	}

}
