package io.viewstamp.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import io.viewstamp.vsr.DurableState;
import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.Snapshot;
import io.viewstamp.vsr.Storage;
import io.viewstamp.vsr.Superblock;

/**
 * One replica's simulated disk. Requests queue up in order and complete, in that order, after a
 * random latency; only a completed request changes the durable image (the journal, op to entry,
 * and the superblock) and calls the replica back. A crash discards every request not yet
 * completed, so it loses exactly the unsynced suffix that {@link Storage} allows to be lost. A
 * wipe loses the whole image, as when a data directory is gone.
 */
public final class SimStorage implements Storage, HostDisk {

	/**
	 * The most requests queued at once. A replica that writes without end is a bug; stopping with
	 * a clear message beats running out of memory.
	 */
	public static final int PENDING_REQUESTS_MAX = 100_000;

	private final int replica;

	private final SplittableRandom random;

	private final int latencyTicksMax;

	private final Deque<PendingRequest> pending = new ArrayDeque<>();

	private final TreeMap<Long, LogEntry> journal = new TreeMap<>();

	private Superblock superblock;

	/** Ops whose durable entry was corrupted and not yet written again. */
	private final java.util.TreeSet<Long> corruptOps = new java.util.TreeSet<>();

	/**
	 * The newest op the journal held when an entry was corrupted, 0 when none is: the replica stays
	 * damaged (it finds its log shorter than its journal, and may not vote) until it holds an entry
	 * that far again, or gives those entries up to a view's log, not merely until the corrupt entry
	 * is rewritten.
	 */
	private long damagedThroughOp;

	/** The newest durable snapshot; the journal keeps no entry at or before its op. */
	private Snapshot snapshot;

	private Completions completions;

	private long now;

	private long lastCompletionTick;

	/**
	 * Creates a disk that holds {@code initial}, as after formatting.
	 * @param replica the replica it belongs to, for messages
	 * @param initial the durable image to start with
	 * @param latencyTicksMax the most ticks one request takes (at least one)
	 * @param random the disk's own random stream
	 */
	public SimStorage(int replica, DurableState initial, int latencyTicksMax, SplittableRandom random) {
		this.replica = replica;
		this.random = random;
		this.latencyTicksMax = latencyTicksMax;
		this.superblock = initial.superblock();
		for (LogEntry entry : initial.journal()) {
			this.journal.put(entry.op(), entry);
		}
	}

	/**
	 * Connects the disk to the replica process that now runs on it; its completions go there.
	 * @param completions the running replica's callbacks
	 */
	public void attach(Completions completions) {
		this.completions = completions;
	}

	@Override
	public Storage open(Completions completions) {
		attach(completions);
		return this;
	}

	@Override
	public boolean completeDue(long now, boolean chaos) {
		completeDue(now);
		return false;
	}

	@Override
	public boolean crash(boolean tearWrite) {
		if (tearWrite) {
			return crashTearingWrite();
		}
		crash();
		return false;
	}

	@Override
	public String corrupt(SplittableRandom random) {
		long op = corruptEntry(random);
		return (op > 0) ? "journal entry of op " + op : null;
	}

	@Override
	public void writeEntry(LogEntry entry) {
		enqueue(new PendingRequest(Kind.WRITE_ENTRY, entry, 0, null, null, completionTick()));
	}

	@Override
	public void truncateAfter(long op) {
		enqueue(new PendingRequest(Kind.TRUNCATE, null, op, null, null, completionTick()));
	}

	@Override
	public void writeSuperblock(Superblock superblock) {
		enqueue(new PendingRequest(Kind.WRITE_SUPERBLOCK, null, 0, superblock, null, completionTick()));
	}

	@Override
	public void writeSnapshot(Snapshot snapshot) {
		enqueue(new PendingRequest(Kind.WRITE_SNAPSHOT, null, snapshot.op(), null, snapshot, completionTick()));
	}

