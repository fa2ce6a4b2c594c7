package io.viewstamp.transport;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Tests for {@link TransportOptions}: the defaults and the errors for impossible values. */
class TransportOptionsTest {

	@Test
	void defaultsAreTheDocumentedOnes() {
		TransportOptions options = TransportOptions.defaults();
		assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(options.handshakeTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(options.reconnectDelayMin()).isEqualTo(Duration.ofMillis(50));
		assertThat(options.reconnectDelayMax()).isEqualTo(Duration.ofSeconds(1));
		assertThat(options.outboundBytesMax()).isEqualTo(64 << 20);
		assertThat(options.pingInterval()).isEqualTo(Duration.ofSeconds(1));
		assertThat(options.idleTimeout()).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void anIdleTimeoutShorterThanTwoPingsIsRefused() {
		assertThat(TransportOptions.defaults().withLiveness(Duration.ofMillis(100), Duration.ofMillis(200)).idleTimeout())
			.isEqualTo(Duration.ofMillis(200));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TransportOptions.defaults().withLiveness(Duration.ofSeconds(1), Duration.ofMillis(1999)))
			.withMessageContaining("idleTimeout PT1.999S is less than twice the pingInterval PT1S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TransportOptions.defaults().withLiveness(Duration.ZERO, Duration.ofSeconds(5)))
			.withMessageContaining("pingInterval");
	}

	@Test
	void nonPositiveDurationsAreRefusedByName() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TransportOptions.defaults().withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
			.withMessageContaining("connectTimeout");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TransportOptions.defaults().withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(-1)))
			.withMessageContaining("handshakeTimeout");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TransportOptions.defaults().withReconnectDelays(Duration.ZERO, Duration.ofSeconds(1)))
			.withMessageContaining("reconnectDelayMin");
	}

	@Test
	void reconnectMinimumLongerThanMaximumIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TransportOptions.defaults().withReconnectDelays(Duration.ofSeconds(2), Duration.ofSeconds(1)))
			.withMessageContaining("reconnectDelayMin PT2S is longer than reconnectDelayMax PT1S");
	}

	@Test
	void outboundBoundBelow64KibIsRefused() {
		assertThat(TransportOptions.defaults().withOutboundBytesMax(64 << 10).outboundBytesMax()).isEqualTo(65536);
		assertThatIllegalArgumentException().isThrownBy(() -> TransportOptions.defaults().withOutboundBytesMax(65535))
			.withMessageContaining("outboundBytesMax 65535 bytes")
			.withMessageContaining("at least 64 KiB");
	}

}
