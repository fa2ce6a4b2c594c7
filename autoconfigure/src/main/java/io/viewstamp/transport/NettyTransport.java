package io.viewstamp.transport;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Future;
import io.viewstamp.vsr.Cluster;
import io.viewstamp.vsr.Message;
import org.jspecify.annotations.Nullable;

/**
 * The TCP connections between one replica and its peers. Each replica listens on its own address
 * from the peer list; each pair of replicas has one connection, which the lower index dials and
 * keeps open (reconnecting with capped exponential backoff) and the higher index accepts. Every
 * connection starts with a handshake ({@link HandshakeCodec}) that checks the cluster id and both
 * indexes, then carries {@link MessageCodec} messages in checksummed {@link Frame}s.
 *
 * <p>Sending never blocks: a message to a peer that is not connected, or that has more than
 * {@link TransportOptions#outboundBytesMax()} waiting, is dropped and counted, because the protocol
 * copes with loss and a primary must not run out of memory for one slow backup. A connection that
 * delivers anything malformed, or a replica message naming another sender than its handshake
 * proved, is closed; the other connections are not affected.
 *
 * <p>All I/O and every call of the {@link MessageListener} run on one thread, named
 * {@code viewstamp-transport-<replica>}.
 */
public final class NettyTransport implements AutoCloseable {

	private static final Logger LOGGER = System.getLogger(NettyTransport.class.getName());

	/** One I/O thread serves every connection of a replica: a cluster has at most 15 peers. */
	static final int IO_THREADS = 1;