	/**
	 * Completes, in order, every request due at or before {@code now}, changing the durable image and
	 * calling the replica back. Requests the callbacks make are due later, so this ends.
	 * @param now the current tick
	 */
	public void completeDue(long now) {
		this.now = now;
		while (!this.pending.isEmpty() && this.pending.peekFirst().completionTick() <= now) {
			PendingRequest request = this.pending.pollFirst();
			switch (request.kind()) {
				case WRITE_ENTRY -> {
					this.journal.put(request.entry().op(), request.entry());
					this.corruptOps.remove(request.entry().op());
					if (request.entry().op() >= this.damagedThroughOp) {
						this.damagedThroughOp = 0;
					}
					this.completions.onEntryWritten(request.entry().op(), request.entry().checksum());
				}
				case TRUNCATE -> {
					this.journal.tailMap(request.op(), false).clear();
					this.corruptOps.tailSet(request.op(), false).clear();
					if (request.op() < this.damagedThroughOp) {
						this.damagedThroughOp = 0;
					}
				}
				case WRITE_SUPERBLOCK -> {
					this.superblock = request.superblock();
					this.completions.onSuperblockWritten(request.superblock());
				}
				case WRITE_SNAPSHOT -> {
					// Written whole or not at all (write, fsync, rename); then the journal drops what it covers.
					if (this.snapshot == null || request.snapshot().op() > this.snapshot.op()) {
						this.snapshot = request.snapshot();
						this.journal.headMap(this.snapshot.op(), true).clear();
						this.corruptOps.headSet(this.snapshot.op(), true).clear();
					}
					this.completions.onSnapshotWritten(request.snapshot().op());
				}
			}
		}
	}

	/**
	 * Tells the disk the current tick, so requests made now get their latency from it. The
	 * simulator calls this at the start of every tick.
	 * @param now the current tick
	 */
	@Override
	public void advanceTo(long now) {
		this.now = now;
	}

	/** The process died: every request not yet completed is lost, the durable image stays. */
	public void crash() {
		this.pending.clear();
		this.completions = null;
		this.lastCompletionTick = this.now;
	}

	/**
	 * The process died in the middle of appending an entry: if the oldest request not yet completed
	 * writes past the end of the journal, that slot holds a torn copy (its checksum does not match
	 * its content) instead of nothing. Only an append can tear this way, so no entry that ever
	 * completed is damaged; a replica must notice the torn tail and ignore it.
	 * @return whether a write was torn
	 */
	public boolean crashTearingWrite() {
		PendingRequest oldest = this.pending.peekFirst();
		boolean torn = oldest != null && oldest.kind() == Kind.WRITE_ENTRY
				&& (this.journal.isEmpty() || oldest.entry().op() > this.journal.lastKey());
		if (torn) {
			LogEntry entry = oldest.entry();
			this.journal.put(entry.op(), new LogEntry(entry.view(), entry.op(), entry.timestamp(), entry.parent(),
					entry.checksum() ^ 1, entry.requests()));
		}
		crash();
		return torn;
	}

	/** The data directory is gone: the durable image and every pending request are lost. */
	@Override
	public void wipe() {
		crash();
		this.journal.clear();
		this.corruptOps.clear();
		this.damagedThroughOp = 0;
		this.superblock = null;
		this.snapshot = null;
	}

	/**
	 * Flips a bit of one durable entry that is not the newest, as a failing sector would.
	 * @param random where to draw the entry from
	 * @return the corrupted op, or -1 when the journal has too few entries
	 */
	public long corruptEntry(SplittableRandom random) {
		if (this.journal.size() < 2 || this.superblock == null) {
			return -1;
		}
		// Not the newest intact entry: with nothing intact after it (a torn append, say), a corrupt
		// entry reads as the start of a torn tail and is cut off as never written, which no journal
		// without a second copy of its headers can tell apart (see docs/simulator.md).
		long newestIntact = 0;
		for (LogEntry entry : this.journal.descendingMap().values()) {
			if (entry.isIntact(this.superblock.clusterId())) {
				newestIntact = entry.op();
				break;
			}
		}
		List<Long> candidates = new ArrayList<>(this.journal.headMap(newestIntact, false).keySet());
		if (candidates.isEmpty()) {
			return -1;
		}
		long op = candidates.get(random.nextInt(candidates.size()));
		LogEntry entry = this.journal.get(op);
		this.journal.put(op, new LogEntry(entry.view(), entry.op(), entry.timestamp() ^ 1, entry.parent(),
				entry.checksum(), entry.requests()));
		this.corruptOps.add(op);
		this.damagedThroughOp = Math.max(this.damagedThroughOp, this.journal.lastKey());
		return op;
	}

