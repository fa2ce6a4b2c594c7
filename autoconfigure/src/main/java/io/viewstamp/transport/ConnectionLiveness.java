package io.viewstamp.transport;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * Keeps an authenticated connection honest about being alive. After {@code pingInterval} without a
 * byte written, it writes a ping (a frame with an empty payload, which the other side reads and
 * drops); after {@code idleTimeout} without a byte read, it closes the connection, and the dialing
 * side redials. TCP alone would notice a peer whose host vanished, or a link that silently drops
 * every byte (a failed switch, a NAT entry gone), only when keepalive probes fail, after hours:
 * until then messages would go into the void while the connection looks fine.
 */
final class ConnectionLiveness extends IdleStateHandler {

	private static final Logger LOGGER = System.getLogger(ConnectionLiveness.class.getName());

	/** A ping: a frame whose payload is empty. No message encodes to nothing, so none is taken for one. */
	private static final byte[] PING = Frame.encode(new byte[0]).array();

	private final int localReplica;

	private final int peer;

	private final Duration idleTimeout;

	ConnectionLiveness(int localReplica, int peer, Duration pingInterval, Duration idleTimeout) {
		super(false, idleTimeout.toNanos(), pingInterval.toNanos(), 0, TimeUnit.NANOSECONDS);
		this.localReplica = localReplica;
		this.peer = peer;
		this.idleTimeout = idleTimeout;
	}

	/** Whether a frame's payload is a ping rather than a message. */
	static boolean isPing(byte[] payload) {
		return payload.length == 0;
	}

	@Override
	protected void channelIdle(ChannelHandlerContext context, IdleStateEvent event) {
		if (event.state() == IdleState.WRITER_IDLE) {
			context.writeAndFlush(Unpooled.wrappedBuffer(PING));
		}
		else if (event.state() == IdleState.READER_IDLE) {
			LOGGER.log(Level.WARNING, "Replica " + this.localReplica + " heard nothing from replica " + this.peer + " at "
					+ Connections.remote(context.channel()) + " for " + this.idleTimeout.toMillis() + " ms, not even a "
					+ "ping: the connection is half-open or the link drops every byte. It closes the connection; "
					+ ((this.localReplica < this.peer) ? "it redials" : "the peer redials")
					+ " (replication.transport.idle-timeout sets the bound)");
			context.close();
		}
	}

}
