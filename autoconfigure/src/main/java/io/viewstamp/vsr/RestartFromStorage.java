package io.viewstamp.vsr;

import java.util.List;

import io.viewstamp.vsr.ReplicaMessage.StartViewChange;

/**
 * A replica's start from what its storage holds (its superblock, snapshot and journal): it takes
 * the longest intact hash chain of the journal as its log, notes a faulty head when the journal
 * was damaged past it, replays what is known committed, and takes up its view, or hands it on
 * when it can not know what it promised in it.
 *
 * <p>A room of {@link Replica}, used once, at the start: it sets the state all rooms share.
 */
final class RestartFromStorage {

	private final Replica replica;

	RestartFromStorage(Replica replica) {
		this.replica = replica;
	}

	void open(DurableState state) {
		Replica replica = this.replica;
		Superblock superblock = state.superblock();
		Invariants.check(superblock.clusterId() == replica.cluster.clusterId(),
				"superblock of cluster %d, expected cluster %d", superblock.clusterId(), replica.cluster.clusterId());
		Invariants.check(superblock.replica() == replica.index, "superblock of replica %d, expected replica %d",
				superblock.replica(), replica.index);
		replica.configuration = superblock.configuration();
		replica.epochs.membersEntered = replica.isMember() ? 1 << replica.index : 0;
		replica.superblockDurable = superblock;
		replica.superblockRequested = superblock;
		replica.peerHeard = replica.configuration.size() == 1;
		replica.view = superblock.view();
		replica.logView = superblock.logView();
		replica.status = (replica.logView == replica.view) ? Status.NORMAL : Status.VIEW_CHANGE;
		if (state.snapshot() != null) {
			replica.execution.restoreSnapshot(state.snapshot(), true);
		}
		loadJournal(state.journal());
		// A cluster of one has no peer to repair from: what its journal holds past a faulty op is cut
		// below with the rest of the tail. After a power loss that is a batch whose sectors reached the
		// disk out of order, never acknowledged; after bit rot it is data lost with the only copy.
		if ((!state.faultyOps().isEmpty() || startsPastTheBase(state.journal())) && !state.journal().isEmpty()
				&& replica.configuration.size() > 1) {
			LogEntry newest = state.journal().get(state.journal().size() - 1);
			replica.faultyHead = (newest.op() > replica.log.op()) ? newest : null;
		}
		if (replica.faultyHead == null && !state.journal().isEmpty()
				&& state.journal().get(state.journal().size() - 1).op() > replica.log.op()
				&& replica.rules.cutsJournalBeyondLog()) {
			// Entries past the intact chain are not this log's: were they left on disk, rewriting the
			// entry they name as parent would make them chain again, and a later restart would read
			// them back as part of whatever log this replica holds by then.
			replica.storage.truncateAfter(replica.log.op());
		}
		// Replay what is known committed; the rest is committed again by the current primary.
		replica.commitKnown = Math.min(superblock.commit(), replica.log.op());
		replica.applyCommitted(false);
		if (replica.logView == replica.view && !replica.isPrimaryOf(replica.view)) {
			replica.primaryTimeout.start(replica.ticks);
			replica.resetPrimaryTimeout();
		}
		else if (replica.logView == replica.view || replica.isPrimaryOf(replica.view)) {
			// A restarted primary cannot know which of its prepares reached the backups before the
			// crash, nor reuse op numbers safely: it hands the view on. So does the primary of a view
			// change in progress: it may have started the view (sent its start-view and prepares)
			// before its log view was durable, and starting it again with another log would give
			// one view two logs.
			replica.viewChange.start(replica.view + 1);
		}
		else {
			replica.viewChange.beginRound();
			replica.broadcast(new StartViewChange(replica.view, replica.index));
		}
	}

	/**
	 * Whether the journal's entries begin after a gap above the log's base: the snapshot the journal
	 * was compacted behind is gone (found corrupt, the storage fell back to an older one), so the ops
	 * between are missing here, though this replica once held them and vouched for every entry after
	 * them. It is as damaged as a replica with a corrupt entry: its newest entry is a faulty head.
	 */
	private boolean startsPastTheBase(List<LogEntry> journal) {
		Replica replica = this.replica;
		for (LogEntry entry : journal) {
			if (entry.op() > replica.log.baseOp()) {
				return entry.op() > replica.log.baseOp() + 1;
			}
		}
		return false;
	}

	/** Takes the longest prefix of the journal that is an intact hash chain; all of it is durable. */
	private void loadJournal(List<LogEntry> journal) {
		Replica replica = this.replica;
		for (LogEntry entry : journal) {
			if (entry.op() <= replica.log.baseOp()) {
				continue;
			}
			if (entry.op() != replica.log.op() + 1 || entry.parent() != replica.log.headChecksum()
					|| !entry.isIntact(replica.cluster.clusterId()) || entry.timestamp() <= replica.log.headTimestamp()) {
				break;
			}
			replica.log.append(entry);
			replica.log.markDurable(entry.op(), entry.checksum());
		}
	}

}
