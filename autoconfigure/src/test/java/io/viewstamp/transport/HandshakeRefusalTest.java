package io.viewstamp.transport;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.viewstamp.vsr.ReplicaMessage.Commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connections whose handshake fails are refused on both sides with a warning that says what to
 * fix, and nothing of them reaches the listener.
 */
class HandshakeRefusalTest {

	private static final long OTHER_CLUSTER_ID = 7;

	private TransportFixture fixture;

	private LogCapture logs;

	private final RecordingListener listener = new RecordingListener();

	@BeforeEach
	void openFixture() throws Exception {
		this.fixture = new TransportFixture(3);
		this.logs = new LogCapture();
	}

	@AfterEach
	void closeFixture() throws Exception {
		this.fixture.close();
		this.logs.close();
	}

	@Test
	void replicasOfAnotherClusterRefuseEachOtherOnBothSides() {
		RecordingListener otherListener = new RecordingListener();
		NettyTransport dialer = this.fixture.start(TransportFixture.CLUSTER_ID, 0, this.fixture.addresses,
				TransportFixture.OPTIONS, this.listener);
		NettyTransport acceptor = this.fixture.start(OTHER_CLUSTER_ID, 1, this.fixture.addresses,
				TransportFixture.OPTIONS, otherListener);
		String problem = "the peer claims cluster id 42, this replica belongs to cluster 7: check "
				+ "replication.cluster-id on both";
		await().atMost(TransportFixture.WAIT_MAX).untilAsserted(() -> assertThat(this.logs.warnings())
			.anySatisfy((warning) -> assertThat(warning).startsWith("Replica 1 refuses the connection from 127.0.0.1:")
				.endsWith(problem))
			.anySatisfy((warning) -> assertThat(warning)
				.startsWith("Replica 1 at " + this.fixture.addresses.get(1) + " refused the connection of replica 0")
				.endsWith(problem)));
		dialer.send(1, new Commit(1, 0, 0, 0));
		assertThat(dialer.isConnected(1)).isFalse();
		assertThat(acceptor.isConnected(0)).isFalse();
		assertThat(dialer.peers().get(0).messagesDropped()).isEqualTo(1);
		assertThat(this.listener.messages()).isEmpty();
		assertThat(this.listener.events()).isEmpty();
		assertThat(otherListener.messages()).isEmpty();
		assertThat(otherListener.events()).isEmpty();
	}

	@Test
	void refusedDialerKeepsTryingAndConnectsOnceTheOtherSideIsFixed() {
		NettyTransport dialer = this.fixture.start(0, this.listener);
		NettyTransport misconfigured = this.fixture.start(OTHER_CLUSTER_ID, 1, this.fixture.addresses,
				TransportFixture.OPTIONS, new RecordingListener());
		await().atMost(TransportFixture.WAIT_MAX).untilAsserted(() -> assertThat(this.logs.warnings())
			.anySatisfy((warning) -> assertThat(warning).contains("refused the connection of replica 0")));
		misconfigured.close();
		RecordingListener fixedListener = new RecordingListener();
		NettyTransport fixed = this.fixture.start(1, fixedListener);
		await().atMost(TransportFixture.WAIT_MAX).until(() -> dialer.isConnected(1) && fixed.isConnected(0));
		Commit commit = new Commit(3, 0, 1, 2);
		dialer.send(1, commit);
		await().atMost(TransportFixture.WAIT_MAX)
			.until(() -> fixedListener.messages().contains(new RecordingListener.Received(0, commit)));
		assertThat(this.listener.events()).containsExactly("connected 1");
	}

	@Test
	void acceptanceFromAnotherClusterIsRefusedByTheDialer() throws IOException {
		ServerSocket rawAcceptor = this.fixture.listenAt(1);
		NettyTransport dialer = this.fixture.start(0, this.listener);
		RawPeer acceptor = this.fixture.track(RawPeer.accept(rawAcceptor));
		RawPeer.assertIsHello(acceptor.readFrame(), TransportFixture.CLUSTER_ID, 0, 1);
		acceptor.writeFrame(RawPeer.accepted(OTHER_CLUSTER_ID, 1));
		assertThat(acceptor.readRefusal()).contains("the peer answers with cluster id 7, this replica belongs to cluster 42");
		acceptor.assertClosedByPeer();
		assertThat(this.logs.warnings()).anySatisfy((warning) -> assertThat(warning)
			.startsWith("Replica 0 refuses its connection to replica 1 at " + this.fixture.addresses.get(1)));
		assertThat(dialer.isConnected(1)).isFalse();
		assertThat(this.listener.events()).isEmpty();
	}

