package io.viewstamp.vsr;

import java.util.ArrayList;
import java.util.List;

/**
 * A replica's in-memory log: entries 1..{@link #op()}, always an intact hash chain from
 * {@link Checksums#root}. It also remembers which entries the journal holds durably, so the
 * replica knows the highest op up to which everything is durable ({@link #durableOp()}): that is
 * the only op a replica may vouch for.
 */
final class Log {

	private final long rootChecksum;

	private final List<LogEntry> entries = new ArrayList<>();

	/** The checksum the journal durably holds at each op (index op - 1), or 0 when unknown. */
	private final List<Long> durableChecksums = new ArrayList<>();

	private long durableOp;

	Log(long clusterId) {
		this.rootChecksum = Checksums.root(clusterId);
	}

	long op() {
		return this.entries.size();
	}

	long rootChecksum() {
		return this.rootChecksum;
	}

	/** The entry at {@code op}, or {@code null} when the log is shorter. */
	LogEntry entry(long op) {
		Invariants.check(op >= 1, "op numbers start at 1, got %d", op);
		return (op <= op()) ? this.entries.get((int) (op - 1)) : null;
	}

	/** The checksum at {@code op}: the root for op 0; undefined (and checked) beyond the head. */
	long checksum(long op) {
		Invariants.check(op >= 0 && op <= op(), "no entry at op %d (log head is %d)", op, op());
		return (op == 0) ? this.rootChecksum : entry(op).checksum();
	}

	/** Whether the log holds an entry at {@code op} with {@code checksum} (op 0 is the root). */
	boolean contains(long op, long checksum) {
		return op >= 0 && op <= op() && checksum(op) == checksum;
	}

	long headChecksum() {
		return checksum(op());
	}

	long headTimestamp() {
		return (op() == 0) ? 0 : entry(op()).timestamp();
	}

	void append(LogEntry entry) {
		Invariants.check(entry.op() == op() + 1, "append of op %d to a log whose head is %d", entry.op(), op());
		Invariants.check(entry.parent() == headChecksum(), "op %d does not chain to the head of the log", entry.op());
		Invariants.check(entry.timestamp() > headTimestamp(), "op %d has a timestamp that does not advance",
				entry.op());
		this.entries.add(entry);
		this.durableChecksums.add(0L);
	}

	/** Discards every entry after {@code op}; their durability is forgotten too. */
	void truncateAfter(long op) {
		Invariants.check(op >= 0 && op <= op(), "truncation to op %d outside the log 0..%d", op, op());
		while (op() > op) {
			this.entries.remove(this.entries.size() - 1);
			this.durableChecksums.remove(this.durableChecksums.size() - 1);
		}
		this.durableOp = Math.min(this.durableOp, op);
	}

	/**
	 * Records that the journal completed a write of {@code checksum} at {@code op}. A completion for
	 * an entry the log no longer holds (it was truncated and replaced) is ignored: thanks to the
	 * hash chain, a different checksum at that op means a different history from there on.
	 */
	void markDurable(long op, long checksum) {
		if (op < 1 || op > op() || entry(op).checksum() != checksum) {
			return;
		}
		this.durableChecksums.set((int) (op - 1), checksum);
		while (this.durableOp < op() && this.durableChecksums.get((int) this.durableOp) == entry(this.durableOp + 1)
			.checksum()) {
			this.durableOp++;
		}
	}

	/** The highest op such that it and every op before it are durable in the journal. */
	long durableOp() {
		return this.durableOp;
	}

	/** The newest entries, at most {@code countMax}, in op order. */
	List<LogEntry> newest(int countMax) {
		int from = Math.max(0, this.entries.size() - countMax);
		return List.copyOf(this.entries.subList(from, this.entries.size()));
	}

	/** Entries {@code fromOp..toOp} (inclusive), in op order. */
	List<LogEntry> range(long fromOp, long toOp) {
		Invariants.check(fromOp >= 1 && toOp <= op() && fromOp <= toOp + 1, "range %d..%d outside the log 1..%d",
				fromOp, toOp, op());
		return List.copyOf(this.entries.subList((int) (fromOp - 1), (int) toOp));
	}

}
