package io.viewstamp.vsr;

import io.viewstamp.vsr.ReplicaMessage.Prepares;
import io.viewstamp.vsr.ReplicaMessage.Recovery;
import io.viewstamp.vsr.ReplicaMessage.RecoveryResponse;
import io.viewstamp.vsr.ReplicaMessage.RequestPrepares;
import io.viewstamp.vsr.ReplicaMessage.RequestStartView;
import io.viewstamp.vsr.ReplicaMessage.SnapshotChunk;
import io.viewstamp.vsr.ReplicaMessage.StartEpoch;
import org.jspecify.annotations.Nullable;

/**
 * The replica's side of changes of members (see docs/protocol.md, reconfiguration): entering the
 * next epoch once its {@link Operation#RECONFIGURE} op is applied, telling the members of both
 * configurations once that is durable, answering and asking replicas of other epochs with the news
 * ({@link StartEpoch}), repairing up to a newer epoch's start before entering it, and, for a replica
 * that a change removed, knowing when it has left. A primary's side, which proposes a change, is
 * {@link Reconfiguration}.
 *
 * <p>A room of {@link Replica}: it owns what it tells and was told of epochs, and reads and changes
 * the state all rooms share (the configuration, view, status, log) through the replica.
 */
final class EpochChange {

	private final Replica replica;

	EpochChange(Replica replica) {
		this.replica = replica;
	}

	/**
	 * Per replica, the tick this replica last told it of a newer epoch, or asked it for the news of
	 * one: at most once per resend interval, however many messages of the other epoch arrive.
	 */
	private final long[] epochNewsTicks = new long[Cluster.REPLICAS_MAX];

	/**
	 * The members of this replica's configuration known to have entered its epoch (they said so in
	 * a start-epoch): a replica that is not a member hands its news on until a quorum has, and only
	 * then may stop ({@link MemberChanges#hasLeft}).
	 */
	int membersEntered;

	/**
	 * The members of the configuration this replica entered from, and that epoch: told of the new
	 * one once the new configuration is durable here, so that no replica stops on the word of one
	 * that could still forget the epoch in a crash.
	 */
	private int previousMembers;

	private long epochAnnounced;

	/** The newer epoch whose start a repair under way brings in, or {@code null}. */
	private @Nullable Configuration epochBeingEntered;

	/**
	 * Whether {@code message} is one this replica does not take as it is: from a replica outside its
	 * configuration, or of another epoch. A replica of an older epoch is told the news of the newer
	 * one (a start-epoch), and a message of a newer epoch makes this replica ask its sender for the
	 * news, by sending it a message of its own epoch. Recoveries and repairs pass: a replica without
	 * state knows no configuration, and a replica entering an epoch repairs its log from a replica
	 * already in it.
	 */
	boolean isFromAnotherEpoch(ReplicaMessage message) {
		Replica replica = this.replica;
		if (message instanceof Recovery || message instanceof RecoveryResponse || message instanceof RequestPrepares
				|| message instanceof Prepares || message instanceof SnapshotChunk || message instanceof StartEpoch) {
			return false;
		}
		int sender = message.replica();
		long epoch = Configuration.epochOf(message.view());
		if (epoch > replica.configuration.epoch()) {
			replica.ignore(IgnoreReason.OTHER_EPOCH);
			if (replica.status != Status.RECOVERING && isEpochNewsDue(sender)) {
				// Any message of ours tells the sender that we are behind; its answer is the start-epoch.
				replica.outbox.send(sender, new RequestStartView(replica.view, replica.index));
			}
			return true;
		}
		if (epoch < replica.configuration.epoch()) {
			replica.ignore(IgnoreReason.OTHER_EPOCH);
			if (replica.status != Status.RECOVERING && isEpochDurable() && isEpochNewsDue(sender)) {
				replica.outbox.send(sender, new StartEpoch(replica.view, replica.index, replica.configuration));
			}
			return true;
		}
		if (!replica.configuration.contains(sender) && !(replica.isPrimary() && replica.reconfiguration.isLearner(sender))) {
			replica.ignore(IgnoreReason.NOT_A_MEMBER);
			return true;
		}
		return false;
	}

