package io.viewstamp.transport;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The timeouts and limits of a {@link NettyTransport}.
 *
 * @param connectTimeout how long one attempt to open a TCP connection to a peer may take
 * @param handshakeTimeout how long a new connection may take to complete its handshake before it
 * is closed, so that a silent or confused peer cannot hold a connection open
 * @param reconnectDelayMin the wait before the first new attempt after a connection is lost or refused
 * @param reconnectDelayMax the longest wait between attempts; the wait doubles from
 * {@code reconnectDelayMin} after each failed attempt up to this
 * @param outboundBytesMax bytes that may wait to be written to one peer; messages to a peer that
 * has more waiting are dropped, so that a slow peer cannot make the sender run out of memory
 * @param tls mutual TLS between replicas, or {@code null} for plain TCP; every replica of a cluster
 * must use TLS, or none
 * @param secret the cluster's shared secret, which both ends of every connection prove they know,
 * or {@code null} for none; every replica of a cluster must have the same, or none
 * @param pingInterval how long a connection may go without a byte written before a ping is sent on
 * it, so that an idle but healthy connection is never taken for a dead one
 * @param idleTimeout how long a connection may go without a byte read (a message or a ping) before
 * it is closed and redialed: a half-open connection, or a link that silently drops every byte (a
 * failed switch, a NAT entry gone), is noticed within this, not after TCP keepalive's hours
 */