	/**
	 * Whether a corrupt entry is waiting to be written again, or the journal, rewritten, does not yet
	 * reach as far as it did when the entry was corrupted.
	 */
	@Override
	public boolean hasCorruption() {
		return !this.corruptOps.isEmpty() || this.damagedThroughOp > 0;
	}

	/** Whether the disk holds a superblock, that is whether a replica can restart from it. */
	@Override
	public boolean hasSuperblock() {
		return this.superblock != null;
	}

	/**
	 * What a replica restarting on this disk finds: the superblock and the journal's entries in op
	 * order from op 1, up to the first missing op.
	 * @return the durable state
	 * @throws IllegalStateException when the disk has no superblock (it was wiped)
	 */
	@Override
	public DurableState durableState() {
		if (this.superblock == null) {
			throw new IllegalStateException("Replica " + this.replica + " has no superblock: its storage was wiped");
		}
		List<LogEntry> entries = new ArrayList<>();
		List<Long> faultyOps = new ArrayList<>();
		long first = (this.snapshot == null) ? 1 : this.snapshot.op() + 1;
		long last = first - 1;
		while (this.journal.containsKey(last + 1)) {
			last++;
		}
		for (long op = first; op <= last; op++) {
			LogEntry entry = this.journal.get(op);
			if (entry.isIntact(this.superblock.clusterId())) {
				entries.add(entry);
			}
			else if (op < last) {
				// A corrupt entry followed by intact ones is faulty, to be repaired; at the end it is a torn write.
				faultyOps.add(op);
			}
		}
		return new DurableState(this.superblock, this.snapshot, entries, faultyOps);
	}

	/**
	 * The durable journal entry at {@code op}.
	 * @param op the op number
	 * @return the entry, or {@code null} when the journal has none there
	 */
	public LogEntry durableEntry(long op) {
		return this.journal.get(op);
	}

	/** The op of the durable snapshot, 0 when there is none: the journal holds nothing at or before it. */
	public long durableSnapshotOp() {
		return (this.snapshot == null) ? 0 : this.snapshot.op();
	}

	/** The durable superblock, {@code null} after a wipe. */
	@Override
	public Superblock durableSuperblock() {
		return this.superblock;
	}

	/** The number of requests not yet completed. */
	@Override
	public int pendingCount() {
		return this.pending.size();
	}

	private long completionTick() {
		long latencyTicks = 1 + this.random.nextInt(this.latencyTicksMax);
		// Requests complete in order, so none may complete before the one queued ahead of it.
		this.lastCompletionTick = Math.max(this.lastCompletionTick, this.now + latencyTicks);
		return this.lastCompletionTick;
	}

	private void enqueue(PendingRequest request) {
		if (this.completions == null) {
			throw new IllegalStateException("Replica " + this.replica + " made a storage request with no process attached");
		}
		if (this.pending.size() >= PENDING_REQUESTS_MAX) {
			throw new IllegalStateException("Replica " + this.replica + " has more than " + PENDING_REQUESTS_MAX
					+ " storage requests pending: it writes without end");
		}
		this.pending.addLast(request);
	}

	/** Where completed requests are reported: the running replica's callbacks. */
	public interface Completions {

		/**
		 * An entry write completed.
		 * @param op the entry's op
		 * @param checksum the entry's checksum
		 */
		void onEntryWritten(long op, long checksum);

		/**
		 * A superblock write completed.
		 * @param superblock the superblock written
		 */
		void onSuperblockWritten(Superblock superblock);

		/**
		 * A snapshot write completed.
		 * @param op the snapshot's op
		 */
		void onSnapshotWritten(long op);

		/**
		 * The storage stopped on an I/O error; nothing completes after this.
		 * @param cause what failed
		 */
		void onStorageFailed(Exception cause);

	}

	private enum Kind {

		WRITE_ENTRY, TRUNCATE, WRITE_SUPERBLOCK, WRITE_SNAPSHOT

	}

	private record PendingRequest(Kind kind, LogEntry entry, long op, Superblock superblock, Snapshot snapshot,
			long completionTick) {

	}

}
