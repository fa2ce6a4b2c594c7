package io.viewstamp.transport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.viewstamp.transport.Handshake.Accepted;
import io.viewstamp.transport.Handshake.Hello;
import io.viewstamp.transport.Handshake.Proven;
import io.viewstamp.vsr.ReplicaMessage.Commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Replicas without TLS that share a secret ({@link PeerSecret}, {@code replication.secret}): they
 * prove it to each other over fresh nonces and never send it; a peer that knows the cluster id but
 * not the secret is refused, counted, and nothing it sends reaches the replica. Real sockets.
 */
class SharedSecretTest {

	private static final String SECRET = "correct horse battery staple 42";

	private static final TransportOptions WITH_SECRET = TransportFixture.OPTIONS.withSecret(PeerSecret.of(SECRET));

	private TransportFixture fixture;

	private LogCapture logs;

	private final RecordingListener dialer = new RecordingListener();

	private final RecordingListener acceptor = new RecordingListener();

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
	void replicasWithTheSameSecretConnectAndExchangeMessages() {
		NettyTransport sender = start(0, WITH_SECRET, this.dialer);
		start(1, WITH_SECRET, this.acceptor);
		Commit commit = new Commit(3, 0, 9, 0);
		await().atMost(TransportFixture.WAIT_MAX).untilAsserted(() -> {
			sender.send(1, commit);
			assertThat(this.acceptor.messages()).contains(new RecordingListener.Received(0, commit));
		});
		assertThat(this.logs.warnings()).noneMatch((warning) -> warning.contains("neither TLS nor a shared secret"));
	}

	@Test
	void replicasWithDifferentSecretsRefuseEachOtherNamingTheProperty() {
		NettyTransport sender = start(0, WITH_SECRET, this.dialer);
		NettyTransport other = start(1, TransportFixture.OPTIONS.withSecret(PeerSecret.of("another secret, 16 chars or more")),
				this.acceptor);
		await().atMost(TransportFixture.WAIT_MAX).untilAsserted(() -> assertThat(this.logs.warnings())
			.anySatisfy((warning) -> assertThat(warning).startsWith("Replica 0 refuses its connection to replica 1")
				.contains("could not prove it knows the cluster's shared secret: set the same replication.secret")));
		await().atMost(TransportFixture.WAIT_MAX)
			.untilAsserted(() -> assertThat(sender.refusals().get(RefusalReason.SECRET)).isPositive());
		sender.send(1, new Commit(3, 0, 9, 0));
		assertThat(other.isConnected(0)).isFalse();
		assertThat(this.acceptor.events()).isEmpty();
		assertThat(this.acceptor.messages()).isEmpty();
		assertThat(this.logs.all()).noneMatch((line) -> line.contains(SECRET) || line.contains("another secret"));
	}

	@Test
	void aReplicaWithASecretAndOneWithoutRefuseEachOtherSayingWhichHasIt() {
		start(0, TransportFixture.OPTIONS, this.dialer);
		NettyTransport guarded = start(1, WITH_SECRET, this.acceptor);
		await().atMost(TransportFixture.WAIT_MAX).untilAsserted(() -> assertThat(this.logs.warnings())
			.anySatisfy((warning) -> assertThat(warning).startsWith("Replica 1 refuses the connection from")
				.contains("has no shared secret and this replica requires one (replication.secret)")));
		assertThat(guarded.refusals().get(RefusalReason.SECRET)).isPositive();
		assertThat(this.acceptor.events()).isEmpty();
		assertThat(this.logs.warnings()).anySatisfy((warning) -> assertThat(warning)
			.startsWith("Replica 0 has neither TLS nor a shared secret")
			.contains("Set replication.secret"));
	}

