package io.viewstamp.test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import io.viewstamp.vsr.DurableState;
import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.Replica;
import io.viewstamp.vsr.Snapshot;
import io.viewstamp.vsr.Storage;
import io.viewstamp.vsr.Superblock;
import org.jspecify.annotations.Nullable;

/**
 * One simulated replica's disk: requests complete in the order they were made, after a latency
 * drawn from the seed, and only a completed request is durable. A crash loses the requests not yet
 * completed, which is exactly what a replica must survive: the unsynced suffix of its writes.
 */
final class MemoryDisk implements Storage {

	/** The most ticks one request takes. */
	private static final int LATENCY_TICKS_MAX = 3;

	private final SplittableRandom random;

	private final Deque<Pending> pending = new ArrayDeque<>();

	private final TreeMap<Long, LogEntry> journal = new TreeMap<>();

	private Superblock superblock;

	private @Nullable Snapshot snapshot;

	private @Nullable Replica replica;

	private long now;

	private long lastCompletionTick;

	MemoryDisk(DurableState formatted, SplittableRandom random) {
		this.superblock = formatted.superblock();
		this.random = random;
	}

	/** The replica now running on this disk, told of each completion. */
	void attach(Replica running) {
		this.replica = running;
	}

	@Override
	public void writeEntry(LogEntry entry) {
		enqueue(new Pending(entry, -1, null, null));
	}

	@Override
	public void truncateAfter(long op) {
		enqueue(new Pending(null, op, null, null));
	}

	@Override
	public void writeSuperblock(Superblock written) {
		enqueue(new Pending(null, -1, written, null));
	}

	@Override
	public void writeSnapshot(Snapshot written) {
		enqueue(new Pending(null, -1, null, written));
	}

	/** Completes, in order, every request due by {@code tick}. */
	void completeDue(long tick) {
		this.now = tick;
		while (!this.pending.isEmpty() && this.pending.peekFirst().dueTick <= tick) {
			Pending request = this.pending.pollFirst();
			Replica running = this.replica;
			if (request.entry != null) {
				this.journal.put(request.entry.op(), request.entry);
				if (running != null) {
					running.onEntryWritten(request.entry.op(), request.entry.checksum());
				}
			}
			else if (request.superblock != null) {
				this.superblock = request.superblock;
				if (running != null) {
					running.onSuperblockWritten(request.superblock);
				}
			}
			else if (request.snapshot != null) {
				// Written whole or not at all; then the journal lets go of what it covers.
				Snapshot written = request.snapshot;
				if (this.snapshot == null || written.op() > this.snapshot.op()) {
					this.snapshot = written;
					this.journal.headMap(written.op(), true).clear();
				}
				if (running != null) {
					running.onSnapshotWritten(written.op());
				}
			}
			else {
				this.journal.tailMap(request.truncateAfter, false).clear();
			}
		}
	}

	/** The process stopped: what was not completed is lost, the rest stays. */
	void crash() {
		this.pending.clear();
		this.replica = null;
		this.lastCompletionTick = this.now;
	}

	/** What a replica restarting on this disk finds: its superblock, snapshot and the journal's unbroken run. */
	DurableState durableState() {
		List<LogEntry> entries = new ArrayList<>();
		long op = (this.snapshot == null) ? 1 : this.snapshot.op() + 1;
		while (this.journal.containsKey(op)) {
			entries.add(this.journal.get(op));
			op++;
		}
		return new DurableState(this.superblock, this.snapshot, entries, List.of());
	}

	private void enqueue(Pending request) {
		long latency = 1 + this.random.nextInt(LATENCY_TICKS_MAX);
		// In order: none completes before the one made ahead of it.
		this.lastCompletionTick = Math.max(this.lastCompletionTick, this.now + latency);
		request.dueTick = this.lastCompletionTick;
		this.pending.addLast(request);
	}

	/** One request: exactly one of its parts is set ({@code truncateAfter} when none of the others is). */
	private static final class Pending {

		private final @Nullable LogEntry entry;

		private final long truncateAfter;

		private final @Nullable Superblock superblock;

		private final @Nullable Snapshot snapshot;

		private long dueTick;

		Pending(@Nullable LogEntry entry, long truncateAfter, @Nullable Superblock superblock,
				@Nullable Snapshot snapshot) {
			this.entry = entry;
			this.truncateAfter = truncateAfter;
			this.superblock = superblock;
			this.snapshot = snapshot;
		}

	}

}
