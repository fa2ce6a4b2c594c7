package io.viewstamp.transport;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flood of bad connections, each with its own problem (a port scan, a fuzzer), must not flood the
 * log: at most {@link RefusalLog#WARNINGS_PER_WINDOW} warnings a minute, and the next says how many
 * were left out; every refusal is still counted.
 */
class RefusalLogTest {

	private final LogCapture logs = new LogCapture();

	private final AtomicLong nanos = new AtomicLong();

	private final Map<RefusalReason, LongAdder> counts = RefusalLog.newCounts();

	private final RefusalLog log = new RefusalLog(System.getLogger("io.viewstamp.transport.RefusalLogTest"), this.counts,
			this.nanos::get);

	@AfterEach
	void closeLogs() {
		this.logs.close();
	}

	@Test
	void aFloodOfDistinctProblemsWritesAtMostTenWarningsAMinute() {
		for (int connection = 0; connection < 50; connection++) {
			this.log.refused(RefusalReason.MALFORMED, "Replica 1 refuses the connection from 10.0.0." + connection,
					"garbage number " + connection);
		}
		assertThat(this.logs.warnings()).hasSize(RefusalLog.WARNINGS_PER_WINDOW);
		assertThat(this.counts.get(RefusalReason.MALFORMED).sum()).isEqualTo(50);
		this.nanos.addAndGet(Duration.ofMinutes(1).toNanos());
		this.log.refused(RefusalReason.TIMEOUT, "Replica 1 refuses the connection from 10.0.0.99", "no handshake");
		assertThat(this.logs.warnings()).hasSize(RefusalLog.WARNINGS_PER_WINDOW + 1)
			.last()
			.asString()
			.contains("no handshake (40 other refusals were not logged as warnings before this one");
	}

	@Test
	void theSameProblemRepeatedWarnsOnceUntilAHandshakeSucceeds() {
		for (int attempt = 0; attempt < 5; attempt++) {
			this.log.wasRefused("Replica 2 refused the connection of replica 0", "another cluster");
		}
		assertThat(this.logs.warnings()).hasSize(1);
		this.log.reset();
		this.log.wasRefused("Replica 2 refused the connection of replica 0", "another cluster");
		assertThat(this.logs.warnings()).hasSize(2);
		assertThat(this.counts.values()).allMatch((count) -> count.sum() == 0);
	}

}
