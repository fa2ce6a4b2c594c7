package io.viewstamp.sim;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import io.viewstamp.transport.Frame;
import io.viewstamp.transport.MessageCodec;
import io.viewstamp.vsr.Message;

/**
 * The simulated network between replicas and clients. A message sent now is delivered at a later
 * tick: it may be lost, delivered twice, or delayed by a random number of ticks (so messages
 * overtake each other). Links can be cut one direction at a time, which gives symmetric and
 * asymmetric partitions; a cut link drops what arrives over it. Delivery happens in the order
 * (tick, send sequence), never in an order that depends on hash codes, so a seed replays exactly.
 */
public final class SimNetwork {

	/**
	 * The most messages in flight at once. A replica that floods the network is a bug; stopping
	 * with a clear message beats running out of memory.
	 */
	public static final int IN_FLIGHT_MESSAGES_MAX = 1_000_000;

	private static final Comparator<Envelope> DELIVERY_ORDER = Comparator.comparingLong(Envelope::deliveryTick)
		.thenComparingLong(Envelope::sequence);

	private final int replicaCount;

	private final int clientCount;

	private final SplittableRandom random;

	private SimFaults faults;

	private final PriorityQueue<Envelope> inFlight = new PriorityQueue<>(DELIVERY_ORDER);

	private final boolean[][] replicaLinkCut;

	private final boolean[][] clientLinkCut;

	private final List<Envelope> held = new ArrayList<>();

	private Predicate<Envelope> holdSelector = (envelope) -> false;

	private long sequence;

	private final Statistics statistics = new Statistics();

	/**
	 * Creates a network with every link up.
	 * @param replicaCount the number of replicas
	 * @param clientCount the number of clients
	 * @param faults loss, duplication and delay of messages
	 * @param random the network's own random stream
	 */
	public SimNetwork(int replicaCount, int clientCount, SimFaults faults, SplittableRandom random) {
		this.replicaCount = replicaCount;
		this.clientCount = clientCount;
		this.faults = faults;
		this.random = random;
		this.replicaLinkCut = new boolean[replicaCount][replicaCount];
		this.clientLinkCut = new boolean[clientCount][replicaCount];
	}

	/**
	 * Changes the loss, duplication and delay of messages sent from now on.
	 * @param faults the new faults
	 */
	public void setFaults(SimFaults faults) {
		this.faults = faults;
	}

	/**
	 * Sends a message. Whether it is lost or duplicated, and how long it travels, is decided now;
	 * whether its link is up is decided when it arrives.
	 * @param now the current tick
	 * @param from the sender
	 * @param to the receiver
	 * @param incarnation the receiving process's incarnation; delivery drops the message if the
	 * receiver has restarted since (its connections died with it)
	 * @param message the message
	 */
	public void send(long now, SimAddress from, SimAddress to, long incarnation, Message message) {
		checkAddress(from);
		checkAddress(to);
		if (from.equals(to)) {
			throw new IllegalStateException(from + " sent a message to itself: " + message);
		}
		this.statistics.sent++;
		SimWire wire = this.faults.wire();
		if (wire.isActive()) {
			message = overTheWire(wire, message);
			if (message == null) {
				this.statistics.rejected++;
				return;
			}
			to = misrouted(wire, from, to);
		}
		Envelope envelope = new Envelope(this.sequence++, now, now + delayTicks(wire), from, to, incarnation, message);
		if (this.holdSelector.test(envelope)) {
			this.held.add(envelope);
			return;
		}
		if (chance(this.faults.packetLossProbability())) {
			this.statistics.lost++;
			return;
		}
		enqueue(envelope);
		if (chance(this.faults.packetDuplicateProbability())) {
			this.statistics.duplicated++;
			enqueue(new Envelope(this.sequence++, now, now + delayTicks(wire), from, to, incarnation, message));
		}
	}

	/**
	 * Delivers, in (tick, sequence) order, every message due at or before {@code now} whose link is
	 * up. Messages sent while delivering are due later, so this ends.
	 * @param now the current tick
	 * @param recipient hands a message to whoever is at its address
	 */
	public void deliverDue(long now, Recipient recipient) {
		while (!this.inFlight.isEmpty() && this.inFlight.peek().deliveryTick() <= now) {
			Envelope envelope = this.inFlight.poll();
			if (!isLinkUp(envelope.from(), envelope.to())) {
				this.statistics.cutOff++;
			}
			else if (recipient.deliver(envelope)) {
				this.statistics.delivered++;
			}
			else {
				this.statistics.undeliverable++;
			}
		}
	}