	/** How long {@link #start} waits for the listening socket to be bound. */
	static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);

	/** How long {@link #close} waits for connections and the I/O thread to stop. */
	static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

	private final Membership membership;

	/**
	 * One per replica this transport has an address for, by index; {@code null} at this replica's
	 * own index and at indexes it knows no address for yet ({@link #learn} adds them).
	 */
	private final AtomicReferenceArray<@Nullable Peer> peers = new AtomicReferenceArray<>(Cluster.REPLICAS_MAX);

	private final MessageListener listener;

	private final TransportOptions options;

	private final AddressLookup lookup;

	private final EventLoopGroup group;

	private final AtomicBoolean closed = new AtomicBoolean();

	/**
	 * Every open connection, accepted or dialed, so that closing the transport closes them: a
	 * shut-down event loop was seen to leave accepted connections open, and peers that never
	 * noticed the close never dialed this replica again once it restarted.
	 */
	private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

	/** Looks up the peers' host names, which may block, off the I/O thread; threads end when idle. */
	private final ExecutorService lookups;

	/** The addresses this replica announced, told again to each peer as it connects. */
	private final Map<Integer, PeerAddress> announced = new ConcurrentHashMap<>();

	/** Messages for replicas this transport has no address for. */
	private final LongAdder unaddressedDrops = new LongAdder();

	/** The connections this replica refused, by reason, as acceptor and as dialer. */
	private final Map<RefusalReason, LongAdder> refusalCounts = RefusalLog.newCounts();

	/** The listening socket, once bound. */
	private volatile @Nullable Channel server;

	/**
	 * The last message encoded, with its frame: a replica broadcasts one message object to every
	 * peer, and encoding it once instead of once per peer saves the loop that work. Immutable, so
	 * it is safe to share between the threads that send.
	 */
	private volatile Encoded lastEncoded = new Encoded(null, new byte[0]);

	private NettyTransport(Membership membership, MessageListener listener, TransportOptions options,
			AddressLookup lookup) {
		this.membership = membership;
		this.listener = new TellingListener(listener);
		this.options = options;
		this.lookup = lookup;
		for (int index = 0; index < membership.size(); index++) {
			if (index != membership.replica()) {
				this.peers.set(index, newPeer(index, membership.addresses().get(index)));
			}
		}
		String threadName = "viewstamp-transport-" + membership.replica();
		ThreadFactory threads = (task) -> {
			// Daemon, so that a transport an owner forgot to close does not keep the JVM alive.
			Thread thread = new FastThreadLocalThread(task, threadName);
			thread.setDaemon(true);
			return thread;
		};
		this.group = new MultiThreadIoEventLoopGroup(IO_THREADS, threads, NioIoHandler.newFactory());
		this.lookups = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "viewstamp-lookup-" + membership.replica());
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Binds this replica's address ({@code peers.get(replica)}, on that host only, not on every
	 * interface) and starts dialing every peer with a higher index.
	 * @param clusterId the cluster id; a peer with another is refused
	 * @param replica this replica's index in {@code peers}
	 * @param peers every replica's address in index order, this one's included; every replica must
	 * have the same list
	 * @param options timeouts and limits
	 * @param listener receives messages and connection changes, on the transport's I/O thread
	 * @return the running transport
	 * @throws TransportException when the address cannot be bound, or the arguments are inconsistent
	 * (an index outside the list, an address listed twice, more than
	 * {@link io.viewstamp.vsr.Cluster#REPLICAS_MAX} replicas)
	 */
	public static NettyTransport start(long clusterId, int replica, List<PeerAddress> peers, TransportOptions options,
			MessageListener listener) {
		return start(clusterId, replica, peers, options, listener, () -> true, () -> CommandCatalog.EMPTY,
				AddressLookup.SYSTEM);
	}

	/**
	 * {@link #start(long, int, List, TransportOptions, MessageListener)} for a replica that tells its
	 * peers, in each handshake, what {@code holdsData} says at the time (its data directory may not
	 * hold a replica's state yet) and which commands {@code commands} says its application knows;
	 * {@link #peerHoldsData} and {@link #peerCommands} say what each peer's last handshake said.
	 */
	public static NettyTransport start(long clusterId, int replica, List<PeerAddress> peers, TransportOptions options,
			MessageListener listener, BooleanSupplier holdsData, Supplier<CommandCatalog> commands) {
		return start(clusterId, replica, peers, options, listener, holdsData, commands, AddressLookup.SYSTEM);
	}

	/** {@link #start(long, int, List, TransportOptions, MessageListener)} with another lookup of the peers' addresses. */
	static NettyTransport start(long clusterId, int replica, List<PeerAddress> peers, TransportOptions options,
			MessageListener listener, AddressLookup lookup) {
		return start(clusterId, replica, peers, options, listener, () -> true, () -> CommandCatalog.EMPTY, lookup);
	}

	private static NettyTransport start(long clusterId, int replica, List<PeerAddress> peers, TransportOptions options,
			MessageListener listener, BooleanSupplier holdsData, Supplier<CommandCatalog> commands,
			AddressLookup lookup) {
		Objects.requireNonNull(peers, "peers");
		Objects.requireNonNull(options, "options");
		Objects.requireNonNull(listener, "listener");
		Objects.requireNonNull(commands, "commands");
		Membership membership = Membership.of(clusterId, replica, peers, holdsData, commands);
		NettyTransport transport = new NettyTransport(membership, listener, options, lookup);
		try {
			transport.listen(options);
		}
		catch (RuntimeException ex) {
			transport.close();
			throw ex;
		}
		for (int index = replica + 1; index < Cluster.REPLICAS_MAX; index++) {
			Peer peer = transport.peers.get(index);
			if (peer != null) {
				transport.dial(peer);
			}
		}
		LOGGER.log(Level.INFO, "Replica " + replica + " of cluster " + clusterId + " listens on "
				+ membership.localAddress() + " for its " + (peers.size() - 1) + " peers");
		if (options.tls() == null && options.secret() == null && peers.size() > 1) {
			LOGGER.log(Level.WARNING, "Replica " + replica + " has neither TLS nor a shared secret: any host that can reach "
					+ membership.localAddress() + " and knows the cluster id can join as a peer. Set replication.secret "
					+ "(the same on every replica) or replication.ssl-bundle, unless the network is trusted");
		}
		return transport;
	}

	/**
	 * Sends {@code message} to a peer, or drops it (counted in {@link PeerStatus#messagesDropped()})
	 * when the peer is not connected or has more than {@link TransportOptions#outboundBytesMax()}
	 * waiting. Never blocks; safe from any thread. The message is encoded on the calling thread.
	 * @param replica the peer's index
	 * @param message the message
	 * @throws IllegalArgumentException when {@code replica} is this replica or outside the index space
	 * of {@link Cluster#REPLICAS_MAX}, or the message exceeds a limit of {@link MessageCodec}
	 */
	public void send(int replica, Message message) {
		Objects.requireNonNull(message, "message");
		Peer peer = peer(replica, "send to");
		if (peer == null) {
			// No address for it yet: as good as not connected (a change of members teaches the address).
			encodeFrame(message);
			this.unaddressedDrops.increment();
			return;
		}
		// Encoding first, so that a message that can never be sent fails the same way whether or
		// not the peer happens to be connected.
		byte[] frame = encodeFrame(message);
		if (this.closed.get()) {
			// The replica's loop may still send while the transport closes; its event loop takes no
			// more writes, and Netty would log each refused one as an error.
			peer.dropped();
			return;
		}
		Channel channel = peer.channel();
		// Pending bytes count writes submitted from any thread at once, so isWritable bounds what
		// waits for this peer (to within one message per concurrent sender).
		if (channel == null || !channel.isActive() || !channel.isWritable()) {
			peer.dropped();
			return;
		}
		peer.send(channel, frame);
	}

	private byte[] encodeFrame(Message message) {
		Encoded last = this.lastEncoded;
		if (last.message() == message) {
			return last.frame();
		}
		byte[] frame = Frame.encode(MessageCodec.encode(message)).array();
		this.lastEncoded = new Encoded(message, frame);
		return frame;
	}

	/**
	 * Whether a connection with a peer has completed its handshake and is open.
	 * @param replica the peer's index
	 * @return whether messages to it are sent
	 * @throws IllegalArgumentException when {@code replica} is this replica or outside the peer list
	 */
	public boolean isConnected(int replica) {
		Peer peer = peer(replica, "ask about");
		return peer != null && peer.isConnected();
	}

	/**
	 * Learns where replica {@code replica} is (a change of members named it, or moved it): a replica
	 * this transport had no address for becomes a peer (dialed if its index is higher, accepted if
	 * lower); a known peer at another address is dialed there from its next attempt on, its current
	 * connection kept while it lasts. This replica's own address is not changed: it listens where it
	 * started.
	 * @return whether that changed anything: a new peer, or a known one moved
	 */
	public synchronized boolean learn(int replica, PeerAddress address) {
		Objects.requireNonNull(address, "address");
		if (replica == replica()) {
			return false;
		}
		Peer known = peer(replica, "learn the address of");
		if (known != null) {
			return known.moveTo(address);
		}
		add(replica, address, "");
		return true;
	}

	/**
	 * {@link #learn}s where replica {@code replica} is, and tells every peer, now and as each
	 * connects: a primary asked to add the replica announces it, so that the other members dial it and
	 * it can recover from them before the change commits. Peers that already know the replica keep
	 * their address for it.
	 */
	public synchronized void announce(int replica, PeerAddress address) {
		learn(replica, address);
		this.announced.put(replica, address);
		byte[] frame = newsFrame(Map.of(replica, address));
		for (int index = 0; index < Cluster.REPLICAS_MAX; index++) {
			Peer peer = this.peers.get(index);
			Channel channel = (peer != null) ? peer.channel() : null;
			if (channel != null && channel.isActive() && index != replica) {
				channel.writeAndFlush(Unpooled.wrappedBuffer(frame));
			}
		}
	}

	/**
	 * Addresses a peer told of: replicas this transport has no address for become peers, and a peer
	 * whose address came only from earlier news moves (an operator who named a wrong address asks
	 * again with the right one). The peer list's and the committed configuration's addresses stay.
	 */
	private synchronized void heard(int teller, SortedMap<Integer, PeerAddress> addresses) {
		addresses.forEach((replica, address) -> {
			if (replica == replica()) {
				return;
			}
			Peer known = this.peers.get(replica);
			if (known == null) {
				add(replica, address, " (replica " + teller + " told it)").moveTo(address, true);
			}
			else if (known.isToldByNews()) {
				known.moveTo(address, true);
			}
		});
	}

	/**
	 * Stops telling peers what this replica announced: the change that named those addresses ended,
	 * committed (the configuration holds them now) or given up (a wrong one must not be told again).
	 */
	public void retractAnnouncements() {
		this.announced.clear();
	}

	private static byte[] newsFrame(Map<Integer, PeerAddress> addresses) {
		return Frame.encode(AddressNews.encode(addresses)).array();
	}

	private Peer add(int replica, PeerAddress address, String source) {
		Peer peer = newPeer(replica, address);
		this.peers.set(replica, peer);
		LOGGER.log(Level.INFO, "Replica " + replica() + " learned that replica " + replica + " is at " + address + source
				+ "; it " + ((replica > replica()) ? "dials it" : "accepts its connection"));
		if (replica > replica() && !this.closed.get()) {
			dial(peer);
		}
		return peer;
	}

	private Peer newPeer(int replica, PeerAddress address) {
		return new Peer(this.membership.replica(), replica, address, this.listener, this.closed::get,
				(addresses) -> heard(replica, addresses), this.options.outboundBytesMax());
	}

	/**
	 * Where replica {@code replica} is, as this transport knows it.
	 * @return its address, or {@code null} when it is this replica or the transport has none
	 */
	public @Nullable PeerAddress peerAddress(int replica) {
		Peer peer = (replica >= 0 && replica < Cluster.REPLICAS_MAX) ? this.peers.get(replica) : null;
		return (peer != null) ? peer.address() : null;
	}

	private void dial(Peer peer) {
		new Dialer(this.group, this.membership, peer, this.options, this.closed::get, this.channels::add, this.lookups,
				this.lookup, this.refusalCounts)
			.start();
	}

	/**
	 * The state of every peer.
	 * @return one status per replica other than this one that the transport has an address for, in index order
	 */
	public List<PeerStatus> peers() {
		List<PeerStatus> statuses = new ArrayList<>();
		for (int index = 0; index < Cluster.REPLICAS_MAX; index++) {
			Peer peer = this.peers.get(index);
			if (peer != null) {
				statuses.add(peer.status());
			}
		}
		return statuses;
	}

	/** Messages dropped because they were for a replica this transport has no address for. */
	public long messagesToUnknownReplicas() {
		return this.unaddressedDrops.sum();
	}

	/**
	 * What replica {@code replica}'s last completed handshake said of its data directory.
	 * @return whether it held a replica's state, or {@code null} when no handshake with it completed yet
	 */
	public @Nullable Boolean peerHoldsData(int replica) {
		Peer peer = (replica >= 0 && replica < Cluster.REPLICAS_MAX) ? this.peers.get(replica) : null;
		return (peer != null) ? peer.holdsData() : null;
	}

	/**
	 * The commands replica {@code replica} advertised at its last completed handshake, kept after its
	 * connection closes (a replica stopped for an upgrade runs its old release until it says otherwise).
	 * @return its catalog, or {@code null} when no handshake with it completed since this replica started
	 */
	public @Nullable CommandCatalog peerCommands(int replica) {
		Peer peer = (replica >= 0 && replica < Cluster.REPLICAS_MAX) ? this.peers.get(replica) : null;
		return (peer != null) ? peer.commands() : null;
	}

	/**
	 * The connections this replica refused since it started, as acceptor and as dialer, by reason:
	 * every reason is there, at zero when none was refused for it.
	 * @return the counts
	 */
	public Map<RefusalReason, Long> refusals() {
		Map<RefusalReason, Long> refusals = new EnumMap<>(RefusalReason.class);
		this.refusalCounts.forEach((reason, count) -> refusals.put(reason, count.sum()));
		return refusals;
	}

	/**
	 * This replica's index.
	 * @return the index in the peer list
	 */
	public int replica() {
		return this.membership.replica();
	}

	/**
	 * The address this transport listens on.
	 * @return this replica's entry of the peer list
	 */
	public PeerAddress localAddress() {
		return this.membership.localAddress();
	}

	/**
	 * Closes the listening socket and every connection, stops reconnecting, and waits (at most
	 * {@link #CLOSE_TIMEOUT}) for the I/O thread to stop; after that the listener is not called
	 * again. Calling it again does nothing.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		Channel listening = this.server;
		if (listening != null) {
			listening.close();
		}
		// A lookup in progress is left to finish; its dialer sees the transport closed and stops.
		this.lookups.shutdown();
		ChannelGroupFuture closing = this.channels.close();
		if (!onIoThread()) {
			closing.awaitUninterruptibly(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		Future<?> terminated = this.group.shutdownGracefully(0, CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		// Waiting on the I/O thread for the I/O thread to stop would never end; a listener that
		// closes the transport gets the closing started instead.
		if (!onIoThread() && !terminated.awaitUninterruptibly(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
			LOGGER.log(Level.WARNING, "The transport of replica " + replica() + " did not stop within " + CLOSE_TIMEOUT
					+ "; its I/O thread goes on in the background");
		}
	}

	/** The bound on what waits for one peer: writes are refused above the high mark. */
	static WriteBufferWaterMark waterMark(TransportOptions options) {
		return new WriteBufferWaterMark(options.outboundBytesMax() / 2, options.outboundBytesMax());
	}

	private void listen(TransportOptions options) {
		PeerAddress local = this.membership.localAddress();
		InetSocketAddress bindAddress = new InetSocketAddress(local.host(), local.port());
		if (bindAddress.isUnresolved()) {
			throw new TransportException("Replica " + replica() + " cannot listen on " + local + ": host " + local.host()
					+ " does not resolve; give replica " + replica() + " an address of this machine in the peer list");
		}
		RefusalLog refusals = new RefusalLog(LOGGER, this.refusalCounts, System::nanoTime);
		ServerBootstrap bootstrap = new ServerBootstrap().group(this.group)
			.channel(NioServerSocketChannel.class)
			// A restarted replica rebinds at once, while connections of its predecessor linger.
			.option(ChannelOption.SO_REUSEADDR, true)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childOption(ChannelOption.SO_KEEPALIVE, true)
			.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(options))
			.childHandler(new ChannelInitializer<Channel>() {
				@Override
				protected void initChannel(Channel channel) {
					NettyTransport.this.channels.add(channel);
					if (options.tls() != null) {
						channel.pipeline().addLast(options.tls().acceptorHandler(channel.alloc(), options));
					}
					channel.pipeline()
						.addLast(HandshakeHandler.FRAME_DECODER, new FrameDecoder(HandshakeCodec.HANDSHAKE_SIZE_BYTES_MAX))
						.addLast(new AcceptingHandshake(NettyTransport.this.membership, NettyTransport.this.peers::get,
								options, refusals));
				}
			});
		ChannelFuture bound = bootstrap.bind(bindAddress);
		if (!bound.awaitUninterruptibly(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new TransportException("Replica " + replica() + " could not listen on " + local + " within "
					+ BIND_TIMEOUT + ": check that the host is an address of this machine");
		}
		if (!bound.isSuccess()) {
			throw new TransportException("Replica " + replica() + " cannot listen on " + local + " ("
					+ bound.cause().getMessage() + "): another process may use this port; stop it, or give replica "
					+ replica() + " another port in the peer list (every replica needs the same list)", bound.cause());
		}
		this.server = bound.channel();
	}

	/** The peer at {@code replica}, or {@code null} when the transport has no address for it. */
	private @Nullable Peer peer(int replica, String action) {
		if (replica < 0 || replica >= Cluster.REPLICAS_MAX) {
			throw new IllegalArgumentException("Cannot " + action + " replica " + replica + ": a cluster has replicas 0.."
					+ (Cluster.REPLICAS_MAX - 1));
		}
		if (replica == replica()) {
			throw new IllegalArgumentException("Cannot " + action + " replica " + replica + ": it is this replica; "
					+ "a replica handles its own messages without the transport");
		}
		return this.peers.get(replica);
	}

	private boolean onIoThread() {
		for (EventExecutor executor : this.group) {
			if (executor.inEventLoop()) {
				return true;
			}
		}
		return false;
	}

	/** The owner's listener, after each new connection is told what this replica announced. */
	private final class TellingListener implements MessageListener {

		private final MessageListener owner;

		TellingListener(MessageListener owner) {
			this.owner = owner;
		}

		@Override
		public void onMessage(int from, Message message) {
			this.owner.onMessage(from, message);
		}

		@Override
		public void onPeerConnected(int replica) {
			Map<Integer, PeerAddress> news = new TreeMap<>(NettyTransport.this.announced);
			news.remove(replica);
			Peer peer = NettyTransport.this.peers.get(replica);
			Channel channel = (peer != null) ? peer.channel() : null;
			if (!news.isEmpty() && channel != null) {
				channel.writeAndFlush(Unpooled.wrappedBuffer(newsFrame(news)));
			}
			this.owner.onPeerConnected(replica);
		}

		@Override
		public void onPeerDisconnected(int replica) {
			this.owner.onPeerDisconnected(replica);
		}

	}

	/** A message and its frame; identity, not equality, tells whether a message is the same. */
	private record Encoded(@Nullable Message message, byte[] frame) {
	}

}