	private boolean isEpochNewsDue(int other) {
		Replica replica = this.replica;
		if (this.epochNewsTicks[other] != 0 && replica.ticks - this.epochNewsTicks[other] < replica.options.resendIntervalTicks()) {
			return false;
		}
		this.epochNewsTicks[other] = replica.ticks;
		return true;
	}

	/**
	 * News of a newer epoch: its reconfiguration op is committed. A replica whose log holds that
	 * entry applies up to it, which enters the epoch ({@link #enterEpoch}); one whose log does not
	 * first repairs it from the sender, which holds it. Until then it takes no part in the new
	 * epoch: a member votes there only with the epoch's start in its log.
	 */
	void onStartEpoch(StartEpoch message) {
		Replica replica = this.replica;
		Configuration announced = message.configuration();
		int sender = message.replica();
		if (replica.status == Status.RECOVERING || announced.startOp() < 1) {
			replica.ignore(IgnoreReason.OTHER_EPOCH);
			return;
		}
		if (announced.epoch() <= replica.configuration.epoch()) {
			if (announced.epoch() == replica.configuration.epoch() && replica.configuration.contains(sender)) {
				this.membersEntered |= 1 << sender;
			}
			// A replica that left (or an older one) says what it knows: it learns that this one has entered
			// this epoch, or of the newer one this replica is in.
			boolean answer = (announced.epoch() < replica.configuration.epoch() || !replica.configuration.contains(sender))
					&& replica.configuration.startOp() > 0 && replica.isMember() && isEpochDurable() && isEpochNewsDue(sender);
			if (answer) {
				replica.outbox.send(sender, new StartEpoch(replica.view, replica.index, replica.configuration));
			}
			return;
		}
		long startOp = announced.startOp();
		if (replica.status == Status.NORMAL && replica.isPrimary() && !replica.log.contains(startOp, announced.startChecksum())) {
			// A primary of an older epoch that lacks the op is deposed: it stops leading before it
			// repairs its log, since a repair never writes into a primary's.
			replica.viewChange.start(replica.view + 1);
		}
		if (startOp <= replica.commit) {
			// Applied already, within a snapshot installed from a peer: the op itself never ran here.
			enterEpoch(announced);
			return;
		}
		if (replica.log.contains(startOp, announced.startChecksum())) {
			replica.commitKnown = Math.max(replica.commitKnown, startOp);
			replica.applyCommitted(false);
		}
		else if (!isEnteringEpoch(announced.epoch())) {
			// Any other repair gives way: one of the old epoch's log (a start-view, a chosen log, a catch-up)
			// is moot once a newer epoch began, and one toward an older epoch's start may find it compacted
			// everywhere by now, while the newer start brings it in on the way.
			this.epochBeingEntered = announced;
			replica.repairs.start(replica.commit + 1, startOp, announced.startChecksum(), startOp, message.replica(),
					RepairPurpose.ENTER_EPOCH);
		}
		else {
			// The repair toward this start under way asks replicas that may all be gone (the members of
			// this replica's old configuration); the sender is in the epoch, so it holds the start.
			replica.repairs.preferSource(startOp, sender);
		}
	}

	/** Whether a repair under way brings in the start of epoch {@code epoch}, or of a newer one. */
	private boolean isEnteringEpoch(long epoch) {
		Configuration entering = this.epochBeingEntered;
		return entering != null && entering.epoch() >= epoch && this.replica.repairs.isActive(RepairPurpose.ENTER_EPOCH);
	}

	/**
	 * The repair up to a newer epoch's start is complete: the log holds the start, or a snapshot
	 * past it replaced the state, in which case the op itself never runs here and the epoch is
	 * entered at once.
	 */
	void epochStartRepaired() {
		Replica replica = this.replica;
		Configuration entering = this.epochBeingEntered;
		this.epochBeingEntered = null;
		if (entering == null || entering.epoch() <= replica.configuration.epoch()) {
			return;
		}
		if (entering.startOp() <= replica.commit) {
			enterEpoch(entering);
			return;
		}
		replica.commitKnown = Math.max(replica.commitKnown, entering.startOp());
		replica.applyCommitted(false);
	}