	@Test
	void peerListsInAnotherOrderAreRefused() {
		// Replica 0 believes the replica at address 1 is replica 1; that replica's own list makes it replica 2.
		List<PeerAddress> reordered = List.of(this.fixture.addresses.get(0), this.fixture.addresses.get(2),
				this.fixture.addresses.get(1));
		NettyTransport dialer = this.fixture.start(0, this.listener);
		RecordingListener otherListener = new RecordingListener();
		NettyTransport acceptor = this.fixture.start(TransportFixture.CLUSTER_ID, 2, reordered, TransportFixture.OPTIONS,
				otherListener);
		await().atMost(TransportFixture.WAIT_MAX).untilAsserted(() -> assertThat(this.logs.warnings())
			.anySatisfy((warning) -> assertThat(warning).startsWith("Replica 2 refuses the connection")
				.contains("believes it dials replica 1, but this is replica 2")
				.contains("same peer list (replication.peers), in the same order")));
		assertThat(dialer.isConnected(1)).isFalse();
		assertThat(acceptor.isConnected(0)).isFalse();
		assertThat(this.listener.events()).isEmpty();
		assertThat(otherListener.events()).isEmpty();
	}

	@Test
	void dialerOutsideTheIndexSpaceIsRefused() throws IOException {
		NettyTransport acceptor = this.fixture.start(1, this.listener);
		assertRefused(RawPeer.hello(TransportFixture.CLUSTER_ID, 16, 1), "claims to be replica 16, but a cluster "
				+ "has replicas 0..15");
		assertThat(acceptor.peers()).noneMatch(PeerStatus::connected);
	}

	@Test
	void dialerNotLowerThanTheAcceptorIsRefused() throws IOException {
		NettyTransport acceptor = this.fixture.start(1, this.listener);
		assertRefused(RawPeer.hello(TransportFixture.CLUSTER_ID, 2, 1), "only a lower index dials a higher one");
		assertRefused(RawPeer.hello(TransportFixture.CLUSTER_ID, 1, 1), "only a lower index dials a higher one");
		assertThat(acceptor.peers()).noneMatch(PeerStatus::connected);
	}

	@Test
	void messageInsteadOfAHelloIsRefused() throws IOException {
		this.fixture.start(1, this.listener);
		assertRefused(MessageCodec.encode(new Commit(1, 0, 0, 0)), "not a Viewstamp handshake");
	}

	@Test
	void otherReleaseIsRefusedNamingTheVersions() throws IOException {
		this.fixture.start(1, this.listener);
		byte[] hello = RawPeer.hello(TransportFixture.CLUSTER_ID, 0, 1);
		hello[4] = 3;
		assertRefused(hello, "run the same Viewstamp release on every replica");
	}

	@Test
	void connectionWithoutAHandshakeIsClosedAfterTheTimeout() throws IOException {
		this.fixture.start(1, this.listener);
		RawPeer silent = this.fixture.dial(1);
		silent.assertClosedByPeer();
		assertThat(this.logs.warnings()).anySatisfy((warning) -> assertThat(warning).contains("no handshake within 500 ms"));
		assertThat(this.listener.events()).isEmpty();
	}

	@Test
	void oversizeFrameBeforeTheHandshakeIsRefusedAtOnce() throws IOException {
		this.fixture.start(1, this.listener);
		RawPeer peer = this.fixture.dial(1);
		// A length a message may have, but a handshake may not: no unauthenticated peer gets it buffered.
		peer.write(new byte[] { 0, 0, 1, 0, 0, 0, 0, 0 });
		peer.assertClosedByPeer();
		assertThat(this.logs.warnings()).anySatisfy((warning) -> assertThat(warning)
			.contains("length 65536 is more than the " + HandshakeCodec.HANDSHAKE_SIZE_BYTES_MAX + " bytes"));
	}

	private void assertRefused(byte[] firstFrame, String reason) throws IOException {
		RawPeer peer = this.fixture.dial(1);
		peer.writeFrame(firstFrame);
		assertThat(peer.readRefusal()).contains(reason);
		peer.assertClosedByPeer();
		assertThat(this.logs.warnings())
			.anySatisfy((warning) -> assertThat(warning).startsWith("Replica 1 refuses the connection from 127.0.0.1:")
				.contains(reason));
		assertThat(this.listener.messages()).isEmpty();
		assertThat(this.listener.events()).isEmpty();
	}

}
