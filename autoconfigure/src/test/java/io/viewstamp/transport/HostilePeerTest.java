package io.viewstamp.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.viewstamp.vsr.ReplicaMessage.Commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A peer that completes the handshake and then misbehaves loses its own connection, with a
 * warning, and nothing else: the other replicas' connections keep delivering. Replica 0 is a raw
 * socket; replicas 1 and 2 are transports.
 */
class HostilePeerTest {

	private TransportFixture fixture;

	private LogCapture logs;

	private final RecordingListener listener1 = new RecordingListener();

	private final RecordingListener listener2 = new RecordingListener();

	private NettyTransport replica1;

	private NettyTransport replica2;

	@BeforeEach
	void startReplicas() throws Exception {
		this.fixture = new TransportFixture(3);
		this.logs = new LogCapture();
		this.replica1 = this.fixture.start(1, this.listener1);
		this.replica2 = this.fixture.start(2, this.listener2);
		await().atMost(TransportFixture.WAIT_MAX).until(() -> this.replica1.isConnected(2));
	}

	@AfterEach
	void closeFixture() throws Exception {
		this.fixture.close();
		this.logs.close();
	}

	static Stream<Arguments> badBytes() {
		ByteBuffer badChecksum = Frame.encode(MessageCodec.encode(new Commit(1, 0, 2, 3))).order(ByteOrder.LITTLE_ENDIAN);
		badChecksum.putInt(Integer.BYTES, badChecksum.getInt(Integer.BYTES) + 1);
		byte[] oversizeLength = ByteBuffer.allocate(Frame.HEADER_SIZE_BYTES)
			.order(ByteOrder.LITTLE_ENDIAN)
			.putInt(Frame.PAYLOAD_SIZE_BYTES_MAX + 1)
			.array();
		return Stream.of(Arguments.of("a frame of garbage", bytes(Frame.encode(new byte[] { MessageCodec.VERSION, 99, 7, 7, 7 })),
				"unknown message type 99"), Arguments.of("a frame with a bad checksum", bytes(badChecksum), "checksum"),
				Arguments.of("an oversize length", oversizeLength, "is more than the " + Frame.PAYLOAD_SIZE_BYTES_MAX),
				Arguments.of("address news cut short", bytes(Frame.encode(Arrays.copyOf(
						AddressNews.encode(Map.of(3, PeerAddress.parse("localhost:7403"))), 10))),
						"Malformed address news: it ends after 10 bytes"),
				Arguments.of("address news of no host:port", bytes(Frame.encode(newsOf(3, "no-port"))),
						"Malformed address news: Peer address 'no-port'"));
	}

	/** News that replica {@code replica} is at {@code text}, whatever the text. */
	private static byte[] newsOf(int replica, String text) {
		byte[] address = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		return ByteBuffer.allocate(4 + 1 + 2 + address.length)
			.order(ByteOrder.LITTLE_ENDIAN)
			.putInt(AddressNews.MAGIC)
			.put((byte) 1)
			.put((byte) replica)
			.put((byte) address.length)
			.put(address)
			.array();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badBytes")
	void malformedBytesCloseOnlyThatConnection(String what, byte[] bytes, String reason) throws Exception {
		RawPeer peer = this.fixture.dialAndHandshake(0, 1);
		Commit valid = new Commit(5, 0, 10, 11);
		peer.send(valid);
		await().atMost(TransportFixture.WAIT_MAX)
			.until(() -> this.listener1.messages().contains(new RecordingListener.Received(0, valid)));
		peer.write(bytes);
		peer.assertClosedByPeer();
		assertThat(this.logs.warnings()).anySatisfy((warning) -> assertThat(warning)
			.startsWith("Replica 1 closes its connection with replica 0 at 127.0.0.1:")
			.contains(reason));
		await().atMost(TransportFixture.WAIT_MAX).until(() -> !this.replica1.isConnected(0));
		assertThat(this.listener1.events()).containsSubsequence("connected 0", "disconnected 0");
		assertThat(this.listener1.messages()).extracting(RecordingListener.Received::fromReplica).containsOnly(0);
		assertOtherConnectionDelivers();
	}

	@Test
	void replicaMessageNamingAnotherSenderClosesTheConnection() throws Exception {
		RawPeer peer = this.fixture.dialAndHandshake(0, 1);
		peer.send(new Commit(5, 2, 10, 11));
		peer.assertClosedByPeer();
		assertThat(this.logs.warnings()).anySatisfy((warning) -> assertThat(warning)
			.contains("a Commit names replica 2 as its sender, but the handshake verified replica 0"));
		assertThat(this.listener1.messages()).isEmpty();
		assertOtherConnectionDelivers();
	}

	@Test
	void requestsAndRepliesArePassedOnWithTheConnectionsSender() throws Exception {
		RawPeer peer = this.fixture.dialAndHandshake(0, 1);
		for (var message : SampleMessages.all().subList(0, 5)) {
			peer.send(message);
		}
		await().atMost(TransportFixture.WAIT_MAX).until(() -> this.listener1.messages().size() == 5);
		assertThat(this.listener1.encodedFrom(0)).containsExactlyElementsOf(
				SampleMessages.all().subList(0, 5).stream().map(RecordingListener::encoded).toList());
	}

	@Test
	void newConnectionFromTheSamePeerReplacesTheOldOne() throws Exception {
		RawPeer halfOpen = this.fixture.dialAndHandshake(0, 1);
		await().atMost(TransportFixture.WAIT_MAX).until(() -> this.replica1.isConnected(0));
		RawPeer restarted = this.fixture.dialAndHandshake(0, 1);
		halfOpen.assertClosedByPeer();
		Commit commit = new Commit(6, 0, 1, 2);
		restarted.send(commit);
		await().atMost(TransportFixture.WAIT_MAX)
			.until(() -> this.listener1.messages().contains(new RecordingListener.Received(0, commit)));
		assertThat(this.replica1.isConnected(0)).isTrue();
		assertThat(this.listener1.events()).filteredOn((event) -> event.endsWith(" 0"))
			.containsExactly("connected 0", "disconnected 0", "connected 0");
	}

	@Test
	void messagesReachARawPeerFramedAsDocumented() throws Exception {
		RawPeer peer = this.fixture.dialAndHandshake(0, 1);
		await().atMost(TransportFixture.WAIT_MAX).until(() -> this.replica1.isConnected(0));
		Commit commit = new Commit(6, 1, 1, 2);
		this.replica1.send(0, commit);
		assertThat(MessageCodec.decode(ByteBuffer.wrap(peer.readFrame()))).isEqualTo(commit);
	}

	private void assertOtherConnectionDelivers() {
		Commit from1 = new Commit(8, 1, 20, 21);
		Commit from2 = new Commit(8, 2, 20, 21);
		this.replica1.send(2, from1);
		this.replica2.send(1, from2);
		await().atMost(TransportFixture.WAIT_MAX).untilAsserted(() -> {
			assertThat(this.listener2.messages()).contains(new RecordingListener.Received(1, from1));
			assertThat(this.listener1.messages()).contains(new RecordingListener.Received(2, from2));
		});
	}

	private static byte[] bytes(ByteBuffer buffer) {
		byte[] bytes = new byte[buffer.remaining()];
		buffer.get(bytes);
		return bytes;
	}

}
