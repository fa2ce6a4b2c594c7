package io.viewstamp.transport;

import java.util.Optional;
import java.util.function.IntFunction;

import io.netty.channel.ChannelHandlerContext;
import io.viewstamp.transport.Handshake.Accepted;
import io.viewstamp.transport.Handshake.Hello;

/**
 * The acceptor's side of the handshake: waits for the dialer's {@link Hello}, checks it against
 * the {@link Membership}, and answers {@link Accepted} or refuses.
 */
final class AcceptingHandshake extends HandshakeHandler {

	private final Membership membership;

	private final IntFunction<Peer> peers;

	AcceptingHandshake(Membership membership, IntFunction<Peer> peers, TransportOptions options, RefusalLog refusals) {
		super(options, refusals);
		this.membership = membership;
		this.peers = peers;
	}

	@Override
	void opened(ChannelHandlerContext context) {
		// The dialer speaks first.
	}

	@Override
	void received(ChannelHandlerContext context, Handshake handshake) {
		if (!(handshake instanceof Hello hello)) {
			refuse(context, "the first frame of a dialer must be a hello, not " + handshake.getClass().getSimpleName());
			return;
		}
		Optional<String> problem = this.membership.problemWithHello(hello);
		if (problem.isPresent()) {
			refuse(context, problem.get());
			return;
		}
		Accepted accepted = new Accepted(this.membership.clusterId(), this.membership.replica());
		context.writeAndFlush(FrameDecoder.frame(HandshakeCodec.encode(accepted)));
		complete(context, this.membership.replica(), this.peers.apply(hello.dialer()));
	}

	@Override
	int localReplica() {
		return this.membership.replica();
	}

	@Override
	String describePeer() {
		return "an unauthenticated peer";
	}

	@Override
	String describeRefusal(ChannelHandlerContext context) {
		return "Replica " + this.membership.replica() + " refuses the connection from "
				+ Connections.remote(context.channel());
	}

}
