package io.viewstamp.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What {@link FaultProxy} does to real TCP connections between a client and an echo server: it
 * passes, delays, drops, black-holes and refuses, per direction, as the fault harness needs.
 */
class FaultProxyTest {

	/** A read that must see nothing gives up after this: a bound, not a sleep. */
	private static final int QUIET_READ_MILLIS = 300;

	private static final Duration WAIT_MAX = Duration.ofSeconds(10);

	private ServerSocket echoServer;

	private FaultProxy proxy;

	private final List<Socket> sockets = new ArrayList<>();

	@BeforeEach
	void startEchoServerAndProxy() throws IOException {
		this.echoServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::echoLoop, "echo-server");
		acceptor.setDaemon(true);
		acceptor.start();
		this.proxy = FaultProxy.start("test", new InetSocketAddress(InetAddress.getLoopbackAddress(),
				this.echoServer.getLocalPort()), 7);
	}

	@AfterEach
	void close() throws IOException {
		this.proxy.close();
		this.echoServer.close();
		for (Socket socket : this.sockets) {
			socket.close();
		}
	}

	@Test
	void bytesPassBothWays() throws IOException {
		Socket client = dial();
		client.getOutputStream().write("hello".getBytes());
		assertThat(read(client, 5)).isEqualTo("hello");
		// The proxy counts a chunk after it forwarded it: the echo can arrive before the count.
		await().atMost(WAIT_MAX).until(() -> this.proxy.bytesPassed() == 10);
	}

	@Test
	void aDroppedDirectionSwallowsBytesWhileTheConnectionStaysOpen() throws IOException {
		Socket client = dial();
		this.proxy.setForward(LinkFault.DROP);
		client.getOutputStream().write("lost".getBytes());
		assertNothingArrives(client);
		await().atMost(WAIT_MAX).until(() -> this.proxy.bytesDropped() == 4);
		this.proxy.heal();
		client.getOutputStream().write("back".getBytes());
		assertThat(read(client, 4)).as("the same connection carries bytes again").isEqualTo("back");
	}

	@Test
	void aOneWayCutLetsTheOtherDirectionThrough() throws IOException {
		Socket client = dial();
		this.proxy.setBackward(LinkFault.DROP);
		client.getOutputStream().write("echo".getBytes());
		// The server got the bytes (it echoed them), but its answer vanished.
		assertNothingArrives(client);
		await().atMost(WAIT_MAX).until(() -> this.proxy.bytesPassed() == 4 && this.proxy.bytesDropped() == 4);
	}

	@Test
	void aDelayedLinkHoldsEveryByteAtLeastTheDelayAndKeepsTheirOrder() throws IOException {
		Socket client = dial();
		this.proxy.setForward(LinkFault.delay(Duration.ofMillis(200), Duration.ofMillis(100)));
		long start = System.nanoTime();
		OutputStream out = client.getOutputStream();
		for (char letter = 'a'; letter <= 'j'; letter++) {
			out.write(letter);
			out.flush();
		}
		assertThat(read(client, 10)).isEqualTo("abcdefghij");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
	}

	@Test
	void aSlowLinkTakesAtLeastTheTimeItsBandwidthAllows() throws IOException {
		Socket client = dial();
		this.proxy.setForward(LinkFault.slow(10_000));
		byte[] bytes = new byte[2_000];
		long start = System.nanoTime();
		client.getOutputStream().write(bytes);
		assertThat(read(client, bytes.length)).hasSize(bytes.length);
		// 2,000 bytes at 10,000 bytes a second: at least 200 ms.
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
	}

	@Test
	void aBlackHoledConnectionStaysDeadAfterTheHealWhileANewOnePasses() throws IOException {
		Socket old = dial();
		this.proxy.blackHole();
		Socket during = dial();
		old.getOutputStream().write("void".getBytes());
		during.getOutputStream().write("void".getBytes());
		assertNothingArrives(old);
		assertNothingArrives(during);
		this.proxy.heal();
		old.getOutputStream().write("dead".getBytes());
		assertNothingArrives(old);
		Socket fresh = dial();
		fresh.getOutputStream().write("alive".getBytes());
		assertThat(read(fresh, 5)).isEqualTo("alive");
	}

	@Test
	void aRefusingLinkClosesConnectionsUntilItHeals() throws IOException {
		Socket open = dial();
		this.proxy.refuse();
		assertClosed(open);
		assertClosed(dial());
		this.proxy.heal();
		Socket fresh = dial();
		fresh.getOutputStream().write("ok".getBytes());
		assertThat(read(fresh, 2)).isEqualTo("ok");
	}

	@Test
	void impossibleFaultsAreRefused() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> LinkFault.slow(0));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> LinkFault.delay(Duration.ofSeconds(10), Duration.ofMillis(1)));
	}

	private Socket dial() throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.proxy.port()), 2_000);
		socket.setSoTimeout((int) WAIT_MAX.toMillis());
		this.sockets.add(socket);
		return socket;
	}

	private static String read(Socket socket, int count) throws IOException {
		byte[] bytes = socket.getInputStream().readNBytes(count);
		return new String(bytes);
	}

	private static void assertNothingArrives(Socket socket) throws IOException {
		int timeout = socket.getSoTimeout();
		socket.setSoTimeout(QUIET_READ_MILLIS);
		try {
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> socket.getInputStream().read());
		}
		finally {
			socket.setSoTimeout(timeout);
		}
	}

	private static void assertClosed(Socket socket) throws IOException {
		InputStream in = socket.getInputStream();
		try {
			assertThat(in.read()).as("end of stream").isEqualTo(-1);
		}
		catch (SocketException ex) {
			// A reset says the same.
		}
	}

	private void echoLoop() {
		while (!this.echoServer.isClosed()) {
			try {
				Socket connection = this.echoServer.accept();
				Thread echo = new Thread(() -> echo(connection), "echo");
				echo.setDaemon(true);
				echo.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private static void echo(Socket connection) {
		try (connection) {
			InputStream in = connection.getInputStream();
			OutputStream out = connection.getOutputStream();
			byte[] buffer = new byte[4096];
			int read;
			while ((read = in.read(buffer)) >= 0) {
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// The client went away.
		}
	}

}
