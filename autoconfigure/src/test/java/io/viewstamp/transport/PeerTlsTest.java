package io.viewstamp.transport;

import io.viewstamp.vsr.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Mutual TLS between replicas ({@link PeerTls}): trusted replicas talk, and every way of getting
 * it wrong (an untrusted certificate, a certificate of another host, TLS on one side only) keeps
 * the replicas apart with a warning that says what to fix. The key stores are in
 * {@code src/test/resources/tls}; its README says how they were made.
 */
class PeerTlsTest {

	private TransportFixture fixture;

	private LogCapture logs;

	private final RecordingListener[] listeners = { new RecordingListener(), new RecordingListener() };

	private final NettyTransport[] transports = new NettyTransport[2];

	@BeforeEach
	void openFixture() throws Exception {
		this.fixture = new TransportFixture(2);
		this.logs = new LogCapture();
	}

	@AfterEach
	void closeFixture() throws Exception {
		this.fixture.close();
		this.logs.close();
	}

	@Test
	void replicasWithTrustedCertificatesExchangeMessagesOverTls() {
		start(0, tls("replica"));
		start(1, tls("replica"));
		await().atMost(TransportFixture.WAIT_MAX).until(() -> connected(0) && connected(1));

		Request request = SampleMessages.command(7, 1, 1, "over tls");
		this.transports[0].send(1, request);
		this.transports[1].send(0, request);

		await().atMost(TransportFixture.WAIT_MAX)
			.untilAsserted(() -> assertThat(this.listeners[1].encodedFrom(0)).containsExactly(RecordingListener.encoded(request)));
		await().atMost(TransportFixture.WAIT_MAX)
			.untilAsserted(() -> assertThat(this.listeners[0].encodedFrom(1)).containsExactly(RecordingListener.encoded(request)));
	}

	@Test
	void anAcceptorWhoseCertificateIsNotTrustedIsRefusedWithAWarningThatSaysWhy() {
		start(0, tls("replica"));
		start(1, tls("stranger"));

		awaitWarning("the TLS handshake failed");
		assertApart();
		assertThat(this.logs.warnings()).anyMatch((warning) -> warning.contains("trust the others' certificates"));
	}

	@Test
	void aDialerWhoseCertificateIsNotTrustedIsRefusedWithAWarningThatSaysWhy() {
		// Replica 0 dials and trusts replica 1; replica 1 requires a certificate it trusts, which 0 lacks.
		start(0, tls("stranger"));
		start(1, tls("replica"));

		awaitWarning("the TLS handshake failed");
		assertApart();
	}

	@Test
	void aCertificateThatDoesNotNameTheDialedHostIsRefusedEvenWhenTrusted() {
		// Replica 0 dials 127.0.0.1; replica 1's certificate, trusted, names replica.example.org only.
		start(0, tls("replica"));
		start(1, tls("elsewhere"));

		awaitWarning("the TLS handshake failed");
		assertApart();
		assertThat(this.logs.warnings()).anyMatch((warning) -> warning.contains("must name its host"));
	}

	@Test
	void aReplicaWithoutTlsIsRefusedByOneWithTlsWithAWarningThatSaysWhy() {
		// The plain replica dials: the TLS replica sees a frame where a TLS record belongs.
		start(0, null);
		start(1, tls("replica"));

		awaitWarning("the peer does not speak TLS, and this replica does");
		assertApart();
	}

	@Test
	void aReplicaWithTlsIsRefusedByOneWithoutWithAWarningThatSaysWhy() {
		// The TLS replica dials: the plain replica sees a TLS record where a frame belongs.
		start(0, tls("replica"));
		start(1, null);

		awaitWarning("The peer speaks TLS and this replica does not");
		assertApart();
	}

	private void start(int replica, PeerTls tls) {
		this.transports[replica] = this.fixture.start(TransportFixture.CLUSTER_ID, replica, this.fixture.addresses,
				TransportFixture.OPTIONS.withTls(tls), this.listeners[replica]);
	}

	private boolean connected(int replica) {
		return this.transports[replica].peers().stream().filter((peer) -> peer.replica() != replica).allMatch(PeerStatus::connected);
	}

	private void awaitWarning(String text) {
		await().atMost(TransportFixture.WAIT_MAX)
			.until(() -> this.logs.warnings().stream().anyMatch((warning) -> warning.contains(text)));
	}

	/** The failed handshake never let a connection through, nor any frame to the replicas. */
	private void assertApart() {
		assertThat(connected(0)).isFalse();
		assertThat(connected(1)).isFalse();
		assertThat(this.listeners[0].events()).isEmpty();
		assertThat(this.listeners[1].events()).isEmpty();
		assertThat(this.listeners[0].messages()).isEmpty();
		assertThat(this.listeners[1].messages()).isEmpty();
	}

	private static PeerTls tls(String keys) {
		return TestKeyStores.peerTls(keys);
	}

}
