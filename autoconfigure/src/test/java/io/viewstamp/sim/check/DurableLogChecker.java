package io.viewstamp.sim.check;

import java.util.ArrayDeque;
import java.util.Deque;

import io.viewstamp.sim.SimulationFailure;
import io.viewstamp.sim.SimulationFailure.Check;
import io.viewstamp.vsr.DurableState;
import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.ReplicaMessage.DoViewChange;
import io.viewstamp.vsr.ReplicaMessage.PrepareOk;
import io.viewstamp.vsr.Superblock;

/**
 * Checks what a crash would leave on one replica's disk each time a new log view becomes durable
 * there: the journal's intact hash chain, which a restart reads back as the log of that view, must
 * end no later than the log the replica held when it asked for the superblock. Requests complete in
 * order, so every journal write and truncation asked before the superblock is durable with it; an
 * entry chained past the log's head is one the replica dropped (a discarded tail it left on disk),
 * and a restart would present it as part of the new view's log, where a view change may choose it
 * over committed ops.
 *
 * <p>One checker serves one process on a host: its requests die with the process.
 */
public final class DurableLogChecker {

	private final long seed;

	private final int replica;

	/** The superblocks requested and not yet written, with the log each claims. */
	private final Deque<Claim> claims = new ArrayDeque<>();

	/** The log view of the newest durable superblock; -1 when the disk holds none. */
	private long durableLogView;

	/**
	 * Creates a checker for the process that just opened a disk.
	 * @param seed the world's seed, for messages
	 * @param replica the replica's index
	 * @param durable the superblock the disk holds, or {@code null} when it holds none
	 */
	public DurableLogChecker(long seed, int replica, Superblock durable) {
		this.seed = seed;
		this.replica = replica;
		this.durableLogView = (durable != null) ? durable.logView() : -1;
	}

	/**
	 * The replica asked for {@code superblock} to be written.
	 * @param superblock the superblock
	 * @param holdsLogView whether the replica is normal in the superblock's log view, so that its log is that view's
	 * @param headOp the head of the replica's log now
	 */
	public void requested(Superblock superblock, boolean holdsLogView, long headOp) {
		this.claims.addLast(new Claim(superblock, holdsLogView ? headOp : -1));
	}

	/**
	 * {@code superblock} is durable.
	 * @param superblock the superblock
	 * @param durable what the disk holds now, or {@code null} when the disk cannot tell without a restart
	 * @param tick the current tick
	 */
	public void written(Superblock superblock, DurableState durable, long tick) {
		Claim claim = this.claims.pollFirst();
		if (claim == null || !claim.superblock().equals(superblock)) {
			throw new IllegalStateException("Replica " + this.replica + "'s superblock " + superblock
					+ " completed out of the order it was asked for: " + claim);
		}
		long logViewBefore = this.durableLogView;
		this.durableLogView = superblock.logView();
		if (durable == null || claim.headOp() < 0 || superblock.logView() <= logViewBefore) {
			return;
		}
		LogEntry chainHead = chainHead(durable);
		if (chainHead != null && chainHead.op() > claim.headOp()) {
			throw new SimulationFailure(this.seed, tick, Check.DURABLE_LOG, "replica " + this.replica
					+ " made log view " + superblock.logView() + " durable with a log ending at op " + claim.headOp()
					+ ", but its journal chains on to op " + chainHead.op() + " (" + chainHead
					+ "): a restart would read that entry back as part of the view's log");
		}
	}

	/**
	 * The replica acknowledged prepares: a crash now must leave on its disk the log view the
	 * acknowledgement is of, and the entry it names, or a quorum that counted it may hold the op
	 * no more.
	 * @param acknowledgement the prepare-ok sent
	 * @param durable the disk's durable superblock, {@code null} when it holds none
	 * @param durableSnapshotOp the op of the disk's durable snapshot, 0 when it holds none
	 * @param durableEntry the disk's durable entry at the acknowledged op, {@code null} when it holds none
	 * @param tick the current tick
	 */
	public void acknowledged(PrepareOk acknowledgement, Superblock durable, long durableSnapshotOp,
			LogEntry durableEntry, long tick) {
		if (durable == null || durable.logView() != acknowledgement.view()) {
			throw new SimulationFailure(this.seed, tick, Check.DURABLE_LOG, "replica " + this.replica
					+ " acknowledged op " + acknowledgement.op() + " of view " + acknowledgement.view()
					+ " while its durable superblock names log view " + ((durable != null) ? durable.logView() : "none")
					+ ": a restart would not hold the log it acknowledged as that view's");
		}
		// An op a durable snapshot covers is committed and kept by the snapshot.
		if (acknowledgement.op() > durableSnapshotOp
				&& (durableEntry == null || durableEntry.checksum() != acknowledgement.checksum())) {
			throw new SimulationFailure(this.seed, tick, Check.DURABLE_LOG, "replica " + this.replica
					+ " acknowledged op " + acknowledgement.op() + " of view " + acknowledgement.view()
					+ " while its journal holds " + durableEntry + " there: a restart would not hold what it acknowledged");
		}
	}

	/**
	 * The replica voted in a view change: a crash now must leave that view on its disk, or the
	 * replica could come back in an older view and help it commit what the new view's log lacks.
	 * @param vote the do-view-change sent
	 * @param durable the disk's durable superblock, {@code null} when it holds none
	 * @param tick the current tick
	 */
	public void voted(DoViewChange vote, Superblock durable, long tick) {
		if (durable == null || durable.view() < vote.view()) {
			throw new SimulationFailure(this.seed, tick, Check.DURABLE_LOG, "replica " + this.replica + " voted in view "
					+ vote.view() + " while its durable superblock names view "
					+ ((durable != null) ? durable.view() : "none") + ": a restart would forget the vote");
		}
	}

	/** The newest entry of the journal's intact chain from the snapshot, as a restart reads it. */
	private static LogEntry chainHead(DurableState durable) {
		long expected = (durable.snapshot() != null) ? durable.snapshot().op() + 1 : 1;
		LogEntry head = null;
		for (LogEntry entry : durable.journal()) {
			if (entry.op() != expected || (head != null && entry.parent() != head.checksum())) {
				break;
			}
			head = entry;
			expected++;
		}
		return head;
	}

	private record Claim(Superblock superblock, long headOp) {

	}

}
