package io.viewstamp.vsr;

import io.viewstamp.vsr.ReplicaMessage.Commit;
import io.viewstamp.vsr.ReplicaMessage.Prepare;
import io.viewstamp.vsr.ReplicaMessage.PrepareOk;

/**
 * A backup in normal status: it follows its view's primary, appends its prepares in order and
 * acknowledges every op once it is durable (acknowledgements accumulate), learns the commit number
 * from prepares and heartbeats, and repairs what it lacks. A message of a newer view, or one that
 * arrives during a view change, sends it to ask for that view's start-view instead.
 *
 * <p>A room of {@link Replica}: it owns what it last acknowledged, and reads and changes the state
 * all rooms share through the replica.
 */
final class BackupFollower {

	private final Replica replica;

	/** The highest op acknowledged to the primary of this view. */
	private long prepareOkSentOp;

	BackupFollower(Replica replica) {
		this.replica = replica;
	}

	/** A new view: nothing is acknowledged in it yet. */
	void reset() {
		this.prepareOkSentOp = 0;
	}

	void onPrepare(Prepare prepare) {
		Replica replica = this.replica;
		if (!followPrimary(prepare.view(), prepare.replica())) {
			return;
		}
		LogEntry entry = prepare.entry();
		if (!entry.isIntact(replica.cluster.clusterId())) {
			replica.ignore(IgnoreReason.PREPARE_CORRUPT);
			return;
		}
		if (entry.op() <= replica.log.baseOp()) {
			// Committed and compacted into our snapshot long ago: nothing to do.
		}
		else if (entry.op() <= replica.log.op()) {
			// A resend: our log is a prefix of the primary's, so we must hold the same entry.
			Invariants.check(replica.log.contains(entry.op(), entry.checksum()),
					"replica %d holds another entry than primary %d at op %d in view %d", replica.index, prepare.replica(),
					entry.op(), replica.view);
			this.prepareOkSentOp = Math.min(this.prepareOkSentOp, entry.op() - 1);
			sendPrepareOk();
		}
		else if (entry.op() == replica.log.op() + 1) {
			Invariants.check(entry.parent() == replica.log.headChecksum(),
					"prepare %d of view %d does not chain to replica %d's log", entry.op(), replica.view, replica.index);
			replica.appendAndWrite(entry);
			sendPrepareOk();
		}
		else if (entry.op() > replica.log.op() + 1) {
			replica.repairs.start(replica.log.op() + 1, entry.op() - 1, entry.parent(), prepare.commit(), prepare.replica(),
					RepairPurpose.CATCH_UP);
		}
		learnCommit(prepare.commit());
	}

	void onCommit(Commit commitMessage) {
		Replica replica = this.replica;
		if (!followPrimary(commitMessage.view(), commitMessage.replica())) {
			return;
		}
		if (commitMessage.commit() > replica.log.op()) {
			replica.repairs.start(replica.log.op() + 1, commitMessage.commit(), commitMessage.commitChecksum(),
					commitMessage.commit(), commitMessage.replica(), RepairPurpose.CATCH_UP);
		}
		else if (commitMessage.commit() >= replica.log.baseOp()) {
			Invariants.check(replica.log.contains(commitMessage.commit(), commitMessage.commitChecksum()),
					"replica %d's log differs from primary %d's at committed op %d", replica.index, commitMessage.replica(),
					commitMessage.commit());
		}
		learnCommit(commitMessage.commit());
	}

	/**
	 * Checks that a message from a primary applies to this backup now. A message of a newer view
	 * means that view started without us: we ask for its start-view rather than follow blindly.
	 */
	private boolean followPrimary(long messageView, int sender) {
		Replica replica = this.replica;
		if (replica.status == Status.RECOVERING || messageView < replica.view
				|| sender != replica.configuration.primaryOf(messageView)) {
			replica.ignore(IgnoreReason.NOT_FROM_PRIMARY);
			return false;
		}
		if (messageView > replica.view || replica.status == Status.VIEW_CHANGE) {
			replica.ignore(IgnoreReason.AWAITING_START_VIEW);
			replica.viewChange.awaitStartView(messageView);
			return false;
		}
		Invariants.check(!replica.isPrimary(), "two primaries in view %d", replica.view);
		replica.primaryTimeout.start(replica.ticks);
		return true;
	}

	void learnCommit(long primaryCommit) {
		Replica replica = this.replica;
		if (primaryCommit > replica.commitKnown) {
			replica.commitKnown = primaryCommit;
		}
		replica.applyCommitted(false);
	}

	/** Acknowledges, to the primary, every op up to the durable head (acknowledgements accumulate). */
	void sendPrepareOk() {
		Replica replica = this.replica;
		if (replica.status != Status.NORMAL || replica.isPrimary() || !replica.isViewDurable()
				|| !replica.log.isBaseDurable()) {
			return;
		}
		long op = replica.rules.acknowledgeableOp(replica.log);
		if (op == 0 || op <= this.prepareOkSentOp) {
			return;
		}
		replica.outbox.send(replica.primaryIndex(), new PrepareOk(replica.view, replica.index, op, replica.log.checksum(op)));
		this.prepareOkSentOp = op;
	}

}
