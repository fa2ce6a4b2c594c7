package io.viewstamp.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Addresses on 127.0.0.1 with free ports, and the transports and sockets a test opens on them,
 * all closed at the end of the test.
 */
final class TransportFixture implements AutoCloseable {

	static final long CLUSTER_ID = SampleMessages.CLUSTER_ID;

	/** Quick retries and a short handshake, so that tests of failures end fast. */
	static final TransportOptions OPTIONS = TransportOptions.defaults()
		.withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(500))
		.withReconnectDelays(Duration.ofMillis(10), Duration.ofMillis(100));

	/** A bound on every wait for the network: generous, never reached when the tests pass. */
	static final Duration WAIT_MAX = Duration.ofSeconds(10);

	final List<PeerAddress> addresses;

	private final List<AutoCloseable> opened = new ArrayList<>();

	TransportFixture(int replicas) throws IOException {
		this.addresses = LoopbackPorts.freeAddresses(replicas);
	}

	NettyTransport start(int replica, MessageListener listener) {
		return start(CLUSTER_ID, replica, this.addresses, OPTIONS, listener);
	}

	NettyTransport start(long clusterId, int replica, List<PeerAddress> peers, TransportOptions options,
			MessageListener listener) {
		return track(NettyTransport.start(clusterId, replica, peers, options, listener));
	}

	<T extends AutoCloseable> T track(T closeable) {
		this.opened.add(closeable);
		return closeable;
	}

	ServerSocket listenAt(int replica) throws IOException {
		PeerAddress address = this.addresses.get(replica);
		return track(new ServerSocket(address.port(), 50, InetAddress.getByName(address.host())));
	}

	RawPeer dial(int replica) throws IOException {
		return track(RawPeer.dial(this.addresses.get(replica)));
	}

	RawPeer dialAndHandshake(int dialer, int acceptor) throws IOException {
		return track(RawPeer.dialAndHandshake(this.addresses.get(acceptor), CLUSTER_ID, dialer, acceptor));
	}

	@Override
	public void close() throws Exception {
		for (int index = this.opened.size() - 1; index >= 0; index--) {
			this.opened.get(index).close();
		}
	}

}