	/**
	 * Holds back every message sent from now on that {@code selector} picks, instead of sending it,
	 * until {@link #releaseHeld} or {@link #discardHeld}. Scenarios use this to reorder one message
	 * around a view change. Held messages escape loss and duplication.
	 * @param selector picks the messages to hold
	 */
	public void hold(Predicate<Envelope> selector) {
		this.holdSelector = selector;
	}

	/**
	 * Stops holding, and sends every held message now, in the order they were sent, each arriving
	 * on the next tick.
	 * @param now the current tick
	 */
	public void releaseHeld(long now) {
		this.holdSelector = (envelope) -> false;
		for (Envelope envelope : this.held) {
			enqueue(new Envelope(this.sequence++, envelope.sentAt(), now + 1, envelope.from(), envelope.to(),
					envelope.incarnation(), envelope.message()));
		}
		this.held.clear();
	}

	/** Stops holding and forgets every held message, as if they were lost. */
	public void discardHeld() {
		this.holdSelector = (envelope) -> false;
		this.statistics.lost += this.held.size();
		this.held.clear();
	}

	/** The messages held back so far, in the order they were sent. */
	public List<Envelope> held() {
		return List.copyOf(this.held);
	}

	/**
	 * Cuts the link from one replica to another, in that direction only.
	 * @param from the sending replica
	 * @param to the receiving replica
	 */
	public void cutLink(int from, int to) {
		this.replicaLinkCut[from][to] = true;
	}

	/**
	 * Cuts every link between the two sides, in both directions. Replicas on neither side keep
	 * their links.
	 * @param sideA replicas on one side
	 * @param sideB replicas on the other side
	 */
	public void partition(Set<Integer> sideA, Set<Integer> sideB) {
		for (int a : sideA) {
			for (int b : sideB) {
				if (a != b) {
					cutLink(a, b);
					cutLink(b, a);
				}
			}
		}
	}

	/**
	 * Cuts a client off one replica, in both directions.
	 * @param client the client
	 * @param replica the replica
	 */
	public void cutClientLink(int client, int replica) {
		this.clientLinkCut[client][replica] = true;
	}

	/** Restores every link. */
	public void heal() {
		for (boolean[] row : this.replicaLinkCut) {
			java.util.Arrays.fill(row, false);
		}
		for (boolean[] row : this.clientLinkCut) {
			java.util.Arrays.fill(row, false);
		}
	}

