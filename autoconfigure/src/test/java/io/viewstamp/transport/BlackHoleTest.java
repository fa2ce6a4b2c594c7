package io.viewstamp.transport;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.viewstamp.faults.FaultProxy;
import io.viewstamp.vsr.ReplicaMessage.Commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A link that silently swallows every byte while its TCP connection stays open (a failed switch, a
 * NAT entry gone): the connection looks fine to both ends and TCP tells neither for hours. The
 * transport's pings and idle timeout must notice, close the dead connection and redial, so that
 * messages flow again soon after the network heals. Real sockets through a {@link FaultProxy}.
 */
class BlackHoleTest {

	private static final Duration PING_INTERVAL = Duration.ofMillis(100);

	private static final Duration IDLE_TIMEOUT = Duration.ofMillis(500);

	/** How long a transport without the idle timeout is watched not recovering. */
	private static final Duration STALL_WATCHED = Duration.ofSeconds(2);

	private TransportFixture fixture;

	private FaultProxy proxy;

	private final RecordingListener dialer = new RecordingListener();

	private final RecordingListener acceptor = new RecordingListener();

	private final AtomicLong commit = new AtomicLong();

	@BeforeEach
	void openFixture() throws Exception {
		this.fixture = new TransportFixture(2);
		PeerAddress acceptorAddress = this.fixture.addresses.get(1);
		this.proxy = this.fixture.track(FaultProxy.start("0->1",
				new InetSocketAddress(acceptorAddress.host(), acceptorAddress.port()), 1));
	}

	@AfterEach
	void closeFixture() throws Exception {
		this.fixture.close();
	}

	@Test
	void aBlackHoledConnectionIsNoticedAndRedialedSoThatMessagesFlowOnceTheLinkHeals() {
		NettyTransport sender = startPair(TransportFixture.OPTIONS.withLiveness(PING_INTERVAL, IDLE_TIMEOUT));
		this.proxy.blackHole();
		await().atMost(TransportFixture.WAIT_MAX)
			.untilAsserted(() -> assertThat(this.dialer.events()).as("the dialer gives the dead connection up")
				.contains("disconnected 1"));
		this.proxy.heal();
		long sentAfterHeal = this.commit.get() + 1;
		await().atMost(TransportFixture.WAIT_MAX).untilAsserted(() -> {
			sender.send(1, new Commit(1, 0, this.commit.incrementAndGet(), 0));
			assertThat(receivedCommits()).as("a message sent after the heal arrives").anyMatch((commit) -> commit >= sentAfterHeal);
		});
		assertThat(this.proxy.connectionsAccepted()).as("the dialer redialed").isGreaterThan(1);
	}

	@Test
	void withoutTheIdleTimeoutABlackHoledConnectionStallsTheLinkForGood() {
		// Pings every ten minutes and an hour of patience: TCP's own view of a black hole.
		NettyTransport sender = startPair(TransportFixture.OPTIONS.withLiveness(Duration.ofMinutes(10), Duration.ofHours(1)));
		this.proxy.blackHole();
		this.proxy.heal();
		long sentAfterHeal = this.commit.get() + 1;
		await().during(STALL_WATCHED).atMost(STALL_WATCHED.plusSeconds(1)).until(() -> {
			sender.send(1, new Commit(1, 0, this.commit.incrementAndGet(), 0));
			return sender.isConnected(1) && receivedCommits().stream().noneMatch((commit) -> commit >= sentAfterHeal);
		});
	}

	/** Starts both replicas, replica 0 dialing replica 1 through the proxy, and waits for a first message. */
	private NettyTransport startPair(TransportOptions options) {
		List<PeerAddress> real = this.fixture.addresses;
		List<PeerAddress> throughProxy = List.of(real.get(0), new PeerAddress("127.0.0.1", this.proxy.port()));
		NettyTransport sender = this.fixture.start(TransportFixture.CLUSTER_ID, 0, throughProxy, options, this.dialer);
		this.fixture.start(TransportFixture.CLUSTER_ID, 1, real, options, this.acceptor);
		await().atMost(TransportFixture.WAIT_MAX).untilAsserted(() -> {
			sender.send(1, new Commit(1, 0, this.commit.incrementAndGet(), 0));
			assertThat(receivedCommits()).isNotEmpty();
		});
		return sender;
	}

	private List<Long> receivedCommits() {
		return this.acceptor.messages()
			.stream()
			.filter((received) -> received.message() instanceof Commit)
			.map((received) -> ((Commit) received.message()).commit())
			.toList();
	}

}
