package io.viewstamp.transport;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.viewstamp.vsr.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Looking up a peer's host name may block for as long as a DNS server takes to answer. The
 * transport looks names up off its one I/O thread, so that a slow name holds up the connection to
 * that peer only, never the replica's other connections.
 */
class AddressLookupTest {

	private TransportFixture fixture;

	private final RecordingListener[] listeners = { new RecordingListener(), new RecordingListener(),
			new RecordingListener() };

	private final NettyTransport[] transports = new NettyTransport[3];

	private final CountDownLatch lookupOfReplica2Started = new CountDownLatch(1);

	private final CountDownLatch dnsAnswers = new CountDownLatch(1);

	@BeforeEach
	void openFixture() throws Exception {
		this.fixture = new TransportFixture(3);
	}

	@AfterEach
	void closeFixture() throws Exception {
		this.dnsAnswers.countDown();
		this.fixture.close();
	}

	@Test
	void aPeerWhoseNameIsSlowToResolveHoldsUpNoOtherConnection() throws Exception {
		PeerAddress slow = this.fixture.addresses.get(2);
		// Replica 0 dials 1 and 2; the lookup of 2's name hangs until the test lets it answer.
		this.transports[0] = this.fixture.track(NettyTransport.start(TransportFixture.CLUSTER_ID, 0,
				this.fixture.addresses, TransportFixture.OPTIONS, this.listeners[0], (peer) -> {
					if (peer.equals(slow)) {
						this.lookupOfReplica2Started.countDown();
						awaitQuietly(this.dnsAnswers);
					}
					return AddressLookup.SYSTEM.lookup(peer);
				}));
		this.transports[1] = this.fixture.start(1, this.listeners[1]);
		this.transports[2] = this.fixture.start(2, this.listeners[2]);
		assertThat(this.lookupOfReplica2Started.await(TransportFixture.WAIT_MAX.toSeconds(), TimeUnit.SECONDS)).isTrue();

		Request request = SampleMessages.command(7, 1, 1, "while a lookup hangs");
		await().atMost(TransportFixture.WAIT_MAX).until(() -> connected(0, 1));
		this.transports[0].send(1, request);
		await().atMost(TransportFixture.WAIT_MAX)
			.untilAsserted(() -> assertThat(this.listeners[1].encodedFrom(0)).contains(RecordingListener.encoded(request)));
		assertThat(connected(0, 2)).isFalse();

		this.dnsAnswers.countDown();
		await().atMost(TransportFixture.WAIT_MAX).until(() -> connected(0, 2));
	}

	@Test
	void aNameThatDoesNotResolveIsRetriedUntilItDoes() {
		PeerAddress unresolvable = this.fixture.addresses.get(1);
		AtomicInteger failedLookups = new AtomicInteger();
		this.transports[0] = this.fixture.track(NettyTransport.start(TransportFixture.CLUSTER_ID, 0,
				this.fixture.addresses, TransportFixture.OPTIONS, this.listeners[0], (peer) -> {
					if (peer.equals(unresolvable) && this.dnsAnswers.getCount() > 0) {
						failedLookups.incrementAndGet();
						return InetSocketAddress.createUnresolved(peer.host(), peer.port());
					}
					return AddressLookup.SYSTEM.lookup(peer);
				}));
		this.transports[1] = this.fixture.start(1, this.listeners[1]);
		await().atMost(TransportFixture.WAIT_MAX).until(() -> failedLookups.get() >= 3);
		assertThat(connected(0, 1)).isFalse();

		this.dnsAnswers.countDown();
		await().atMost(TransportFixture.WAIT_MAX).until(() -> connected(0, 1));
	}

	private boolean connected(int from, int to) {
		return this.transports[from].peers().stream().anyMatch((peer) -> peer.replica() == to && peer.connected());
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(TransportFixture.WAIT_MAX.toSeconds(), TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
