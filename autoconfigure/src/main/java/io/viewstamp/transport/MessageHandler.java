package io.viewstamp.transport;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.viewstamp.transport.Handshake.Refused;
import io.viewstamp.vsr.Message;
import io.viewstamp.vsr.ReplicaMessage;

/**
 * Decodes the messages of a connection whose handshake completed and hands them to its
 * {@link Peer}. A replica message must name the sender the handshake verified: one that names
 * another is a misrouted or spoofing peer, and closes the connection.
 */
final class MessageHandler extends ChannelInboundHandlerAdapter {

	private static final Logger LOGGER = System.getLogger(MessageHandler.class.getName());

	private final int localReplica;

	private final Peer peer;

	private boolean closed;

	MessageHandler(int localReplica, Peer peer) {
		this.localReplica = localReplica;
		this.peer = peer;
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object frame) {
		if (this.closed) {
			return;
		}
		byte[] payload = (byte[]) frame;
		if (ConnectionLiveness.isPing(payload)) {
			return;
		}
		if (AddressNews.isNews(payload)) {
			this.peer.heardAddresses(context.channel(), AddressNews.decode(payload));
			return;
		}
		if (isHandshake(payload)) {
			refused(context, payload);
			return;
		}
		Message message = MessageCodec.decode(ByteBuffer.wrap(payload));
		if (message instanceof ReplicaMessage replicaMessage && replicaMessage.replica() != this.peer.replica()) {
			close(context, "a " + message.getClass().getSimpleName() + " names replica " + replicaMessage.replica()
					+ " as its sender, but the handshake verified replica " + this.peer.replica() + ": the peer is "
					+ "misconfigured or not who it claims to be");
			return;
		}
		this.peer.deliver(context.channel(), message);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
		this.closed = true;
		Connections.closeOnError(context, this.localReplica, "replica " + this.peer.replica(), cause);
	}

	/** A message starts with its format version (1), never with the handshake magic's first byte. */
	private static boolean isHandshake(byte[] payload) {
		return payload.length >= Integer.BYTES
				&& ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getInt() == HandshakeCodec.MAGIC;
	}

	/** The dialer checks the acceptor's answer after the acceptor completed, so its refusal comes here. */
	private void refused(ChannelHandlerContext context, byte[] payload) {
		Handshake handshake = HandshakeCodec.decode(payload);
		String reason = (handshake instanceof Refused refused) ? refused.reason()
				: "it sent a second handshake, which the protocol does not allow";
		close(context, "the peer refused the connection: " + reason);
	}

	private void close(ChannelHandlerContext context, String problem) {
		this.closed = true;
		LOGGER.log(Level.WARNING, "Replica " + this.localReplica + " closes its connection with replica "
				+ this.peer.replica() + " at " + Connections.remote(context.channel()) + ": " + problem);
		context.close();
	}

}
