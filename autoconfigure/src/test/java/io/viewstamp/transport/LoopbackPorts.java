package io.viewstamp.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Ports on 127.0.0.1 that were free a moment ago, for tests that start replicas on loopback. */
public final class LoopbackPorts {

	private LoopbackPorts() {
	}

	/**
	 * Distinct free ports: each is bound and released, and every socket is held until all are chosen
	 * so that the ports differ. A port just released is unlikely to be handed out again before the
	 * test binds it.
	 * @param count how many
	 * @return the ports
	 */
	public static int[] freePorts(int count) {
		List<ServerSocket> sockets = new ArrayList<>();
		try {
			for (int index = 0; index < count; index++) {
				ServerSocket socket = new ServerSocket();
				sockets.add(socket);
				socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			}
			return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free port on 127.0.0.1", ex);
		}
		finally {
			for (ServerSocket socket : sockets) {
				try {
					socket.close();
				}
				catch (IOException ex) {
					// Closing a listening socket that accepted nothing does not fail in a way that matters.
				}
			}
		}
	}

	/**
	 * Distinct free addresses on 127.0.0.1, as {@link #freePorts} chooses them.
	 * @param count how many
	 * @return the addresses
	 */
	public static List<PeerAddress> freeAddresses(int count) {
		return Arrays.stream(freePorts(count)).mapToObj((port) -> new PeerAddress("127.0.0.1", port)).toList();
	}

}
