package io.viewstamp.transport;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.viewstamp.transport.Handshake.Refused;
import org.jspecify.annotations.Nullable;

/**
 * The first stage of every connection: nothing passes it until the handshake completes, and then
 * it hands the connection to a {@link MessageHandler}. A connection that does not complete within
 * the handshake timeout is closed; so is one whose handshake is refused, after a {@link Refused}
 * frame that tells the other side why.
 */
abstract class HandshakeHandler extends ChannelInboundHandlerAdapter {

	/** The pipeline name of the {@link FrameDecoder}, whose limit rises once the peer is known. */
	static final String FRAME_DECODER = "frames";

	private final TransportOptions options;

	private final RefusalLog refusals;

	/** Set once the channel is active. */
	private @Nullable ScheduledFuture<?> timer;

	private boolean finished;

	HandshakeHandler(TransportOptions options, RefusalLog refusals) {
		this.options = options;
		this.refusals = refusals;
	}

	@Override
	public final void channelActive(ChannelHandlerContext context) {
		this.timer = context.executor().schedule(() -> timedOut(context), this.options.handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
		opened(context);
		context.fireChannelActive();
	}

	@Override
	public final void channelInactive(ChannelHandlerContext context) {
		cancelTimer();
		context.fireChannelInactive();
	}

	@Override
	public final void channelRead(ChannelHandlerContext context, Object frame) {
		if (this.finished) {
			return;
		}
		Handshake handshake;
		try {
			handshake = HandshakeCodec.decode((byte[]) frame);
		}
		catch (MalformedMessageException ex) {
			String problem = Objects.requireNonNull(ex.getMessage(), "it says what is malformed");
			refuse(context, (ex instanceof HandshakeCodec.IncompatibleVersionException) ? RefusalReason.VERSION
					: RefusalReason.MALFORMED, problem);
			return;
		}
		received(context, handshake);
	}

	@Override
	public final void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
		this.finished = true;
		String tlsProblem = Connections.tlsProblem(cause);
		if (tlsProblem != null) {
			// A misconfigured peer retries every second: one warning, not one per attempt.
			this.refusals.refused(RefusalReason.TLS, describeRefusal(context), tlsProblem);
			context.close();
			return;
		}
		Connections.closeOnError(context, localReplica(), describePeer(), cause);
	}

	/** The transport's options, the shared secret among them. */
	final TransportOptions options() {
		return this.options;
	}

	/** This replica's index, for logs. */
	abstract int localReplica();

	/** The connection is open: a dialer says hello. */
	abstract void opened(ChannelHandlerContext context);

	/** The other side's handshake frame arrived. */
	abstract void received(ChannelHandlerContext context, Handshake handshake);

	/** The other end for logs, e.g. "replica 2". */
	abstract String describePeer();

	/** Which connection is refused, for the log, e.g. "Replica 1 refuses the connection from 127.0.0.1:54321". */
	abstract String describeRefusal(ChannelHandlerContext context);

	/** Refuses the connection: counts and logs why, tells the other side, and closes. */
	final void refuse(ChannelHandlerContext context, RefusalReason reason, String problem) {
		this.finished = true;
		this.refusals.refused(reason, describeRefusal(context), problem);
		context.writeAndFlush(FrameDecoder.frame(HandshakeCodec.encode(new Refused(problem))))
			.addListener(ChannelFutureListener.CLOSE);
	}

	/** Ends the handshake without a word to the other side, which has refused or gone. */
	final void abandon(ChannelHandlerContext context) {
		this.finished = true;
		context.close();
	}

	/**
	 * Hands the authenticated connection to {@code peer}: from now on its frames are messages, and
	 * pings keep it checked for life.
	 */
	final void complete(ChannelHandlerContext context, int localReplica, Peer peer) {
		this.finished = true;
		cancelTimer();
		this.refusals.reset();
		((FrameDecoder) context.pipeline().get(FRAME_DECODER)).allowPayloadSizeBytes(Frame.PAYLOAD_SIZE_BYTES_MAX);
		context.pipeline().addBefore(FRAME_DECODER, "liveness",
				new ConnectionLiveness(localReplica, peer.replica(), this.options.pingInterval(), this.options.idleTimeout()));
		context.pipeline().replace(this, "messages", new MessageHandler(localReplica, peer));
		peer.attach(context.channel());
	}

	private void cancelTimer() {
		if (this.timer != null) {
			this.timer.cancel(false);
		}
	}

	// Also closes a connection that was refused but whose refusal could not be written (a peer
	// that does not read), so that no connection outlives the timeout without a handshake.
	private void timedOut(ChannelHandlerContext context) {
		if (!context.channel().isOpen()) {
			return;
		}
		if (!this.finished) {
			this.finished = true;
			this.refusals.refused(RefusalReason.TIMEOUT, describeRefusal(context), "no handshake within " + this.options.handshakeTimeout().toMillis() + " ms: the "
					+ "peer is not a Viewstamp replica, or is overloaded");
		}
		context.close();
	}

}
