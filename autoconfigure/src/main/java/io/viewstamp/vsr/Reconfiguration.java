package io.viewstamp.vsr;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A primary's change of the cluster's members (see docs/protocol.md, reconfiguration): the new
 * members first catch up as learners, which the primary sends its prepares and commits as to
 * backups and whose acknowledgements it records but counts in no quorum; once each has acknowledged
 * everything that was committed when the change was asked, and a quorum of the new configuration
 * holds the primary's head, the primary prepares one {@link Operation#RECONFIGURE} op naming the
 * next epoch's configuration, and prepares nothing after it in its epoch. The epoch changes when
 * that op is committed ({@link EpochChange#enterEpoch}), by a view change to the new epoch's first view.
 *
 * <p>A change whose new members do not catch up, or whose next configuration has no quorum holding
 * the primary's head (every member of it is asked), within {@link #DEADLINE_VIEW_CHANGE_TIMEOUTS}
 * view-change timeouts is given up before anything is prepared, and the operator may ask again; a
 * view change gives it up too. Once the op is prepared, the change is the log's, not this room's:
 * whichever primary commits the op makes the change.
 *
 * <p>A room of {@link Replica}: it owns the change asked for and its deadline, and reads the state
 * all rooms share through the replica.
 */
final class Reconfiguration {

	/** How many view-change timeouts the new members have to catch up. */
	static final int DEADLINE_VIEW_CHANGE_TIMEOUTS = 10;

	private final Replica replica;

	private final Timeout deadline;

	/** How often the learners are sent the head prepare again, which a backup holding it acknowledges. */
	private final Timeout probeResendTimeout;

	/** Whether the head was compacted when asked for: the learners' acknowledgements can not be asked for then. */
	private boolean headUnaskable;

	/** The configuration asked for, proposed (not started); {@code null} when no change is asked. */
	private @Nullable Configuration target;

	/** Every new member must hold what was committed when the change was asked. */
	private long catchUpOp;

	/** Why the last change asked was given up, or {@code null}. */
	private @Nullable ReconfigurationRefusal givenUp;

	Reconfiguration(Replica replica, ReplicaOptions options) {
		this.replica = replica;
		this.deadline = new Timeout("reconfiguration", (long) options.viewChangeTimeoutTicks() * DEADLINE_VIEW_CHANGE_TIMEOUTS);
		this.probeResendTimeout = new Timeout("reconfiguration probe", options.resendIntervalTicks());
	}

	/**
	 * Starts a change to {@code members}.
	 * @return why it can not start, or {@code null} when it started
	 */
	@Nullable ReconfigurationRefusal start(int members, Map<Integer, String> addresses) {
		Replica replica = this.replica;
		if (members == 0 || (members >>> Cluster.REPLICAS_MAX) != 0) {
			return ReconfigurationRefusal.INVALID_MEMBERS;
		}
		if (replica.status != Status.NORMAL || !replica.isPrimary()) {
			return ReconfigurationRefusal.NOT_PRIMARY;
		}
		if (!addresses.keySet().stream()
			.allMatch((member) -> member >= 0 && member < Cluster.REPLICAS_MAX && (members & (1 << member)) != 0)
				|| !addresses.values().stream().allMatch(Configuration::isAddress)) {
			return ReconfigurationRefusal.INVALID_MEMBERS;
		}
		if (members == replica.configuration.members()) {
			return ReconfigurationRefusal.ALREADY_MEMBERS;
		}
		if (this.target != null || replica.epochs.isEpochClosing() || replica.transfer.isUnderWay()
				|| replica.configuration.epoch() == Configuration.EPOCH_MAX) {
			return ReconfigurationRefusal.CHANGE_UNDER_WAY;
		}
		Configuration next = replica.configuration.next(members);
		for (Map.Entry<Integer, String> address : addresses.entrySet()) {
			next = next.withAddress(address.getKey(), address.getValue());
		}
		this.target = next;
		this.catchUpOp = replica.commit;
		this.headUnaskable = false;
		this.givenUp = null;
		this.deadline.start(replica.ticks);
		// The learners hear of the view at once, and start catching up.
		replica.pipeline.sendHeartbeat();
		probe();
		progress();
		return null;
	}

	/**
	 * Sends every other member of the next configuration the head prepare: one that holds it
	 * acknowledges it (an idle cluster sends no prepares of its own, and its backups may have
	 * acknowledged nothing in this view), one that lacks it asks for the view's start or repairs.
	 * With no entry to send (the head is in a snapshot), the learners can not be asked, and they are
	 * taken as caught up.
	 */
	private void probe() {
		Replica replica = this.replica;
		this.probeResendTimeout.start(replica.ticks);
		LogEntry head = (replica.log.op() > replica.log.baseOp()) ? replica.log.entry(replica.log.op()) : null;
		if (head == null) {
			this.headUnaskable = true;
			return;
		}
		Configuration next = this.target;
		int asked = (next == null) ? 0 : next.members() & ~(1 << replica.index);
		for (int member = 0; member < Cluster.REPLICAS_MAX; member++) {
			if ((asked & (1 << member)) != 0) {
				replica.outbox.send(member, new ReplicaMessage.Prepare(replica.view, replica.index, replica.commit, head));
			}
		}
	}

	/** The members being added, which the primary treats as backups that do not count; 0 when none. */
	int learners() {
		Configuration next = this.target;
		return (next == null) ? 0 : next.members() & ~this.replica.configuration.members();
	}

	/** Whether replica {@code replica} is a learner of the change under way. */
	boolean isLearner(int replica) {
		return replica >= 0 && replica < Cluster.REPLICAS_MAX && (learners() & (1 << replica)) != 0;
	}

	/** The configuration asked for, or {@code null}. */
	@Nullable Configuration target() {
		return this.target;
	}

	/**
	 * Why the last change asked of this primary was given up ({@link ReconfigurationRefusal#NO_QUORUM}
	 * or {@link ReconfigurationRefusal#NEW_MEMBERS_BEHIND}), or {@code null} when none was.
	 */
	@Nullable ReconfigurationRefusal givenUp() {
		return this.givenUp;
	}

	/** Forgets the change: a view change began, or its op was prepared (the log has it now). */
	void reset() {
		this.target = null;
	}

	/**
	 * Prepares the change once its new members hold what was committed when it was asked and a
	 * quorum of the new configuration holds the head.
	 */
	void progress() {
		Replica replica = this.replica;
		Configuration next = this.target;
		if (next == null || replica.status != Status.NORMAL || !replica.isPrimary() || replica.epochs.isEpochClosing()) {
			return;
		}
		if (!newMembersCaughtUp(next)) {
			return;
		}
		if (countHolding(next, replica.log.op()) < next.quorum() || !replica.pipeline.hasRoomForPrepare()) {
			return;
		}
		replica.pipeline.prepareReconfiguration(next);
	}

	/**
	 * Gives up when the new members did not catch up, or no quorum of the next members answered,
	 * in time: the primary serves on.
	 */
	void tick() {
		Configuration next = this.target;
		if (next == null) {
			return;
		}
		if (this.deadline.fired(this.replica.ticks)) {
			this.givenUp = newMembersCaughtUp(next) ? ReconfigurationRefusal.NO_QUORUM
					: ReconfigurationRefusal.NEW_MEMBERS_BEHIND;
			this.target = null;
		}
		else if (this.probeResendTimeout.fired(this.replica.ticks)) {
			probe();
		}
	}

	/** Whether every new member of {@code next} holds what was committed when the change was asked. */
	private boolean newMembersCaughtUp(Configuration next) {
		Replica replica = this.replica;
		if (this.headUnaskable) {
			return true;
		}
		for (int position = 0; position < next.size(); position++) {
			int member = next.member(position);
			if (!replica.configuration.contains(member) && replica.pipeline.acknowledgedOp(member) < this.catchUpOp) {
				return false;
			}
		}
		return true;
	}

	/** Members of {@code next} known to hold {@code op} durably. */
	private int countHolding(Configuration next, long op) {
		int holding = 0;
		for (int position = 0; position < next.size(); position++) {
			holding += holds(next.member(position), op) ? 1 : 0;
		}
		return holding;
	}

	/** Whether {@code replica} is known to hold {@code op} durably: the primary itself, or by its acknowledgements. */
	private boolean holds(int member, long op) {
		Replica replica = this.replica;
		return (member == replica.index) ? replica.log.durableOp() >= op : replica.pipeline.acknowledgedOp(member) >= op;
	}

}