	/** Whether any link is cut. */
	public boolean isPartitioned() {
		for (boolean[] row : this.replicaLinkCut) {
			for (boolean cut : row) {
				if (cut) {
					return true;
				}
			}
		}
		for (boolean[] row : this.clientLinkCut) {
			for (boolean cut : row) {
				if (cut) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * Whether a message from {@code from} reaches {@code to} now.
	 * @param from the sender
	 * @param to the receiver
	 * @return {@code false} when the link between them is cut
	 */
	public boolean isLinkUp(SimAddress from, SimAddress to) {
		if (from.isReplica() && to.isReplica()) {
			return !this.replicaLinkCut[from.index()][to.index()];
		}
		if (from.isReplica()) {
			return !this.clientLinkCut[to.index()][from.index()];
		}
		if (to.isReplica()) {
			return !this.clientLinkCut[from.index()][to.index()];
		}
		return false;
	}

	/** The cut links, for reports, for example {@code "0->1 1->0 client 2-x-0"}. */
	public String describeCuts() {
		StringBuilder description = new StringBuilder();
		for (int from = 0; from < this.replicaCount; from++) {
			for (int to = 0; to < this.replicaCount; to++) {
				if (this.replicaLinkCut[from][to]) {
					description.append(from).append("->").append(to).append(' ');
				}
			}
		}
		for (int client = 0; client < this.clientCount; client++) {
			for (int replica = 0; replica < this.replicaCount; replica++) {
				if (this.clientLinkCut[client][replica]) {
					description.append("client ").append(client).append("-x-").append(replica).append(' ');
				}
			}
		}
		return (description.length() == 0) ? "none" : description.toString().trim();
	}

	/** The number of messages on their way. */
	public int inFlightCount() {
		return this.inFlight.size();
	}

	/** What the network did so far. */
	public Statistics statistics() {
		return this.statistics;
	}

	private void enqueue(Envelope envelope) {
		if (this.inFlight.size() >= IN_FLIGHT_MESSAGES_MAX) {
			throw new IllegalStateException("More than " + IN_FLIGHT_MESSAGES_MAX
					+ " messages in flight: something floods the network; the last was " + envelope);
		}
		this.inFlight.add(envelope);
	}

	private long delayTicks(SimWire wire) {
		if (wire.longDelayProbability() > 0 && this.random.nextDouble() < wire.longDelayProbability()) {
			this.statistics.delayedLong++;
			return 1 + this.random.nextInt(wire.longDelayTicksMax());
		}
		return 1 + this.random.nextInt(this.faults.delayTicksMax());
	}

	/**
	 * The message as the receiver decodes it from the sender's bytes, one bit of them flipped now
	 * and then; {@code null} when the receiver's decoder refuses the bytes, as the transport drops
	 * a frame whose checksum fails.
	 */
	private Message overTheWire(SimWire wire, Message message) {
		if (!wire.codec()) {
			return message;
		}
		// The transport's own frame (length, CRC-32C, payload) around the message's bytes, as Netty sends it.
		byte[] bytes = Frame.encode(MessageCodec.encode(message)).array();
		if (wire.corruptProbability() > 0 && this.random.nextDouble() < wire.corruptProbability()) {
			int bit = this.random.nextInt(bytes.length * Byte.SIZE);
			bytes[bit / Byte.SIZE] ^= (byte) (1 << (bit % Byte.SIZE));
			this.statistics.corrupted++;
		}
		try {
			Optional<byte[]> payload = Frame.decode(ByteBuffer.wrap(bytes));
			// A flipped length bit leaves the frame short: the receiver would wait for bytes that never come.
			return payload.isPresent() ? MessageCodec.decode(ByteBuffer.wrap(payload.get())) : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/** Another replica than {@code to} now and then, for messages between replicas. */
	private SimAddress misrouted(SimWire wire, SimAddress from, SimAddress to) {
		if (wire.misrouteProbability() == 0 || !from.isReplica() || !to.isReplica() || this.replicaCount < 3
				|| this.random.nextDouble() >= wire.misrouteProbability()) {
			return to;
		}
		int other;
		do {
			other = this.random.nextInt(this.replicaCount);
		}
		while (other == to.index() || other == from.index());
		this.statistics.misrouted++;
		return SimAddress.replica(other);
	}

	private boolean chance(double probability) {
		// Always draw, so that the stream's position does not depend on the rates.
		double draw = this.random.nextDouble();
		return draw < probability;
	}

	private void checkAddress(SimAddress address) {
		int count = address.isReplica() ? this.replicaCount : this.clientCount;
		if (address.index() < 0 || address.index() >= count) {
			throw new IllegalArgumentException("No " + address + " in a network of " + this.replicaCount
					+ " replicas and " + this.clientCount + " clients");
		}
	}

	/**
	 * A message on its way.
	 * @param sequence the order in which it was sent, which breaks ties between equal delivery ticks
	 * @param sentAt the tick it was sent
	 * @param deliveryTick the tick it arrives
	 * @param from the sender
	 * @param to the receiver
	 * @param incarnation the receiver's incarnation when it was sent
	 * @param message the message
	 */
	public record Envelope(long sequence, long sentAt, long deliveryTick, SimAddress from, SimAddress to,
			long incarnation, Message message) {

	}

	/** Hands an arriving message to whoever is at its address. */
	@FunctionalInterface
	public interface Recipient {

		/**
		 * Delivers one message.
		 * @param envelope the message and its addresses
		 * @return {@code false} when nobody could take it (a crashed replica, a restarted client)
		 */
		boolean deliver(Envelope envelope);

	}

	/** Counts of what happened to messages. */
	public static final class Statistics {

		private long sent;

		private long corrupted;

		private long rejected;

		private long misrouted;

		private long delayedLong;

		/** Messages with a bit flipped on the wire. */
		public long corrupted() {
			return this.corrupted;
		}

		/** Messages the receiver's decoder refused (a flipped bit its checksums caught). */
		public long rejected() {
			return this.rejected;
		}

		/** Messages delivered to another replica than the one they were sent to. */
		public long misrouted() {
			return this.misrouted;
		}

		/** Messages held for a long delay. */
		public long delayedLong() {
			return this.delayedLong;
		}

		private long delivered;

		private long lost;

		private long duplicated;

		private long cutOff;

		private long undeliverable;

		/** Messages sent. */
		public long sent() {
			return this.sent;
		}

		/** Messages delivered to a running receiver. */
		public long delivered() {
			return this.delivered;
		}

		/** Messages lost (dropped at random, or held and discarded). */
		public long lost() {
			return this.lost;
		}

		/** Messages sent twice. */
		public long duplicated() {
			return this.duplicated;
		}

		/** Messages that arrived over a cut link. */
		public long cutOff() {
			return this.cutOff;
		}

		/** Messages whose receiver was down or had restarted. */
		public long undeliverable() {
			return this.undeliverable;
		}

	}

}
