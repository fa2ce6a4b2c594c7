package io.viewstamp.vsr;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Who the replicas of the cluster are in one epoch: the epoch number and the set of members,
 * replica indexes out of the cluster's index space of {@link Cluster#REPLICAS_MAX}. A quorum is a
 * majority of the members, and the primary of a view is the members' {@code (view mod size)}-th,
 * in index order. Epoch 0 is the cluster's first configuration, members {@code 0..n-1}, whose
 * primary of view {@code v} is {@code v mod n}.
 *
 * <p>A view names its epoch in its high 32 bits ({@link #epochOf}): views of epoch {@code e} start
 * at {@link #firstView} {@code e << 32}, so views stay one ordered sequence across configurations
 * and every message tells which configuration it belongs to.
 *
 * <p>Every epoch but the first starts with the committed {@link Operation#RECONFIGURE} op that
 * names it: {@link #startOp} and {@link #startChecksum} say which, so that a replica can tell
 * whether its log holds it (a member votes in an epoch only once it does). A proposed configuration,
 * not prepared yet, has none ({@code 0}).
 *
 * <p>Each member may have an address: where the runtime reaches it ({@code host:port}), opaque to
 * the protocol, which only carries it, so that a committed change of members tells every replica
 * where the new members are (no peer list has to be edited first). Epoch 0's members have none: the
 * peer lists they formed the cluster with are their addresses. A member without one has
 * {@link #NO_ADDRESS}.
 */
public final class Configuration {

	/** The bits of a view number below its epoch. */
	public static final int EPOCH_SHIFT = 32;

	/** The highest epoch: views stay positive. */
	public static final long EPOCH_MAX = Integer.MAX_VALUE;

	/** The address of a member whose address the configuration does not hold. */
	public static final String NO_ADDRESS = "";

	/**
	 * The longest address, in UTF-8 bytes: a host name of 233 characters and a port. (Sixteen members
	 * with the longest addresses still fit one superblock copy's block of 4 KiB.)
	 */
	public static final int ADDRESS_SIZE_BYTES_MAX = 240;

	private static final String[] NO_ADDRESSES = new String[0];

	private final long epoch;

	/** Bit {@code i} set when replica {@code i} is a member. */
	private final int members;

	/** The op of the reconfiguration that started the epoch; 0 for epoch 0 and for a proposal. */
	private final long startOp;

	private final long startChecksum;

	/** The members in index order, for the primary of a view and for loops. */
	private final int[] memberList;

	/** Each member's address, in {@link #memberList} order; empty when no member has one. */
	private final String[] addresses;

	private Configuration(long epoch, int members, long startOp, long startChecksum) {
		this(epoch, members, startOp, startChecksum, NO_ADDRESSES);
	}

	private Configuration(long epoch, int members, long startOp, long startChecksum, String[] addresses) {
		Invariants.check(epoch >= 0 && epoch <= EPOCH_MAX, "epoch %d outside 0..%d", epoch, EPOCH_MAX);
		Invariants.check(startOp >= 0, "start op %d of epoch %d", startOp, epoch);
		Invariants.check(members != 0, "a configuration has at least one member");
		Invariants.check((members >>> Cluster.REPLICAS_MAX) == 0, "members %s outside the index space 0..%d",
				Integer.toBinaryString(members), Cluster.REPLICAS_MAX - 1);
		this.epoch = epoch;
		this.members = members;
		this.startOp = startOp;
		this.startChecksum = startChecksum;
		this.memberList = new int[Integer.bitCount(members)];
		int position = 0;
		for (int replica = 0; replica < Cluster.REPLICAS_MAX; replica++) {
			if ((members & (1 << replica)) != 0) {
				this.memberList[position++] = replica;
			}
		}
		Invariants.check(addresses.length == 0 || addresses.length == this.memberList.length,
				"%d addresses for %d members", addresses.length, this.memberList.length);
		for (String address : addresses) {
			Invariants.check(isAddress(address), "address %s is longer than %d bytes", address, ADDRESS_SIZE_BYTES_MAX);
		}
		this.addresses = Arrays.stream(addresses).allMatch(String::isEmpty) ? NO_ADDRESSES : addresses.clone();
	}

	/**
	 * A configuration.
	 * @param epoch its epoch, from 0
	 * @param members bit {@code i} set for each member {@code i}
	 */
	public static Configuration of(long epoch, int members) {
		return new Configuration(epoch, members, 0, 0);
	}

	/**
	 * A configuration whose epoch started with the reconfiguration at {@code startOp}.
	 * @param startOp the op of the committed reconfiguration, from 1 (0 for epoch 0)
	 * @param startChecksum that op's entry checksum
	 */
	public static Configuration of(long epoch, int members, long startOp, long startChecksum) {
		return new Configuration(epoch, members, startOp, startChecksum);
	}

	/** This configuration, started by the reconfiguration at {@code op} with {@code checksum}. */
	public Configuration startedAt(long op, long checksum) {
		return new Configuration(this.epoch, this.members, op, checksum, this.addresses);
	}

	/** The op of the reconfiguration that started this epoch; 0 for epoch 0. */
	public long startOp() {
		return this.startOp;
	}

	/** The entry checksum of {@link #startOp}. */
	public long startChecksum() {
		return this.startChecksum;
	}

	/**
	 * The next epoch's configuration with {@code members}, as proposed (not started yet): the members
	 * that stay keep their addresses, the new ones have none until {@link #withAddress} gives one.
	 */
	public Configuration next(int nextMembers) {
		Invariants.check(this.epoch < EPOCH_MAX, "epoch %d is the last", this.epoch);
		Configuration next = new Configuration(this.epoch + 1, nextMembers, 0, 0);
		for (int replica : this.memberList) {
			if (next.contains(replica)) {
				next = next.withAddress(replica, address(replica));
			}
		}
		return next;
	}

	/**
	 * This configuration with member {@code replica} at {@code address}.
	 * @param address opaque to the protocol, at most {@link #ADDRESS_SIZE_BYTES_MAX} bytes in UTF-8;
	 * {@link #NO_ADDRESS} to forget it
	 */
	public Configuration withAddress(int replica, String address) {
		Invariants.check(contains(replica), "replica %d is not a member of %s", replica, this);
		String[] addresses = (this.addresses.length == 0) ? emptyAddresses(size()) : this.addresses.clone();
		addresses[positionOf(replica)] = address;
		return new Configuration(this.epoch, this.members, this.startOp, this.startChecksum, addresses);
	}

	/** Whether {@code address} fits a configuration: at most {@link #ADDRESS_SIZE_BYTES_MAX} bytes in UTF-8. */
	public static boolean isAddress(String address) {
		return address.getBytes(StandardCharsets.UTF_8).length <= ADDRESS_SIZE_BYTES_MAX;
	}

	/** Member {@code replica}'s address, or {@link #NO_ADDRESS} when it has none or is no member. */
	public String address(int replica) {
		return (this.addresses.length == 0 || !contains(replica)) ? NO_ADDRESS : this.addresses[positionOf(replica)];
	}

	/** Each member's address that the configuration holds, by index, in index order. */
	public SortedMap<Integer, String> addresses() {
		SortedMap<Integer, String> addresses = new TreeMap<>();
		for (int position = 0; position < this.addresses.length; position++) {
			if (!this.addresses[position].isEmpty()) {
				addresses.put(this.memberList[position], this.addresses[position]);
			}
		}
		return Collections.unmodifiableSortedMap(addresses);
	}

	/** Whether some member has an address. */
	public boolean hasAddresses() {
		return this.addresses.length > 0;
	}

	/**
	 * Writes the members' addresses in index order, each as its UTF-8 length (one byte) and bytes:
	 * {@code size()} bytes of zeros when none has one.
	 */
	public void putAddresses(ByteBuffer out) {
		for (int position = 0; position < size(); position++) {
			byte[] address = (this.addresses.length == 0) ? new byte[0]
					: this.addresses[position].getBytes(StandardCharsets.UTF_8);
			out.put((byte) address.length).put(address);
		}
	}

	/** The bytes {@link #putAddresses} writes. */
	public int addressesSizeBytes() {
		int size = size();
		for (String address : this.addresses) {
			size += address.getBytes(StandardCharsets.UTF_8).length;
		}
		return size;
	}

	/**
	 * This configuration with the addresses {@link #putAddresses} wrote, read from {@code in}.
	 * @throws java.nio.BufferUnderflowException when {@code in} ends before them
	 * @throws IllegalArgumentException when an address is no UTF-8, or longer than {@link #ADDRESS_SIZE_BYTES_MAX}
	 */
	public Configuration withAddressesFrom(ByteBuffer in) {
		String[] addresses = new String[size()];
		for (int position = 0; position < addresses.length; position++) {
			int length = Byte.toUnsignedInt(in.get());
			if (length > ADDRESS_SIZE_BYTES_MAX) {
				throw new IllegalArgumentException("an address of " + length + " bytes, more than " + ADDRESS_SIZE_BYTES_MAX);
			}
			byte[] address = new byte[length];
			in.get(address);
			try {
				addresses[position] = StandardCharsets.UTF_8.newDecoder()
					.onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT)
					.decode(ByteBuffer.wrap(address))
					.toString();
			}
			catch (CharacterCodingException ex) {
				throw new IllegalArgumentException("an address that is no UTF-8", ex);
			}
		}
		return new Configuration(this.epoch, this.members, this.startOp, this.startChecksum, addresses);
	}

	private static String[] emptyAddresses(int size) {
		String[] addresses = new String[size];
		Arrays.fill(addresses, NO_ADDRESS);
		return addresses;
	}

	/** A configuration of {@code epoch} whose members are {@code replicas}. */
	public static Configuration ofMembers(long epoch, int... replicas) {
		int members = 0;
		for (int replica : replicas) {
			Invariants.check(replica >= 0 && replica < Cluster.REPLICAS_MAX, "replica %d outside 0..%d", replica,
					Cluster.REPLICAS_MAX - 1);
			members |= 1 << replica;
		}
		return new Configuration(epoch, members, 0, 0);
	}

	/** The first configuration of a cluster of {@code replicaCount}: epoch 0, members {@code 0..replicaCount-1}. */
	public static Configuration initial(int replicaCount) {
		Invariants.check(replicaCount >= 1 && replicaCount <= Cluster.REPLICAS_MAX, "replica count %d outside 1..%d",
				replicaCount, Cluster.REPLICAS_MAX);
		return new Configuration(0, (int) ((1L << replicaCount) - 1), 0, 0);
	}

	/** The epoch of {@code view}: its high 32 bits. */
	public static long epochOf(long view) {
		return view >>> EPOCH_SHIFT;
	}

	/** The epoch number. */
	public long epoch() {
		return this.epoch;
	}

	/** The members as a bit set: bit {@code i} for replica {@code i}. */
	public int members() {
		return this.members;
	}

	/** The number of members. */
	public int size() {
		return this.memberList.length;
	}

	/** Whether replica {@code replica} is a member. */
	public boolean contains(int replica) {
		return replica >= 0 && replica < Cluster.REPLICAS_MAX && (this.members & (1 << replica)) != 0;
	}

	/** The {@code position}-th member in index order, from 0. */
	public int member(int position) {
		return this.memberList[position];
	}

	/** The position of member {@code replica} in index order, from 0; -1 when it is not a member. */
	public int positionOf(int replica) {
		if (!contains(replica)) {
			return -1;
		}
		return Integer.bitCount(this.members & ((1 << replica) - 1));
	}

	/** The number of failures of members the configuration survives. */
	public int faultsMax() {
		return (size() - 1) / 2;
	}

	/**
	 * Members that must hold an op (durably) before it commits, and that a view change needs: a
	 * majority, so that any two quorums share a replica. (For an odd count that is {@code f + 1};
	 * for an even count one more, since half of the members and the other half share none.)
	 */
	public int quorum() {
		return size() / 2 + 1;
	}

	/** The primary of {@code view}: the members' {@code (view mod size)}-th in index order. */
	public int primaryOf(long view) {
		return this.memberList[(int) Long.remainderUnsigned(view, this.memberList.length)];
	}

	/** The first view of this configuration's epoch. */
	public long firstView() {
		return this.epoch << EPOCH_SHIFT;
	}

	/** Whether {@code view} belongs to this configuration's epoch. */
	public boolean hasView(long view) {
		return epochOf(view) == this.epoch;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Configuration configuration && configuration.epoch == this.epoch
				&& configuration.members == this.members && configuration.startOp == this.startOp
				&& configuration.startChecksum == this.startChecksum
				&& Arrays.equals(configuration.addresses, this.addresses);
	}

	/** Whether {@code other} names the same epoch and members, started or not. */
	public boolean sameMembers(Configuration other) {
		return other.epoch == this.epoch && other.members == this.members;
	}

	@Override
	public int hashCode() {
		return Long.hashCode(this.epoch) * 31 + this.members + Long.hashCode(this.startOp) * 7;
	}

	/** The members' indexes in ascending order. */
	public List<Integer> memberIndexes() {
		return Arrays.stream(this.memberList).boxed().toList();
	}

	/** The members' indexes in ascending order, as text: {@code [0, 1, 2]}. */
	public String memberList() {
		return Arrays.toString(this.memberList);
	}

	@Override
	public String toString() {
		return "Configuration[epoch=" + this.epoch + ", members=" + Arrays.toString(this.memberList)
				+ ((this.startOp > 0) ? ", startOp=" + this.startOp : "")
				+ (hasAddresses() ? ", addresses=" + Arrays.toString(this.addresses) : "") + "]";
	}

}