	/**
	 * The reconfiguration op that starts {@code started}'s epoch is committed and applied here: the
	 * configuration becomes the new one (durable with the next superblock), every member of either
	 * configuration is told, and a member starts the new epoch's first view change, counted by the
	 * new configuration's quorum. A replica that is no longer a member takes no part from then on.
	 */
	void enterEpoch(Configuration started) {
		Replica replica = this.replica;
		if (started.epoch() <= replica.configuration.epoch()) {
			return;
		}
		Invariants.check(started.startOp() >= 1 && started.startOp() <= replica.commit,
				"replica %d enters epoch %d at op %d, with commit %d", replica.index, started.epoch(), started.startOp(),
				replica.commit);
		this.previousMembers = replica.configuration.members();
		replica.configuration = started;
		this.membersEntered = replica.isMember() ? 1 << replica.index : 0;
		replica.reconfiguration.reset();
		// Both configurations' members hear of it once it is durable here (onSuperblockWritten).
		if (replica.view >= started.firstView()) {
			replica.writeSuperblock();
		}
		else if (replica.isMember()) {
			replica.viewChange.start(started.firstView());
		}
		else {
			replica.viewChange.leave(started.firstView());
		}
	}

	/**
	 * Whether this replica's log ends with a change of members not yet in effect: a primary then
	 * prepares nothing more in its epoch.
	 */
	boolean isEpochClosing() {
		Replica replica = this.replica;
		LogEntry head = (replica.log.op() > replica.log.baseOp()) ? replica.log.entry(replica.log.op()) : null;
		return head != null && head.requests().get(0).operation() == Operation.RECONFIGURE
				&& head.requests().get(0).configuration().epoch() > replica.configuration.epoch();
	}

	/**
	 * Whether this replica may vote in its epoch: its log holds the op that started the epoch (or a
	 * snapshot covers it), so its log holds everything the previous configuration committed.
	 */
	boolean holdsEpochStart() {
		Replica replica = this.replica;
		long startOp = replica.configuration.startOp();
		return startOp == 0 || replica.log.contains(startOp, replica.configuration.startChecksum())
				|| (startOp <= replica.log.baseOp() && startOp <= replica.commit);
	}

	/**
	 * Tells every member of the previous and the current configuration that this replica entered
	 * the epoch, once the configuration is durable here: a replica that left stops only when a quorum
	 * of the new members has said so, and a crash must not make one of them forget it.
	 */
	void announceEpochOnceDurable() {
		Replica replica = this.replica;
		Configuration current = replica.configuration;
		if (current.startOp() == 0 || current.epoch() <= this.epochAnnounced || !isEpochDurable()) {
			return;
		}
		this.epochAnnounced = current.epoch();
		int told = (this.previousMembers | current.members()) & ~(1 << replica.index);
		for (int other = 0; other < Cluster.REPLICAS_MAX; other++) {
			if ((told & (1 << other)) != 0) {
				replica.outbox.send(other, new StartEpoch(replica.view, replica.index, current));
				this.epochNewsTicks[other] = replica.ticks;
			}
		}
	}

	/** Whether this replica's configuration is the one in its durable superblock: it will not forget the epoch. */
	boolean isEpochDurable() {
		Replica replica = this.replica;
		return replica.superblockDurable.configuration().equals(replica.configuration);
	}

	/**
	 * Whether this replica runs outside the members without a change having removed it: it
	 * recovered or restarted into an epoch without it, and waits for a change to add it.
	 */
	boolean isSpare() {
		Replica replica = this.replica;
		return replica.status != Status.RECOVERING && !replica.isMember()
				&& (this.previousMembers & (1 << replica.index)) == 0;
	}

	/**
	 * Whether this replica has left the cluster: a change removed it (it was a member of the
	 * configuration it entered this epoch from), and a quorum of the new configuration has entered
	 * the new epoch, so nothing depends on this replica's news any more. Its process may stop (the
	 * runtime stops it). Until then it keeps telling the new members. A spare ({@link #isSpare})
	 * has not left.
	 */
	boolean hasLeft() {
		Replica replica = this.replica;
		return replica.status != Status.RECOVERING && !replica.isMember() && replica.configuration.startOp() > 0
				&& (this.previousMembers & (1 << replica.index)) != 0
				&& Integer.bitCount(this.membersEntered & replica.configuration.members()) >= replica.configuration.quorum();
	}

}
