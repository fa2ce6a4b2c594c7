package io.viewstamp.transport;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.viewstamp.vsr.Message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A peer written with a plain socket and the handshake bytes spelled out by hand (as the
 * {@link HandshakeCodec} Javadoc documents them), to play a replica that misbehaves in ways a
 * {@link NettyTransport} never would.
 */
final class RawPeer implements AutoCloseable {

	/** How long any read may block: a bound for tests, never reached when they pass. */
	static final int READ_TIMEOUT_MILLIS = 10_000;

	static final byte KIND_HELLO = 1;

	static final byte KIND_ACCEPTED = 2;

	static final byte KIND_REFUSED = 3;

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	private RawPeer(Socket socket) throws IOException {
		this.socket = socket;
		socket.setSoTimeout(READ_TIMEOUT_MILLIS);
		this.in = new DataInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	static RawPeer dial(PeerAddress address) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress(address.host(), address.port()), READ_TIMEOUT_MILLIS);
		return new RawPeer(socket);
	}

	static RawPeer accept(ServerSocket server) throws IOException {
		server.setSoTimeout(READ_TIMEOUT_MILLIS);
		return new RawPeer(server.accept());
	}

	/** Dials {@code address} as replica {@code dialer} and completes the handshake. */
	static RawPeer dialAndHandshake(PeerAddress address, long clusterId, int dialer, int acceptor) throws IOException {
		RawPeer peer = dial(address);
		peer.writeFrame(hello(clusterId, dialer, acceptor));
		byte[] answer = peer.readFrame();
		assertThat(answer[6]).as("the answer's kind").isEqualTo(KIND_ACCEPTED);
		assertThat(ByteBuffer.wrap(answer, 7, 12).order(ByteOrder.LITTLE_ENDIAN).getLong()).isEqualTo(clusterId);
		return peer;
	}

	/**
	 * A hello without a secret: magic "VSTR", handshake version 3, message version 2, kind 1, cluster
	 * id, dialer, acceptor, not authenticated, a nonce of zeros, holds data.
	 */
	static byte[] hello(long clusterId, int dialer, int acceptor) {
		return prefix(KIND_HELLO, Long.BYTES + 2 * Integer.BYTES + 1 + 16 + 1 + 2).putLong(clusterId)
			.putInt(dialer)
			.putInt(acceptor)
			.put((byte) 0)
			.put(new byte[16])
			.put((byte) 1)
			.putShort((short) 0)
			.array();
	}

	/**
	 * Checks that {@code frame} is the hello of a dialer without a secret: the documented bytes, up
	 * to its nonce, which is random.
	 */
	static void assertIsHello(byte[] frame, long clusterId, int dialer, int acceptor) {
		byte[] expected = hello(clusterId, dialer, acceptor);
		assertThat(frame).hasSameSizeAs(expected);
		int nonceOffset = expected.length - 19;
		assertThat(Arrays.copyOf(frame, nonceOffset)).isEqualTo(Arrays.copyOf(expected, nonceOffset));
		assertThat(frame[frame.length - 3]).as("holds data").isEqualTo(expected[expected.length - 3]);
		assertThat(Arrays.copyOfRange(frame, frame.length - 2, frame.length)).as("no commands")
			.isEqualTo(new byte[2]);
	}

	/** An acceptance without a secret: the prefix, kind 2, cluster id, acceptor, a nonce and a proof of zeros, holds data. */
	static byte[] accepted(long clusterId, int acceptor) {
		return prefix(KIND_ACCEPTED, Long.BYTES + Integer.BYTES + 16 + 32 + 1 + 2).putLong(clusterId)
			.putInt(acceptor)
			.put(new byte[16 + 32])
			.put((byte) 1)
			.putShort((short) 0)
			.array();
	}

	private static ByteBuffer prefix(byte kind, int bodySizeBytes) {
		return ByteBuffer.allocate(7 + bodySizeBytes)
			.order(ByteOrder.LITTLE_ENDIAN)
			.put("VSTR".getBytes(StandardCharsets.US_ASCII))
			.put((byte) 4)
			.put((byte) 4)
			.put(kind);
	}

	void write(byte[] bytes) throws IOException {
		this.out.write(bytes);
		this.out.flush();
	}

	void writeFrame(byte[] payload) throws IOException {
		ByteBuffer frame = Frame.encode(payload);
		byte[] bytes = new byte[frame.remaining()];
		frame.get(bytes);
		write(bytes);
	}

	void send(Message message) throws IOException {
		writeFrame(MessageCodec.encode(message));
	}

	/** Reads one frame and returns its payload (the checksum is left to the frame tests). */
	byte[] readFrame() throws IOException {
		byte[] header = new byte[Frame.HEADER_SIZE_BYTES];
		this.in.readFully(header);
		int length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
		byte[] payload = new byte[length];
		this.in.readFully(payload);
		return payload;
	}

	/** Reads a refusal frame and returns its reason. */
	String readRefusal() throws IOException {
		byte[] payload = readFrame();
		assertThat(payload[6]).as("the frame's kind").isEqualTo(KIND_REFUSED);
		int length = ByteBuffer.wrap(payload, 7, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
		return new String(payload, 9, length, StandardCharsets.UTF_8);
	}

	/** Asserts that the other side closes the connection: reads see its end (or its reset). */
	void assertClosedByPeer() throws IOException {
		try {
			byte[] discarded = new byte[8192];
			while (this.in.read(discarded) != -1) {
				// Frames still in flight before the close are not what this asserts.
			}
		}
		catch (SocketTimeoutException ex) {
			fail("The transport did not close the connection within " + READ_TIMEOUT_MILLIS + " ms");
		}
		catch (SocketException ex) {
			// A close with unread bytes in the transport's buffer arrives as a reset: closed all the same.
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
