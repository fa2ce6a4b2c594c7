package io.viewstamp.transport;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.viewstamp.vsr.ReplicaMessage.Commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A transport learns where replicas are while it runs ({@link NettyTransport#learn},
 * {@link NettyTransport#announce}): a replica whose peer list stops before a new host reaches it once
 * a change of members names it, and its peers hear of it from the replica that announced it, so a
 * new host with a higher index, which dials none of them, is dialed by all.
 */
class AddressLearningTest {

	private TransportFixture fixture;

	private LogCapture logs;

	private final RecordingListener[] listeners = { new RecordingListener(), new RecordingListener(),
			new RecordingListener() };

	@BeforeEach
	void open() throws Exception {
		this.fixture = new TransportFixture(3);
		this.logs = new LogCapture();
	}

	@AfterEach
	void close() throws Exception {
		this.fixture.close();
		this.logs.close();
	}

	@Test
	void anAnnouncedHostIsDialedByTheAnnouncerAndByEveryPeerItTells() {
		List<PeerAddress> firstTwo = this.fixture.addresses.subList(0, 2);
		NettyTransport zero = start(0, firstTwo);
		NettyTransport one = start(1, firstTwo);
		NettyTransport two = start(2, this.fixture.addresses);
		await().atMost(TransportFixture.WAIT_MAX).until(() -> zero.isConnected(1));
		assertThat(one.peerAddress(2)).isNull();
		assertThat(two.isConnected(0)).isFalse();

		zero.announce(2, this.fixture.addresses.get(2));

		await().atMost(TransportFixture.WAIT_MAX)
			.until(() -> two.isConnected(0) && two.isConnected(1) && zero.isConnected(2) && one.isConnected(2));
		assertThat(one.peerAddress(2)).isEqualTo(this.fixture.addresses.get(2));
		assertThat(this.logs.all()).anySatisfy((line) -> assertThat(line)
			.contains("Replica 1 learned that replica 2 is at " + this.fixture.addresses.get(2) + " (replica 0 told it); "
					+ "it dials it"));
		Commit commit = new Commit(4, 2, 7, 8);
		two.send(1, commit);
		await().atMost(TransportFixture.WAIT_MAX)
			.until(() -> this.listeners[1].messages().contains(new RecordingListener.Received(2, commit)));
	}

	@Test
	void aPeerThatConnectsAfterTheAnnouncementHearsItOnConnecting() {
		List<PeerAddress> firstTwo = this.fixture.addresses.subList(0, 2);
		NettyTransport zero = start(0, firstTwo);
		start(2, this.fixture.addresses);
		zero.announce(2, this.fixture.addresses.get(2));
		await().atMost(TransportFixture.WAIT_MAX).until(() -> zero.isConnected(2));

		NettyTransport one = start(1, firstTwo);
		await().atMost(TransportFixture.WAIT_MAX).until(() -> one.isConnected(0) && one.isConnected(2));
	}

	@Test
	void aWrongAnnouncedAddressIsReplacedByTheNextAnnouncement() throws Exception {
		List<PeerAddress> firstTwo = this.fixture.addresses.subList(0, 2);
		NettyTransport zero = start(0, firstTwo);
		NettyTransport one = start(1, firstTwo);
		NettyTransport two = start(2, this.fixture.addresses);
		await().atMost(TransportFixture.WAIT_MAX).until(() -> zero.isConnected(1));
		PeerAddress typo = LoopbackPorts.freeAddresses(1).get(0);
		zero.announce(2, typo);
		await().atMost(TransportFixture.WAIT_MAX).until(() -> typo.equals(one.peerAddress(2)));

		// The operator asks again with the right address: the peer that only heard the typo moves too.
		zero.retractAnnouncements();
		zero.announce(2, this.fixture.addresses.get(2));
		await().atMost(TransportFixture.WAIT_MAX).until(() -> two.isConnected(0) && two.isConnected(1));
		assertThat(one.peerAddress(2)).isEqualTo(this.fixture.addresses.get(2));
	}

	@Test
	void learningMovesAKnownPeer() throws Exception {
		PeerAddress nowhere = LoopbackPorts.freeAddresses(1).get(0);
		NettyTransport zero = start(0, List.of(this.fixture.addresses.get(0), nowhere));
		NettyTransport one = start(1, this.fixture.addresses.subList(0, 2));
		assertThat(zero.isConnected(1)).isFalse();

		assertThat(zero.learn(1, this.fixture.addresses.get(1))).isTrue();
		await().atMost(TransportFixture.WAIT_MAX).until(() -> zero.isConnected(1) && one.isConnected(0));
		assertThat(zero.peerAddress(1)).isEqualTo(this.fixture.addresses.get(1));
		assertThat(this.logs.all()).anySatisfy((line) -> assertThat(line)
			.contains("Replica 0 reaches replica 1 at " + this.fixture.addresses.get(1) + " from now on, no longer at "
					+ nowhere));

	}

	@Test
	void newsOfAReplicaAPeerKnowsLeavesItsAddressAlone() {
		NettyTransport zero = start(0, this.fixture.addresses);
		start(1, this.fixture.addresses);
		NettyTransport two = start(2, this.fixture.addresses);
		await().atMost(TransportFixture.WAIT_MAX).until(() -> zero.isConnected(1) && zero.isConnected(2));

		PeerAddress elsewhere = PeerAddress.parse("127.0.0.1:1");
		zero.announce(1, elsewhere);
		// Frames of one connection arrive in order: once the commit is in, so is the news before it.
		Commit after = new Commit(3, 0, 1, 2);
		zero.send(2, after);
		await().atMost(TransportFixture.WAIT_MAX)
			.until(() -> this.listeners[2].messages().contains(new RecordingListener.Received(0, after)));
		assertThat(zero.peerAddress(1)).isEqualTo(elsewhere);
		assertThat(two.peerAddress(1)).isEqualTo(this.fixture.addresses.get(1));
		assertThat(two.isConnected(1)).isTrue();
	}

	private NettyTransport start(int replica, List<PeerAddress> peers) {
		return this.fixture.start(TransportFixture.CLUSTER_ID, replica, peers, TransportFixture.OPTIONS,
				this.listeners[replica]);
	}

}
