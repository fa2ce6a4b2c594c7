package io.viewstamp.transport;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import org.jspecify.annotations.Nullable;

/**
 * Mutual TLS between replicas. Both ends of a connection present a certificate from their key
 * material and accept only a certificate their trust material trusts, so only replicas holding a
 * trusted certificate can join the cluster, and nobody on the network reads or alters what
 * replicas say to each other. The dialer also checks that the certificate it is shown names the
 * host it dialed, as HTTPS clients do, so a trusted certificate of another host cannot stand in
 * for a replica; certificates therefore name their replica's host (or IP address) as it appears
 * in the peer list.
 *
 * <p>The JDK's TLS implementation does the work; TLS runs below the frames and the handshake of
 * {@link NettyTransport}, which are unchanged.
 */
public final class PeerTls {

	private final SslContext acceptor;

	private final SslContext dialer;

	private PeerTls(SslContext acceptor, SslContext dialer) {
		this.acceptor = acceptor;
		this.dialer = dialer;
	}

	/**
	 * TLS with this replica's key material and the trust material for its peers' certificates.
	 * @param keys this replica's private key and certificate chain
	 * @param trust the certificates (or authorities) of the peers
	 * @param protocols the TLS protocols to enable, or {@code null} for the JDK's defaults
	 * @param ciphers the cipher suites to enable, or {@code null} for the JDK's defaults
	 * @return the TLS settings
	 * @throws TransportException when the JDK can not set up TLS with these
	 */
	public static PeerTls of(KeyManagerFactory keys, TrustManagerFactory trust, String @Nullable [] protocols,
			String @Nullable [] ciphers) {
		Objects.requireNonNull(keys, "keys");
		Objects.requireNonNull(trust, "trust");
		try {
			SslContext acceptor = configure(SslContextBuilder.forServer(keys), trust, protocols, ciphers)
				.clientAuth(ClientAuth.REQUIRE)
				.build();
			SslContext dialer = configure(SslContextBuilder.forClient().keyManager(keys), trust, protocols, ciphers)
				.endpointIdentificationAlgorithm("HTTPS")
				.build();
			return new PeerTls(acceptor, dialer);
		}
		catch (SSLException | IllegalArgumentException ex) {
			throw new TransportException("TLS between replicas can not be set up with the given key and trust material, "
					+ "protocols " + describe(protocols) + " and ciphers " + describe(ciphers) + ": " + ex.getMessage(), ex);
		}
	}

	private static SslContextBuilder configure(SslContextBuilder builder, TrustManagerFactory trust,
			String @Nullable [] protocols, String @Nullable [] ciphers) {
		builder.sslProvider(SslProvider.JDK).trustManager(trust);
		if (protocols != null) {
			builder.protocols(protocols);
		}
		if (ciphers != null) {
			builder.ciphers(List.of(ciphers));
		}
		return builder;
	}

	private static String describe(String @Nullable [] values) {
		return (values != null) ? Arrays.toString(values) : "(defaults)";
	}

	/** The TLS end of a connection a peer opened, which requires the peer's certificate. */
	SslHandler acceptorHandler(ByteBufAllocator allocator, TransportOptions options) {
		return withTimeout(this.acceptor.newHandler(allocator), options);
	}

	/** The TLS end of a connection to {@code peer}, whose certificate must name the host dialed. */
	SslHandler dialerHandler(ByteBufAllocator allocator, PeerAddress peer, TransportOptions options) {
		return withTimeout(this.dialer.newHandler(allocator, peer.host(), peer.port()), options);
	}

	private static SslHandler withTimeout(SslHandler handler, TransportOptions options) {
		// The replicas' own handshake follows within the same bound; a silent peer is closed either way.
		handler.setHandshakeTimeoutMillis(options.handshakeTimeout().toMillis());
		return handler;
	}

}
