package io.viewstamp.transport;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

import javax.net.ssl.SSLException;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import org.jspecify.annotations.Nullable;

/** What the handlers share about a failing connection: how to name it, and how to close it. */
final class Connections {

	private static final Logger LOGGER = System.getLogger(Connections.class.getName());

	private Connections() {
	}

	/** The remote end of {@code channel} as {@code host:port}, for logs. */
	static String remote(Channel channel) {
		SocketAddress address = channel.remoteAddress();
		if (address instanceof InetSocketAddress inet) {
			return inet.getHostString() + ":" + inet.getPort();
		}
		return String.valueOf(address);
	}

	/**
	 * Logs why a connection fails and closes it; only that connection is affected (a dialer
	 * reconnects, an acceptor waits for its peer to).
	 * @param context the failing connection's handler
	 * @param localReplica this replica's index
	 * @param who the other end, e.g. "replica 2" or "an unauthenticated peer"
	 * @param cause what went wrong
	 */
	/**
	 * What went wrong with TLS and how to fix it, when {@code cause} is a TLS failure, else {@code null}.
	 * @param cause what a connection's pipeline reported
	 * @return the problem and its fix, or {@code null}
	 */
	static @Nullable String tlsProblem(Throwable cause) {
		Throwable reason = (cause instanceof DecoderException && cause.getCause() != null) ? cause.getCause() : cause;
		if (reason instanceof NotSslRecordException) {
			return "the peer does not speak TLS, and this replica does: set the same replication.ssl-bundle "
					+ "(TransportOptions.tls) on every replica, or on none";
		}
		if (reason instanceof SSLException) {
			return "the TLS handshake failed (" + reason.getMessage() + "): every replica's SSL bundle must hold its "
					+ "own certificate and private key and trust the others' certificates, and a replica's certificate "
					+ "must name its host as the peer list gives it";
		}
		return null;
	}

	static void closeOnError(ChannelHandlerContext context, int localReplica, String who, Throwable cause) {
		Throwable reason = (cause instanceof DecoderException && cause.getCause() != null) ? cause.getCause() : cause;
		String connection = "its connection with " + who + " at " + remote(context.channel());
		if (reason instanceof MalformedMessageException) {
			LOGGER.log(Level.WARNING, "Replica " + localReplica + " closes " + connection + ": " + reason.getMessage()
					+ ". Nothing after a malformed frame can be trusted; if this repeats, the peer runs another release "
					+ "of Viewstamp or the network corrupts data");
		}
		else if (reason instanceof IOException) {
			// A peer that stops or restarts resets its connections: routine, and the peer's state
			// is reported by onPeerDisconnected.
			LOGGER.log(Level.DEBUG, "Replica " + localReplica + " lost " + connection + ": " + reason.getMessage());
		}
		else {
			LOGGER.log(Level.WARNING, "Replica " + localReplica + " closes " + connection + " after an unexpected failure",
					reason);
		}
		context.close();
	}

}
