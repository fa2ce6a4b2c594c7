package com.example.todo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free ports on 127.0.0.1 for the page's replicas (as the demo's tests choose them). */
final class FreePorts {

	private FreePorts() {
	}

	/**
	 * Distinct free ports on 127.0.0.1: every socket is held until all are chosen, so they differ.
	 * @param count how many
	 * @return the ports
	 */
	static int[] on127001(int count) {
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
					// A listening socket that accepted nothing closes without a failure that matters.
				}
			}
		}
	}

}
