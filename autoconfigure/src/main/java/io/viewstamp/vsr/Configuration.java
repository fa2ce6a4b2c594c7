package io.viewstamp.vsr;

import java.util.Arrays;
import java.util.List;

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
 */
public final class Configuration {

	/** The bits of a view number below its epoch. */
	public static final int EPOCH_SHIFT = 32;

	/** The highest epoch: views stay positive. */
	public static final long EPOCH_MAX = Integer.MAX_VALUE;

	private final long epoch;

	/** Bit {@code i} set when replica {@code i} is a member. */
	private final int members;

	/** The op of the reconfiguration that started the epoch; 0 for epoch 0 and for a proposal. */
	private final long startOp;

	private final long startChecksum;

	/** The members in index order, for the primary of a view and for loops. */
	private final int[] memberList;

	private Configuration(long epoch, int members, long startOp, long startChecksum) {
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
		return new Configuration(this.epoch, this.members, op, checksum);
	}

	/** The op of the reconfiguration that started this epoch; 0 for epoch 0. */
	public long startOp() {
		return this.startOp;
	}

	/** The entry checksum of {@link #startOp}. */
	public long startChecksum() {
		return this.startChecksum;
	}

	/** The next epoch's configuration with {@code members}, as proposed (not started yet). */
	public Configuration next(int nextMembers) {
		Invariants.check(this.epoch < EPOCH_MAX, "epoch %d is the last", this.epoch);
		return new Configuration(this.epoch + 1, nextMembers, 0, 0);
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
				&& configuration.startChecksum == this.startChecksum;
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
				+ ((this.startOp > 0) ? ", startOp=" + this.startOp : "") + "]";
	}

}