	@Test
	void aPeerThatKnowsTheClusterIdButNotTheSecretGetsNothingThrough() throws IOException {
		NettyTransport guarded = start(1, WITH_SECRET, this.acceptor);
		RawPeer intruder = this.fixture.dial(1);
		byte[] nonce = new byte[PeerSecret.NONCE_SIZE_BYTES];
		intruder.writeFrame(HandshakeCodec.encode(new Hello(TransportFixture.CLUSTER_ID, 0, 1, true, nonce)));
		assertThat(HandshakeCodec.decode(intruder.readFrame())).isInstanceOf(Accepted.class);
		// A guessed proof, then a message it hopes will pass.
		intruder.writeFrame(HandshakeCodec.encode(new Proven(new byte[PeerSecret.PROOF_SIZE_BYTES])));
		intruder.writeFrame(MessageCodec.encode(new Commit(3, 0, 9, 0)));
		assertThat(intruder.readRefusal()).contains("could not prove it knows the cluster's shared secret");
		intruder.assertClosedByPeer();
		assertThat(guarded.refusals().get(RefusalReason.SECRET)).isEqualTo(1);
		assertThat(this.acceptor.events()).isEmpty();
		assertThat(this.acceptor.messages()).isEmpty();
	}

	@Test
	void theSecretNeverCrossesTheWireAndEachProofCoversBothNonces() throws IOException {
		ServerSocket rawAcceptor = this.fixture.listenAt(1);
		NettyTransport sender = start(0, WITH_SECRET, this.dialer);
		RawPeer acceptorSide = this.fixture.track(RawPeer.accept(rawAcceptor));
		byte[] helloBytes = acceptorSide.readFrame();
		Hello hello = (Hello) HandshakeCodec.decode(helloBytes);
		assertThat(hello.authenticated()).isTrue();
		byte[] acceptorNonce = Nonces.next();
		PeerSecret secret = PeerSecret.of(SECRET);
		byte[] acceptorProof = secret.acceptorProof(TransportFixture.CLUSTER_ID, 0, 1, hello.nonce(), acceptorNonce);
		acceptorSide.writeFrame(
				HandshakeCodec.encode(new Accepted(TransportFixture.CLUSTER_ID, 1, acceptorNonce, acceptorProof)));
		byte[] provenBytes = acceptorSide.readFrame();
		Proven proven = (Proven) HandshakeCodec.decode(provenBytes);
		assertThat(proven.proof())
			.isEqualTo(secret.dialerProof(TransportFixture.CLUSTER_ID, 0, 1, hello.nonce(), acceptorNonce))
			.as("the dialer's proof is not the acceptor's sent back")
			.isNotEqualTo(acceptorProof);
		byte[] secretBytes = SECRET.getBytes(StandardCharsets.UTF_8);
		assertThat(contains(helloBytes, secretBytes) || contains(provenBytes, secretBytes)).isFalse();
		await().atMost(TransportFixture.WAIT_MAX).until(() -> sender.isConnected(1));
		// The next dial brings another nonce, so a recorded proof is worth nothing.
		acceptorSide.close();
		RawPeer second = this.fixture.track(RawPeer.accept(rawAcceptor));
		Hello secondHello = (Hello) HandshakeCodec.decode(second.readFrame());
		assertThat(secondHello.nonce()).isNotEqualTo(hello.nonce());
	}

	@Test
	void aShortSecretIsRefusedWithoutShowingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> PeerSecret.of("hunter2"))
			.withMessageContaining("7 characters, fewer than the 16 required")
			.withMessageContaining("openssl rand -base64 32")
			.withMessageNotContaining("hunter2");
		assertThat(PeerSecret.of(SECRET)).hasToString("PeerSecret[hidden]");
	}

	private NettyTransport start(int replica, TransportOptions options, RecordingListener listener) {
		return this.fixture.start(TransportFixture.CLUSTER_ID, replica, this.fixture.addresses, options, listener);
	}

	private static boolean contains(byte[] haystack, byte[] needle) {
		for (int start = 0; start + needle.length <= haystack.length; start++) {
			if (Arrays.equals(haystack, start, start + needle.length, needle, 0, needle.length)) {
				return true;
			}
		}
		return false;
	}

}
