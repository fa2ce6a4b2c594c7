package io.viewstamp.transport;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * Keeps one connection open to a peer with a higher index: dials it, and dials again with
 * {@link Backoff} whenever the attempt fails, the handshake is refused or the connection is lost,
 * until the transport closes. At most one attempt or connection exists at a time.
 */
final class Dialer {

	private static final Logger LOGGER = System.getLogger(Dialer.class.getName());

	private final EventLoopGroup group;

	private final Membership membership;

	private final Peer peer;

	private final BooleanSupplier closing;

	private final Backoff backoff;

	private final RefusalLog refusals;

	private final Bootstrap bootstrap;

	private final Executor lookups;

	private final AddressLookup lookup;

	private volatile boolean failing;

	Dialer(EventLoopGroup group, Membership membership, Peer peer, TransportOptions options, BooleanSupplier closing,
			Consumer<Channel> opened, Executor lookups, AddressLookup lookup, Map<RefusalReason, LongAdder> refusalCounts) {
		this.refusals = new RefusalLog(LOGGER, refusalCounts, System::nanoTime);
		this.group = group;
		this.lookups = lookups;
		this.lookup = lookup;
		this.membership = membership;
		this.peer = peer;
		this.closing = closing;
		this.backoff = new Backoff(options.reconnectDelayMin(), options.reconnectDelayMax());
		this.bootstrap = new Bootstrap().group(group)
			.channel(NioSocketChannel.class)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.SO_KEEPALIVE, true)
			.option(ChannelOption.WRITE_BUFFER_WATER_MARK, NettyTransport.waterMark(options))
			.handler(new ChannelInitializer<Channel>() {
				@Override
				protected void initChannel(Channel channel) {
					opened.accept(channel);
					if (Dialer.this.closing.getAsBoolean()) {
						// Dialed while the transport closed (a lookup was under way): it must not outlive it.
						channel.close();
						return;
					}
					if (options.tls() != null) {
						channel.pipeline().addLast(options.tls().dialerHandler(channel.alloc(), peer.address(), options));
					}
					channel.pipeline()
						.addLast(HandshakeHandler.FRAME_DECODER, new FrameDecoder(HandshakeCodec.HANDSHAKE_SIZE_BYTES_MAX))
						.addLast(new DialingHandshake(membership, peer, Dialer.this, options,
								Dialer.this.refusals));
				}
			});
	}

	/** Makes the first attempt; the next ones follow by themselves. */
	void start() {
		connect();
	}

	/** The handshake completed: the next loss is retried after the shortest wait. */
	void handshakeCompleted() {
		this.backoff.reset();
		this.failing = false;
	}

	/** The peer refused the handshake; the attempt ends and another follows after the backoff. */
	void refused(String reason) {
		this.refusals.wasRefused("Replica " + this.peer.replica() + " at " + this.peer.address() + " refused the connection of "
				+ "replica " + this.membership.replica() + " (retrying until the configuration is fixed)", reason);
	}

	/** Looks the peer's address up, off the I/O thread, then connects to it. */
	private void connect() {
		if (this.closing.getAsBoolean()) {
			return;
		}
		try {
			this.lookups.execute(this::lookUpAndConnect);
		}
		catch (RejectedExecutionException ex) {
			// The transport is closing: no more lookups, and none is needed.
		}
	}

	private void lookUpAndConnect() {
		InetSocketAddress address;
		try {
			address = this.lookup.lookup(this.peer.address());
		}
		catch (RuntimeException ex) {
			address = null;
		}
		if (address == null || address.isUnresolved()) {
			unreachable(new UnknownHostException("host " + this.peer.address().host() + " does not resolve"));
			reconnectLater();
			return;
		}
		if (this.closing.getAsBoolean()) {
			return;
		}
		ChannelFuture attempt;
		try {
			attempt = this.bootstrap.connect(address);
		}
		catch (RejectedExecutionException ex) {
			// The transport closed while the lookup ran.
			return;
		}
		attempt.addListener((ChannelFuture connected) -> {
			if (connected.isSuccess()) {
				connected.channel().closeFuture().addListener((closed) -> reconnectLater());
			}
			else {
				unreachable(connected.cause());
				reconnectLater();
			}
		});
	}

	// A peer that is not up yet is routine at startup: the first failure in a row is worth a line,
	// the next ones are not.
	private void unreachable(Throwable cause) {
		Level level = this.failing ? Level.DEBUG : Level.INFO;
		this.failing = true;
		if (!this.closing.getAsBoolean()) {
			LOGGER.log(level, "Replica " + this.membership.replica() + " cannot reach replica " + this.peer.replica()
					+ " at " + this.peer.address() + " (" + cause.getMessage() + "); it keeps trying until the peer is up");
		}
	}

	private void reconnectLater() {
		if (this.closing.getAsBoolean()) {
			return;
		}
		try {
			this.group.schedule(this::connect, this.backoff.nextDelayNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// The transport is closing: its event loop accepts no more work, and none is needed.
		}
	}

}