public record TransportOptions(Duration connectTimeout, Duration handshakeTimeout, Duration reconnectDelayMin,
		Duration reconnectDelayMax, int outboundBytesMax, @Nullable PeerTls tls, @Nullable PeerSecret secret,
		Duration pingInterval, Duration idleTimeout) {

	/** Default for {@link #connectTimeout()}. */
	public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

	/** Default for {@link #handshakeTimeout()}. */
	public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);

	/** Default for {@link #reconnectDelayMin()}. */
	public static final Duration RECONNECT_DELAY_MIN = Duration.ofMillis(50);

	/** Default for {@link #reconnectDelayMax()}. */
	public static final Duration RECONNECT_DELAY_MAX = Duration.ofSeconds(1);

	/** Default for {@link #outboundBytesMax()}. */
	public static final int OUTBOUND_BYTES_MAX = 64 << 20;

	/** Default for {@link #pingInterval()}. */
	public static final Duration PING_INTERVAL = Duration.ofSeconds(1);

	/** Default for {@link #idleTimeout()}: several pings may be lost or late before a connection is given up. */
	public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * The smallest {@link #outboundBytesMax()} allowed: less would drop messages of ordinary bursts
	 * even from a peer that keeps up.
	 */
	public static final int OUTBOUND_BYTES_MAX_MIN = 64 << 10;

	/** The longest of any timeout or delay: longer ones are almost certainly a unit mistake. */
	public static final Duration DURATION_MAX = Duration.ofHours(1);

	public TransportOptions {
		requirePositive(connectTimeout, "connectTimeout");
		requirePositive(handshakeTimeout, "handshakeTimeout");
		requirePositive(reconnectDelayMin, "reconnectDelayMin");
		requirePositive(reconnectDelayMax, "reconnectDelayMax");
		requirePositive(pingInterval, "pingInterval");
		requirePositive(idleTimeout, "idleTimeout");
		if (idleTimeout.compareTo(pingInterval.multipliedBy(2)) < 0) {
			throw new IllegalArgumentException("Transport idleTimeout " + idleTimeout + " is less than twice the pingInterval "
					+ pingInterval + ": a healthy idle connection would be closed whenever one ping is late; give an idle "
					+ "timeout of at least twice the ping interval (the defaults are 5s and 1s)");
		}
		if (reconnectDelayMin.compareTo(reconnectDelayMax) > 0) {
			throw new IllegalArgumentException("Transport reconnectDelayMin " + reconnectDelayMin
					+ " is longer than reconnectDelayMax " + reconnectDelayMax + ": give a minimum no longer than the maximum");
		}
		if (outboundBytesMax < OUTBOUND_BYTES_MAX_MIN) {
			throw new IllegalArgumentException("Transport outboundBytesMax " + outboundBytesMax + " bytes is less than the "
					+ OUTBOUND_BYTES_MAX_MIN + " bytes allowed: give at least 64 KiB (the default is 64 MiB)");
		}
	}

	/**
	 * Options in plain TCP.
	 * @param connectTimeout see {@link #connectTimeout()}
	 * @param handshakeTimeout see {@link #handshakeTimeout()}
	 * @param reconnectDelayMin see {@link #reconnectDelayMin()}
	 * @param reconnectDelayMax see {@link #reconnectDelayMax()}
	 * @param outboundBytesMax see {@link #outboundBytesMax()}
	 */
	public TransportOptions(Duration connectTimeout, Duration handshakeTimeout, Duration reconnectDelayMin,
			Duration reconnectDelayMax, int outboundBytesMax) {
		this(connectTimeout, handshakeTimeout, reconnectDelayMin, reconnectDelayMax, outboundBytesMax, null, null, PING_INTERVAL,
				IDLE_TIMEOUT);
	}

	/**
	 * The defaults: connect within 1 s, handshake within 2 s, reconnect after 50 ms doubling up to
	 * 1 s, at most 64 MiB waiting for one peer, a ping after 1 s without a write, and a connection
	 * given up after 5 s without a read.
	 * @return the defaults
	 */
	public static TransportOptions defaults() {
		return new TransportOptions(CONNECT_TIMEOUT, HANDSHAKE_TIMEOUT, RECONNECT_DELAY_MIN, RECONNECT_DELAY_MAX,
				OUTBOUND_BYTES_MAX);
	}

	/**
	 * A copy with other connection timeouts.
	 * @param connectTimeout see {@link #connectTimeout()}
	 * @param handshakeTimeout see {@link #handshakeTimeout()}
	 * @return the copy
	 */
	public TransportOptions withTimeouts(Duration connectTimeout, Duration handshakeTimeout) {
		return new TransportOptions(connectTimeout, handshakeTimeout, this.reconnectDelayMin, this.reconnectDelayMax,
				this.outboundBytesMax, this.tls, this.secret, this.pingInterval, this.idleTimeout);
	}

	/**
	 * A copy with other reconnection delays.
	 * @param reconnectDelayMin see {@link #reconnectDelayMin()}
	 * @param reconnectDelayMax see {@link #reconnectDelayMax()}
	 * @return the copy
	 */
	public TransportOptions withReconnectDelays(Duration reconnectDelayMin, Duration reconnectDelayMax) {
		return new TransportOptions(this.connectTimeout, this.handshakeTimeout, reconnectDelayMin, reconnectDelayMax,
				this.outboundBytesMax, this.tls, this.secret, this.pingInterval, this.idleTimeout);
	}

	/**
	 * A copy with another bound on the bytes waiting for one peer.
	 * @param outboundBytesMax see {@link #outboundBytesMax()}
	 * @return the copy
	 */
	public TransportOptions withOutboundBytesMax(int outboundBytesMax) {
		return new TransportOptions(this.connectTimeout, this.handshakeTimeout, this.reconnectDelayMin,
				this.reconnectDelayMax, outboundBytesMax, this.tls, this.secret, this.pingInterval, this.idleTimeout);
	}

	/**
	 * A copy with mutual TLS between replicas, or without ({@code null}).
	 * @param tls see {@link #tls()}
	 * @return the copy
	 */
	public TransportOptions withTls(@Nullable PeerTls tls) {
		return new TransportOptions(this.connectTimeout, this.handshakeTimeout, this.reconnectDelayMin,
				this.reconnectDelayMax, this.outboundBytesMax, tls, this.secret, this.pingInterval,
				this.idleTimeout);
	}

	/**
	 * A copy with other liveness checks of connections.
	 * @param pingInterval see {@link #pingInterval()}
	 * @param idleTimeout see {@link #idleTimeout()}
	 * @return the copy
	 */
	public TransportOptions withLiveness(Duration pingInterval, Duration idleTimeout) {
		return new TransportOptions(this.connectTimeout, this.handshakeTimeout, this.reconnectDelayMin,
				this.reconnectDelayMax, this.outboundBytesMax, this.tls, this.secret, pingInterval, idleTimeout);
	}

	/**
	 * A copy with a shared secret between replicas, or without ({@code null}).
	 * @param secret see {@link #secret()}
	 * @return the copy
	 */
	public TransportOptions withSecret(@Nullable PeerSecret secret) {
		return new TransportOptions(this.connectTimeout, this.handshakeTimeout, this.reconnectDelayMin,
				this.reconnectDelayMax, this.outboundBytesMax, this.tls, secret, this.pingInterval, this.idleTimeout);
	}

	private static void requirePositive(Duration duration, String name) {
		Objects.requireNonNull(duration, name);
		if (duration.isNegative() || duration.isZero() || duration.compareTo(DURATION_MAX) > 0) {
			throw new IllegalArgumentException("Transport " + name + " " + duration + " is outside the (0, "
					+ DURATION_MAX + "] allowed: give a positive duration such as 500ms or 2s");
		}
	}

}
