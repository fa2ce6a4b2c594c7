package io.viewstamp.transport;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.viewstamp.vsr.Cluster;
import io.viewstamp.vsr.Operation;
import io.viewstamp.vsr.ReplicaMessage.Commit;
import io.viewstamp.vsr.Request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Tests for starting a {@link NettyTransport} and calling it wrongly: each error names what to fix. */
class NettyTransportStartTest {

	private TransportFixture fixture;

	@BeforeEach
	void openFixture() throws Exception {
		this.fixture = new TransportFixture(3);
	}

	@AfterEach
	void closeFixture() throws Exception {
		this.fixture.close();
	}

	@Test
	void replicaOutsideThePeerListIsRefused() {
		assertThatExceptionOfType(TransportException.class).isThrownBy(() -> start(3, this.fixture.addresses))
			.withMessageContaining("Replica index 3 is outside the peer list's 0..2")
			.withMessageContaining("replication.replica");
		assertThatExceptionOfType(TransportException.class).isThrownBy(() -> start(-1, this.fixture.addresses))
			.withMessageContaining("Replica index -1");
	}

	@Test
	void addressListedTwiceIsRefused() {
		List<PeerAddress> peers = List.of(this.fixture.addresses.get(0), this.fixture.addresses.get(1),
				this.fixture.addresses.get(0));
		assertThatExceptionOfType(TransportException.class).isThrownBy(() -> start(0, peers))
			.withMessageContaining("names " + peers.get(0) + " twice (replicas 0 and 2)");
	}

	@Test
	void moreReplicasThanAClusterMayHaveAreRefused() throws Exception {
		List<PeerAddress> peers = new ArrayList<>();
		for (int index = 0; index <= Cluster.REPLICAS_MAX; index++) {
			peers.add(new PeerAddress("127.0.0.1", 20_000 + index));
		}
		assertThatExceptionOfType(TransportException.class).isThrownBy(() -> start(0, peers))
			.withMessageContaining("17 addresses, more than the 16 replicas");
		assertThatExceptionOfType(TransportException.class).isThrownBy(() -> start(0, List.of()))
			.withMessageContaining("The peer list is empty");
	}

	@Test
	void portInUseIsReportedWithTheAddress() throws Exception {
		PeerAddress taken = this.fixture.addresses.get(1);
		try (ServerSocket other = new ServerSocket(taken.port(), 1, InetAddress.getByName(taken.host()))) {
			assertThatExceptionOfType(TransportException.class).isThrownBy(() -> start(1, this.fixture.addresses))
				.withMessageContaining("Replica 1 cannot listen on " + taken)
				.withMessageContaining("another process may use this port");
		}
	}

	@Test
	void transportBindsTheGivenHostAndPort() {
		NettyTransport transport = start(2, this.fixture.addresses);
		assertThat(transport.replica()).isEqualTo(2);
		assertThat(transport.localAddress()).isEqualTo(this.fixture.addresses.get(2));
		assertThat(transport.peers()).extracting(PeerStatus::replica).containsExactly(0, 1);
	}

	@Test
	void localhostCanBeBound() throws Exception {
		List<PeerAddress> peers = List.of(new PeerAddress("localhost", this.fixture.addresses.get(0).port()));
		NettyTransport transport = start(0, peers);
		assertThat(transport.localAddress().host()).isEqualTo("localhost");
		assertThat(transport.peers()).isEmpty();
	}

	@Test
	void sendingToItselfOrOutsideTheIndexSpaceIsRefusedAndToAnUnknownReplicaDropped() {
		NettyTransport transport = start(1, this.fixture.addresses);
		Commit commit = new Commit(1, 1, 0, 0);
		assertThatIllegalArgumentException().isThrownBy(() -> transport.send(1, commit))
			.withMessageContaining("it is this replica");
		assertThatIllegalArgumentException().isThrownBy(() -> transport.send(16, commit))
			.withMessageContaining("replicas 0..15");
		assertThatIllegalArgumentException().isThrownBy(() -> transport.isConnected(1));
		// Replica 3 has no address yet (a change of members would give one): as good as not connected.
		transport.send(3, commit);
		assertThat(transport.messagesToUnknownReplicas()).isEqualTo(1);
		assertThat(transport.isConnected(3)).isFalse();
	}

	@Test
	void messageTooLargeToEncodeIsThrownToTheCaller() {
		NettyTransport transport = start(0, this.fixture.addresses);
		Request huge = new Request(1, 1, 1, Operation.COMMAND, new byte[MessageCodec.BODY_SIZE_BYTES_MAX + 1]);
		assertThatIllegalArgumentException().isThrownBy(() -> transport.send(1, huge))
			.withMessageContaining("request body");
	}

	@Test
	void messageToADisconnectedPeerIsDroppedAndCounted() {
		NettyTransport transport = start(0, this.fixture.addresses);
		transport.send(1, new Commit(1, 0, 0, 0));
		transport.send(1, new Commit(1, 0, 0, 0));
		assertThat(transport.isConnected(1)).isFalse();
		PeerStatus status = transport.peers().get(0);
		assertThat(status.connected()).isFalse();
		assertThat(status.messagesDropped()).isEqualTo(2);
		assertThat(status.messagesSent()).isZero();
	}

	@Test
	void closingTwiceIsHarmless() {
		NettyTransport transport = start(0, this.fixture.addresses);
		transport.close();
		transport.close();
		transport.send(1, new Commit(1, 0, 0, 0));
		assertThat(transport.peers().get(0).messagesDropped()).isEqualTo(1);
	}

	private NettyTransport start(int replica, List<PeerAddress> peers) {
		return this.fixture.start(TransportFixture.CLUSTER_ID, replica, peers, TransportFixture.OPTIONS,
				new RecordingListener());
	}

}
