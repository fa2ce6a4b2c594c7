package io.viewstamp.transport;

import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;

import io.netty.channel.ChannelHandlerContext;
import io.viewstamp.transport.Handshake.Accepted;
import io.viewstamp.transport.Handshake.Hello;
import io.viewstamp.transport.Handshake.Proven;
import org.jspecify.annotations.Nullable;

/**
 * The acceptor's side of the handshake: waits for the dialer's {@link Hello}, checks it against
 * the {@link Membership}, and answers {@link Accepted} or refuses. With a {@link PeerSecret}, its
 * answer proves the secret over both nonces, and it waits for the dialer's {@link Proven} before
 * any frame of the connection may reach the replica.
 */
final class AcceptingHandshake extends HandshakeHandler {

	private final Membership membership;

	private final IntFunction<Peer> peers;

	/** The hello being proven, with the nonce this side sent, or null before the hello. */
	private @Nullable Hello hello;

	private byte @Nullable [] nonce;

	AcceptingHandshake(Membership membership, IntFunction<@Nullable Peer> peers, TransportOptions options, RefusalLog refusals) {
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
		Hello proving = this.hello;
		if (proving != null) {
			receivedProof(context, handshake, proving);
			return;
		}
		if (!(handshake instanceof Hello received)) {
			refuse(context, RefusalReason.MALFORMED,
					"the first frame of a dialer must be a hello, not " + handshake.getClass().getSimpleName());
			return;
		}
		Optional<String> problem = this.membership.problemWithHello(received);
		if (problem.isPresent()) {
			refuse(context, (received.clusterId() != this.membership.clusterId()) ? RefusalReason.CLUSTER
					: RefusalReason.PEER_LIST, problem.get());
			return;
		}
		if (this.peers.apply(received.dialer()) == null) {
			refuse(context, RefusalReason.PEER_LIST, "the peer claims to be replica " + received.dialer() + ", which "
					+ "this replica has no address for yet: neither its replication.peers nor a committed change of "
					+ "members names it. A change under way that adds it tells the members where it is, and they dial it; "
					+ "if none is under way, add it with a change of members, which gives every member its address");
			return;
		}
		PeerSecret secret = options().secret();
		if (secret == null && received.authenticated()) {
			refuse(context, RefusalReason.SECRET, "the peer, replica " + received.dialer() + ", proves a shared secret "
					+ "(replication.secret) and this replica has none: set the same replication.secret on every replica, "
					+ "or on none");
			return;
		}
		if (secret != null && !received.authenticated()) {
			refuse(context, RefusalReason.SECRET, "the peer, claiming to be replica " + received.dialer() + ", has no "
					+ "shared secret and this replica requires one (replication.secret): set the same replication.secret "
					+ "on every replica");
			return;
		}
		byte[] acceptorNonce = Nonces.next();
		byte[] proof = (secret != null)
				? secret.acceptorProof(this.membership.clusterId(), received.dialer(), this.membership.replica(),
						received.nonce(), acceptorNonce)
				: new byte[PeerSecret.PROOF_SIZE_BYTES];
		Accepted accepted = new Accepted(this.membership.clusterId(), this.membership.replica(), acceptorNonce, proof,
				this.membership.holdsData().getAsBoolean(), this.membership.commands().get());
		context.writeAndFlush(FrameDecoder.frame(HandshakeCodec.encode(accepted)));
		if (secret == null) {
			Peer peer = known(received.dialer());
			peer.heard(received.holdsData(), received.commands());
			complete(context, this.membership.replica(), peer);
			return;
		}
		this.hello = received;
		this.nonce = acceptorNonce;
	}

	/** The dialer's proof, the frame after an authenticated hello: nothing else may pass before it. */
	private void receivedProof(ChannelHandlerContext context, Handshake handshake, Hello hello) {
		if (!(handshake instanceof Proven proven)) {
			refuse(context, RefusalReason.SECRET, "the peer, claiming to be replica " + hello.dialer() + ", sent a "
					+ handshake.getClass().getSimpleName() + " where the proof of the shared secret was due");
			return;
		}
		PeerSecret secret = Objects.requireNonNull(options().secret(), "a hello waits for a proof only with a secret");
		byte[] nonce = Objects.requireNonNull(this.nonce, "the nonce is sent with the acceptance of the hello");
		byte[] expected = secret.dialerProof(this.membership.clusterId(), hello.dialer(), this.membership.replica(),
				hello.nonce(), nonce);
		if (!PeerSecret.matches(expected, proven.proof())) {
			refuse(context, RefusalReason.SECRET, "the peer, claiming to be replica " + hello.dialer() + ", could "
					+ "not prove it knows the cluster's shared secret: set the same replication.secret on every replica");
			return;
		}
		Peer peer = known(hello.dialer());
		peer.heard(hello.holdsData(), hello.commands());
		complete(context, this.membership.replica(), peer);
	}

	/** The peer of a dialer whose hello passed: the transport forgets no peer. */
	private Peer known(int dialer) {
		return Objects.requireNonNull(this.peers.apply(dialer), "a hello passes only from a known replica");
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
