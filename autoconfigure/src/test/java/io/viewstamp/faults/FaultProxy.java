package io.viewstamp.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy between two replicas with faults injected, one per direction: the dialer connects
 * to the proxy, which connects to the acceptor and pumps bytes both ways through its current
 * {@link LinkFault}s. It runs on real sockets, so the replicas' own TCP stacks, Netty pipelines,
 * handshakes and timeouts meet the faults as they would on a real network.
 *
 * <p>Besides the per-direction faults, it can <em>black-hole</em> the link: every connection open
 * now, and every one opened until the link heals, stays open and passes no byte, ever, as when a
 * switch fails or a NAT entry vanishes; only connections opened after the heal carry bytes again.
 * And it can <em>refuse</em> the link: open connections are closed and new ones are accepted and
 * closed at once, as a host that resets connections.
 *
 * <p>Each direction has a reader thread and a writer thread per connection, so that a delay adds
 * latency without stopping the flow; at most 256 KiB are in flight per direction, so a slow or long
 * link pushes back on the sender as TCP would; bytes are never reordered. Bytes in flight when a direction
 * starts dropping are lost, like packets on a link that dies.
 */
public final class FaultProxy implements AutoCloseable {

	private static final int CHUNK_SIZE_BYTES = 64 << 10;

	/**
	 * Chunks one direction of a connection holds at most (at most 256 KiB): a full pipe stops
	 * reading, so the sender's TCP window closes as on a real slow or long link. Were it to read
	 * without bound, a slow link would queue minutes of bytes that reach the other side long after
	 * the link healed.
	 */
	private static final int CHUNKS_IN_FLIGHT_MAX = 4;

	private final String name;

	private final ServerSocket server;

	private final InetSocketAddress target;

	private final SplittableRandom random;

	private final List<Connection> connections = new CopyOnWriteArrayList<>();

	private volatile LinkFault forward = LinkFault.PASS;

	private volatile LinkFault backward = LinkFault.PASS;

	private volatile boolean blackHoled;

	private volatile boolean refusing;

	private volatile boolean closed;

	private final AtomicLong bytesPassed = new AtomicLong();

	private final AtomicLong bytesDropped = new AtomicLong();

	private final AtomicLong connectionsAccepted = new AtomicLong();

	private FaultProxy(String name, ServerSocket server, InetSocketAddress target, long seed) {
		this.name = name;
		this.server = server;
		this.target = target;
		this.random = new SplittableRandom(seed);
	}

	/**
	 * Starts a proxy on a free port of 127.0.0.1 in front of {@code target}.
	 * @param name the link, for thread names and reports (e.g. "0->2")
	 * @param target where connections go on to
	 * @param seed the jitter's seed
	 * @return the running proxy
	 */
	public static FaultProxy start(String name, InetSocketAddress target, long seed) {
		try {
			ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			FaultProxy proxy = new FaultProxy(name, server, target, seed);
			Thread acceptor = new Thread(proxy::acceptLoop, "fault-proxy-" + name + "-accept");
			acceptor.setDaemon(true);
			acceptor.start();
			return proxy;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the fault proxy of link " + name, ex);
		}
	}

	/** The port dialers connect to. */
	public int port() {
		return this.server.getLocalPort();
	}

	/**
	 * Sets what the link does to bytes from the dialer to the acceptor.
	 * @param fault the fault
	 */
	public void setForward(LinkFault fault) {
		this.forward = fault;
	}

	/**
	 * Sets what the link does to bytes from the acceptor to the dialer.
	 * @param fault the fault
	 */
	public void setBackward(LinkFault fault) {
		this.backward = fault;
	}

	/** Every connection, open or opened until {@link #heal()}, passes nothing ever again and stays open. */
	public void blackHole() {
		this.blackHoled = true;
		for (Connection connection : this.connections) {
			connection.poisoned = true;
		}
	}

	/** Open connections are closed, and new ones are closed as soon as they are accepted, until {@link #heal()}. */
	public void refuse() {
		this.refusing = true;
		for (Connection connection : this.connections) {
			connection.close();
		}
	}

	/**
	 * Both directions pass again, for connections opened from now on; a connection black-holed
	 * stays dead, as its real counterpart would.
	 */
	public void heal() {
		this.forward = LinkFault.PASS;
		this.backward = LinkFault.PASS;
		this.blackHoled = false;
		this.refusing = false;
	}

	/** Bytes that crossed the proxy, both directions. */
	public long bytesPassed() {
		return this.bytesPassed.get();
	}

	/** Bytes the proxy swallowed, both directions. */
	public long bytesDropped() {
		return this.bytesDropped.get();
	}

	/** Connections dialed through the proxy. */
	public long connectionsAccepted() {
		return this.connectionsAccepted.get();
	}

	/** The link's current state, for reports. */
	public String describe() {
		if (this.refusing) {
			return this.name + " refusing";
		}
		if (this.blackHoled) {
			return this.name + " black hole";
		}
		return this.name + " forward " + this.forward.describe() + ", backward " + this.backward.describe();
	}

	@Override
	public void close() {
		this.closed = true;
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
		for (Connection connection : this.connections) {
			connection.close();
		}
	}

