package io.viewstamp.transport;

import java.util.Optional;

import io.netty.channel.ChannelHandlerContext;
import io.viewstamp.transport.Handshake.Accepted;
import io.viewstamp.transport.Handshake.Hello;
import io.viewstamp.transport.Handshake.Proven;
import io.viewstamp.transport.Handshake.Refused;

/**
 * The dialer's side of the handshake: says {@link Hello} and checks the acceptor's answer. A
 * refusal is logged and the {@link Dialer} tries again later, since the other side may be
 * restarted with a fixed configuration. With a {@link PeerSecret}, it checks the acceptor's proof
 * of the secret before it sends its own ({@link Proven}).
 */
final class DialingHandshake extends HandshakeHandler {

	private final Membership membership;

	private final Peer peer;

	private final Dialer dialer;

	private final byte[] nonce = Nonces.next();

	DialingHandshake(Membership membership, Peer peer, Dialer dialer, TransportOptions options, RefusalLog refusals) {
		super(options, refusals);
		this.membership = membership;
		this.peer = peer;
		this.dialer = dialer;
	}

	@Override
	void opened(ChannelHandlerContext context) {
		Hello hello = new Hello(this.membership.clusterId(), this.membership.replica(), this.peer.replica(),
				options().secret() != null, this.nonce, this.membership.holdsData().getAsBoolean(),
				this.membership.commands().get());
		context.writeAndFlush(FrameDecoder.frame(HandshakeCodec.encode(hello)));
	}

	@Override
	void received(ChannelHandlerContext context, Handshake handshake) {
		if (handshake instanceof Refused refused) {
			this.dialer.refused(refused.reason());
			abandon(context);
			return;
		}
		if (!(handshake instanceof Accepted accepted)) {
			refuse(context, RefusalReason.MALFORMED, "the answer to a hello must be an acceptance or a refusal, not "
					+ handshake.getClass().getSimpleName());
			return;
		}
		Optional<String> problem = this.membership.problemWithAccepted(this.peer.replica(), this.peer.address(), accepted);
		if (problem.isPresent()) {
			refuse(context, (accepted.clusterId() != this.membership.clusterId()) ? RefusalReason.CLUSTER
					: RefusalReason.PEER_LIST, problem.get());
			return;
		}
		PeerSecret secret = options().secret();
		if (secret != null) {
			byte[] expected = secret.acceptorProof(this.membership.clusterId(), this.membership.replica(),
					this.peer.replica(), this.nonce, accepted.nonce());
			if (!PeerSecret.matches(expected, accepted.proof())) {
				refuse(context, RefusalReason.SECRET, "the peer, answering as replica " + accepted.acceptor()
						+ ", could not prove it knows the cluster's shared secret: set the same replication.secret on "
						+ "every replica");
				return;
			}
			context.writeAndFlush(FrameDecoder.frame(HandshakeCodec.encode(new Proven(secret.dialerProof(
					this.membership.clusterId(), this.membership.replica(), this.peer.replica(), this.nonce,
					accepted.nonce())))));
		}
		this.dialer.handshakeCompleted();
		this.peer.heard(accepted.holdsData(), accepted.commands());
		complete(context, this.membership.replica(), this.peer);
	}

	@Override
	int localReplica() {
		return this.membership.replica();
	}

	@Override
	String describePeer() {
		return "replica " + this.peer.replica() + " (handshake not completed)";
	}

	@Override
	String describeRefusal(ChannelHandlerContext context) {
		return "Replica " + this.membership.replica() + " refuses its connection to replica " + this.peer.replica()
				+ " at " + this.peer.address() + " (" + Connections.remote(context.channel()) + ")";
	}

}
