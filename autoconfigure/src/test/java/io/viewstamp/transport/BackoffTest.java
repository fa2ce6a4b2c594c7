package io.viewstamp.transport;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests for {@link Backoff}: doubling waits, capped, with jitter, back to the minimum after a success. */
class BackoffTest {

	private static final long MILLIS = 1_000_000;

	@Test
	void waitsDoubleUpToTheMaximumWithinHalfOfTheirNominalValue() {
		Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
		long[] nominalMillis = { 100, 200, 400, 800, 1000, 1000, 1000 };
		for (long nominal : nominalMillis) {
			assertThat(backoff.nextDelayNanos()).isBetween(nominal * MILLIS / 2, nominal * MILLIS);
		}
	}

	@Test
	void resetStartsAgainFromTheMinimum() {
		Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
		for (int attempt = 0; attempt < 10; attempt++) {
			backoff.nextDelayNanos();
		}
		backoff.reset();
		assertThat(backoff.nextDelayNanos()).isBetween(50 * MILLIS, 100 * MILLIS);
	}

}
