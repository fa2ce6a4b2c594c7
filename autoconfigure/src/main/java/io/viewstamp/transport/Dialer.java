package io.viewstamp.transport;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
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

	private final RefusalLog refusals = new RefusalLog(LOGGER);

	private final Bootstrap bootstrap;

	private volatile boolean failing;

	Dialer(EventLoopGroup group, Membership membership, Peer peer, TransportOptions options, BooleanSupplier closing,
			Consumer<Channel> opened) {
		this.group = group;
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
					if (options.tls() != null) {
						channel.pipeline().addLast(options.tls().dialerHandler(channel.alloc(), peer.address(), options));
					}
					channel.pipeline()
						.addLast(HandshakeHandler.FRAME_DECODER, new FrameDecoder(HandshakeCodec.HANDSHAKE_SIZE_BYTES_MAX))
						.addLast(new DialingHandshake(membership, peer, Dialer.this, options.handshakeTimeout(),
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
		this.refusals.log("Replica " + this.peer.replica() + " at " + this.peer.address() + " refused the connection of "
				+ "replica " + this.membership.replica() + " (retrying until the configuration is fixed)", reason);
	}

	private void connect() {
		if (this.closing.getAsBoolean()) {
			return;
		}
		ChannelFuture attempt = this.bootstrap.connect(this.peer.address().socketAddress());
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