	private void acceptLoop() {
		while (!this.closed) {
			Socket dialer;
			try {
				dialer = this.server.accept();
			}
			catch (IOException ex) {
				return;
			}
			this.connectionsAccepted.incrementAndGet();
			if (this.refusing) {
				closeQuietly(dialer);
				continue;
			}
			Socket acceptor = new Socket();
			try {
				acceptor.connect(this.target, 1_000);
				dialer.setTcpNoDelay(true);
				acceptor.setTcpNoDelay(true);
			}
			catch (IOException ex) {
				// The replica behind the link is down: the dialer sees its connection closed, as it would.
				closeQuietly(dialer);
				closeQuietly(acceptor);
				continue;
			}
			Connection connection = new Connection(dialer, acceptor);
			// Added before the flags are read: a refuse() or blackHole() that runs meanwhile either
			// finds the connection in the list or its flag is seen here.
			this.connections.add(connection);
			if (this.refusing) {
				connection.close();
				continue;
			}
			if (this.blackHoled) {
				connection.poisoned = true;
			}
			connection.start();
		}
	}

	private long jitterNanos(LinkFault fault) {
		long jitter = fault.jitter().toNanos();
		if (jitter == 0) {
			return 0;
		}
		synchronized (this.random) {
			return this.random.nextLong(jitter + 1);
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
	}

	/** One proxied TCP connection: a pipe each way. */
	private final class Connection {

		private final Socket dialer;

		private final Socket acceptor;

		private volatile boolean poisoned;

		private volatile boolean closed;

		Connection(Socket dialer, Socket acceptor) {
			this.dialer = dialer;
			this.acceptor = acceptor;
		}

		void start() {
			try {
				new Pipe(this, true, this.dialer.getInputStream(), this.acceptor.getOutputStream()).start();
				new Pipe(this, false, this.acceptor.getInputStream(), this.dialer.getOutputStream()).start();
			}
			catch (IOException ex) {
				close();
			}
		}

		void close() {
			if (this.closed) {
				return;
			}
			this.closed = true;
			closeQuietly(this.dialer);
			closeQuietly(this.acceptor);
			FaultProxy.this.connections.remove(this);
		}

	}

	/** Bytes waiting in a pipe, to be written at {@code deliverAtNanos}. */
	private record Chunk(long deliverAtNanos, byte[] bytes) {

		static final Chunk END = new Chunk(0, new byte[0]);

	}

	/** One direction of one connection: a reader that stamps chunks, a writer that delivers them when due. */
	private final class Pipe {

		private final Connection connection;

		private final boolean forward;

		private final InputStream in;

		private final OutputStream out;

		private final BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>(CHUNKS_IN_FLIGHT_MAX);

		private long lastDeliverAtNanos;

		Pipe(Connection connection, boolean forward, InputStream in, OutputStream out) {
			this.connection = connection;
			this.forward = forward;
			this.in = in;
			this.out = out;
		}

		void start() {
			String direction = this.forward ? "forward" : "backward";
			Thread reader = new Thread(this::readLoop, "fault-proxy-" + FaultProxy.this.name + "-" + direction + "-read");
			Thread writer = new Thread(this::writeLoop, "fault-proxy-" + FaultProxy.this.name + "-" + direction + "-write");
			reader.setDaemon(true);
			writer.setDaemon(true);
			reader.start();
			writer.start();
		}

		private LinkFault fault() {
			if (this.connection.poisoned) {
				return LinkFault.DROP;
			}
			return this.forward ? FaultProxy.this.forward : FaultProxy.this.backward;
		}

		private void readLoop() {
			byte[] buffer = new byte[CHUNK_SIZE_BYTES];
			try {
				int read;
				while ((read = this.in.read(buffer)) >= 0) {
					LinkFault fault = fault();
					if (fault.kind() == LinkFault.Kind.DROP) {
						FaultProxy.this.bytesDropped.addAndGet(read);
						continue;
					}
					enqueue(new Chunk(deliverAt(fault, read), Arrays.copyOf(buffer, read)));
				}
			}
			catch (IOException ex) {
				// The connection is gone: so is the other direction.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			try {
				enqueue(Chunk.END);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		/** Waits for room in the pipe (backpressure), unless the connection closes meanwhile. */
		private void enqueue(Chunk chunk) throws InterruptedException {
			while (!this.queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
				if (this.connection.closed) {
					return;
				}
			}
		}

		/** When a chunk read now is due: never before one read earlier, so bytes stay in order. */
		private long deliverAt(LinkFault fault, int sizeBytes) {
			long now = System.nanoTime();
			long due = switch (fault.kind()) {
				case DELAY -> now + fault.delay().toNanos() + jitterNanos(fault);
				case SLOW -> Math.max(now, this.lastDeliverAtNanos)
						+ TimeUnit.SECONDS.toNanos(sizeBytes) / fault.bytesPerSecond();
				default -> now;
			};
			this.lastDeliverAtNanos = Math.max(this.lastDeliverAtNanos, due);
			return this.lastDeliverAtNanos;
		}

		private void writeLoop() {
			try {
				while (true) {
					Chunk chunk = this.queue.take();
					if (chunk == Chunk.END) {
						break;
					}
					waitUntil(chunk.deliverAtNanos());
					if (fault().kind() == LinkFault.Kind.DROP) {
						// The link died while these bytes were on it.
						FaultProxy.this.bytesDropped.addAndGet(chunk.bytes().length);
						continue;
					}
					this.out.write(chunk.bytes());
					this.out.flush();
					FaultProxy.this.bytesPassed.addAndGet(chunk.bytes().length);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (SocketException ex) {
				// Closed under us.
			}
			catch (IOException ex) {
				// The other side is gone.
			}
			this.connection.close();
		}

		// The proxy's own clock: a delayed chunk waits its due time, as a packet on a long link.
		private static void waitUntil(long deadlineNanos) {
			long remaining;
			while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
				LockSupport.parkNanos(remaining);
			}
		}

	}

}
