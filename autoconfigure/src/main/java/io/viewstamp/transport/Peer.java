package io.viewstamp.transport;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.LongAdder;
import java.util.SortedMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.netty.channel.Channel;
import io.viewstamp.vsr.Message;
import org.jspecify.annotations.Nullable;

/**
 * One other replica: its authenticated connection, if any, and its counters. At most one
 * connection is current; a newer one from the same peer replaces it (the peer restarted and the
 * old socket is half-open), and only the current connection's messages reach the listener. The
 * listener hears of each connection exactly once when it completes its handshake and once when it
 * is gone.
 */
final class Peer {

	private static final Logger LOGGER = System.getLogger(Peer.class.getName());

	private final int localReplica;

	private final int replica;

	/** Where the peer is: its dialer reads it at each attempt, so a move takes effect at the next one. */
	private volatile PeerAddress address;

	/** Whether {@link #address} came only from another replica's news, not from the peer list or a committed change. */
	private volatile boolean toldByNews;

	private final MessageListener listener;

	private final BooleanSupplier closing;

	/** Takes the addresses the peer tells of ({@link AddressNews}). */
	private final Consumer<SortedMap<Integer, PeerAddress>> news;

	private volatile @Nullable Channel channel;

	/** What the peer's last completed handshake said of its data directory; {@code null} before one. */
	private volatile @Nullable Boolean holdsData;

	/**
	 * The commands the peer's last completed handshake advertised; {@code null} before one. Kept
	 * when the connection closes: a peer that stopped for its upgrade still runs its old release
	 * until it says otherwise.
	 */
	private volatile @Nullable CommandCatalog commands;

	private final LongAdder messagesSent = new LongAdder();

	/** What waits for the I/O thread to write it to this peer ({@link #send}). */
	private final OutgoingFrames outgoing;

	private final LongAdder messagesReceived = new LongAdder();

	private final LongAdder messagesDropped = new LongAdder();

	Peer(int localReplica, int replica, PeerAddress address, MessageListener listener, BooleanSupplier closing,
			Consumer<SortedMap<Integer, PeerAddress>> news, long outgoingBytesMax) {
		this.outgoing = new OutgoingFrames(this, outgoingBytesMax);
		this.localReplica = localReplica;
		this.replica = replica;
		this.address = address;
		this.listener = listener;
		this.closing = closing;
		this.news = news;
	}

	/** Whether this peer's address came only from another replica's news. */
	boolean isToldByNews() {
		return this.toldByNews;
	}

	/** The peer, on its current connection {@code from}, told where replicas are. */
	void heardAddresses(Channel from, SortedMap<Integer, PeerAddress> addresses) {
		if (this.channel == from) {
			this.news.accept(addresses);
		}
	}

	/** The peer's handshake said whether its data directory holds a replica's state, and which commands it knows. */
	void heard(boolean peerHoldsData, CommandCatalog peerCommands) {
		this.holdsData = peerHoldsData;
		this.commands = peerCommands;
	}

	/** The commands the peer advertised at its last handshake; {@code null} before one. */
	@Nullable CommandCatalog commands() {
		return this.commands;
	}

	/** Whether the peer's data directory held a replica's state at its last handshake; {@code null} before one. */
	@Nullable Boolean holdsData() {
		return this.holdsData;
	}

	int replica() {
		return this.replica;
	}

	PeerAddress address() {
		return this.address;
	}

	/**
	 * The peer is at {@code newAddress} from now on (a committed change of members says so).
	 * @return whether that differs from where it was
	 */
	boolean moveTo(PeerAddress newAddress) {
		return moveTo(newAddress, false);
	}

	/**
	 * {@link #moveTo}, saying whether the new address came only from news.
	 * @return whether that differs from where it was
	 */
	boolean moveTo(PeerAddress newAddress, boolean fromNews) {
		this.toldByNews = fromNews;
		PeerAddress previous = this.address;
		if (previous.equals(newAddress)) {
			return false;
		}
		this.address = newAddress;
		LOGGER.log(Level.INFO, "Replica " + this.localReplica + " reaches replica " + this.replica + " at " + newAddress
				+ " from now on, no longer at " + previous);
		return true;
	}

	/** The current authenticated connection, or null. */
	@Nullable Channel channel() {
		return this.channel;
	}

	boolean isConnected() {
		Channel current = this.channel;
		return current != null && current.isActive();
	}

	/** Makes {@code channel}, whose handshake just completed, the current connection. */
	synchronized void attach(Channel channel) {
		Channel previous = this.channel;
		this.channel = channel;
		if (previous != null) {
			LOGGER.log(Level.INFO, "Replica " + this.localReplica + " replaces its connection with replica " + this.replica
					+ " (" + Connections.remote(previous) + ") by a new one (" + Connections.remote(channel)
					+ "): the peer restarted, or the old connection is half-open");
			notifyListener("disconnection", () -> this.listener.onPeerDisconnected(this.replica));
			previous.close();
		}
		LOGGER.log(Level.INFO, "Replica " + this.localReplica + " is connected with replica " + this.replica + " ("
				+ Connections.remote(channel) + ")");
		notifyListener("connection", () -> this.listener.onPeerConnected(this.replica));
		channel.closeFuture().addListener((closed) -> detach(channel));
	}

	private synchronized void detach(Channel channel) {
		if (this.channel != channel) {
			return;
		}
		this.channel = null;
		if (this.closing.getAsBoolean()) {
			LOGGER.log(Level.DEBUG, "Replica " + this.localReplica + " closed its connection with replica " + this.replica);
		}
		else {
			LOGGER.log(Level.INFO, "Replica " + this.localReplica + " lost its connection with replica " + this.replica
					+ "; " + ((this.localReplica < this.replica) ? "it reconnects" : "it waits for the peer to reconnect"));
		}
		notifyListener("disconnection", () -> this.listener.onPeerDisconnected(this.replica));
	}

	/** Hands a message that came on {@code from} to the listener, unless a newer connection replaced it. */
	void deliver(Channel from, Message message) {
		if (this.channel != from) {
			return;
		}
		this.messagesReceived.increment();
		notifyListener("a message", () -> this.listener.onMessage(this.replica, message));
	}

	/**
	 * Sends {@code frame} on {@code channel}, this peer's current connection, in the I/O thread's next
	 * burst of writes ({@link OutgoingFrames}).
	 */
	void send(Channel channel, byte[] frame) {
		this.outgoing.offer(channel, frame);
	}

	void sent() {
		this.messagesSent.increment();
	}

	void dropped() {
		this.messagesDropped.increment();
	}

	PeerStatus status() {
		return new PeerStatus(this.replica, this.address, isConnected(), this.messagesSent.sum(),
				this.messagesReceived.sum(), this.messagesDropped.sum());
	}

	// A failing listener is the owner's bug, not the peer's: it is logged, and the connection,
	// which is fine, goes on.
	private void notifyListener(String what, Runnable call) {
		try {
			call.run();
		}
		catch (RuntimeException ex) {
			LOGGER.log(Level.WARNING, "The transport listener of replica " + this.localReplica + " failed on " + what
					+ " from replica " + this.replica + "; the connection goes on", ex);
		}
	}

}
