package io.viewstamp.vsr;

import org.jspecify.annotations.Nullable;

/**
 * A primary's hand-over of its view to a chosen backup (for a clean stop, or an operator's move):
 * it stops taking requests, waits until every op it prepared is committed and the target has
 * acknowledged all of them, and then starts a view change to the next view whose primary is the
 * target. A view change is safe whoever starts it; the wait is what makes it fast, since the
 * target's log is then complete and current, so it is the log the view change chooses and the
 * target serves at once, with nothing to repair and nothing to commit first.
 *
 * <p>The target must also answer in this hand-over: an acknowledgement counted before it may come
 * from a replica that has crashed since, and a view change to a dead primary stalls the cluster
 * for a view-change timeout. So the primary sends the target its head prepare again, which a
 * backup holding it acknowledges again. (An acknowledgement already on its way passes for an
 * answer: a target that crashed a moment before can still be chosen, and the view change then
 * times out to the next view, as after any primary's crash.) If the target does not answer and catch up within a
 * view-change timeout (it is down, or cut off), the primary gives up and serves on in its view: a
 * hand-over never costs more than that pause. Any view change, started here or elsewhere, ends
 * the hand-over.
 *
 * <p>A room of {@link Replica}: it owns the target and its deadline, and reads the state all rooms
 * share through the replica.
 */
final class PrimaryTransfer {

	/** No hand-over under way. */
	static final int NONE = -1;

	private final Replica replica;

	private final Timeout deadline;

	private final Timeout probeResendTimeout;

	private int target = NONE;

	/** Whether the target acknowledged the head since the hand-over started: it is alive and reachable. */
	private boolean targetAnswered;

	PrimaryTransfer(Replica replica, ReplicaOptions options) {
		this.replica = replica;
		this.deadline = new Timeout("primary transfer", options.viewChangeTimeoutTicks());
		this.probeResendTimeout = new Timeout("primary transfer probe", options.resendIntervalTicks());
	}

	/**
	 * Starts handing the view to {@code target}.
	 * @return why the hand-over can not start, or {@code null} when it started
	 */
	@Nullable TransferRefusal start(int target) {
		Replica replica = this.replica;
		if (!replica.configuration.contains(target)) {
			return TransferRefusal.UNKNOWN_REPLICA;
		}
		if (replica.status != Status.NORMAL || !replica.isPrimary()) {
			return TransferRefusal.NOT_PRIMARY;
		}
		if (target == replica.index) {
			return TransferRefusal.ALREADY_PRIMARY;
		}
		this.target = target;
		this.deadline.start(replica.ticks);
		this.targetAnswered = false;
		probe();
		progress();
		return null;
	}

	/** A backup acknowledged {@code op}: if it is the target, it is alive and holds that much. */
	void acknowledged(int backup, long op) {
		if (backup == this.target && op >= this.replica.log.op()) {
			this.targetAnswered = true;
			progress();
		}
	}

	/** Whether a hand-over is under way: the primary then takes no request and prepares nothing new. */
	boolean isUnderWay() {
		return this.target != NONE;
	}

	/** The replica the view is being handed to, or {@link #NONE}. */
	int target() {
		return this.target;
	}

	/** Forgets the hand-over: a view change began (this one's, or another). */
	void reset() {
		this.target = NONE;
	}

	/**
	 * Hands over once everything prepared is committed and the target holds it all durably: its
	 * log is then the longest and its claim the best, so the view change chooses it as it is.
	 */
	void progress() {
		Replica replica = this.replica;
		if (this.target == NONE) {
			return;
		}
		Invariants.check(replica.status == Status.NORMAL && replica.isPrimary(),
				"replica %d hands over a view it is not the normal primary of", replica.index);
		long head = replica.log.op();
		if (!this.targetAnswered || replica.commitKnown < head || replica.pipeline.acknowledgedOp(this.target) < head) {
			return;
		}
		long newView = nextViewOf(this.target);
		Invariants.check(replica.configuration.primaryOf(newView) == this.target && newView > replica.view,
				"view %d chosen for a hand-over to replica %d from view %d", newView, this.target, replica.view);
		replica.viewChange.start(newView);
	}

	/** Gives up when the target did not catch up in time: the primary serves on in its view. */
	void tick() {
		if (this.target == NONE) {
			return;
		}
		if (this.deadline.fired(this.replica.ticks)) {
			this.target = NONE;
			this.replica.pipeline.prepareQueued();
		}
		else if (!this.targetAnswered && this.probeResendTimeout.fired(this.replica.ticks)) {
			probe();
		}
	}

	/**
	 * Sends the target the head prepare again: a backup that holds it acknowledges it again. With
	 * no entry to send (the head is in the snapshot, nothing came after it), the target can not be
	 * asked, and the acknowledgements it sent are all there is to go by.
	 */
	private void probe() {
		Replica replica = this.replica;
		this.probeResendTimeout.start(replica.ticks);
		LogEntry head = replica.log.entry(replica.log.op());
		if (head == null) {
			this.targetAnswered = true;
			return;
		}
		replica.outbox.send(this.target, new ReplicaMessage.Prepare(replica.view, replica.index, replica.commit, head));
	}

	/** The first view after the current one whose primary is {@code primary}. */
	private long nextViewOf(int primary) {
		Replica replica = this.replica;
		Configuration configuration = replica.configuration;
		long ahead = Math.floorMod(configuration.positionOf(primary) - configuration.positionOf(replica.primaryIndex()),
				configuration.size());
		return replica.view + ((ahead == 0) ? configuration.size() : ahead);
	}

}
