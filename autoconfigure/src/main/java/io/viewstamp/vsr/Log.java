package io.viewstamp.vsr;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A replica's in-memory log: entries {@link #baseOp()}+1..{@link #op()}, an intact hash chain
 * from the base. The base is the root of the cluster's chain (op 0) or the op of the last
 * snapshot, whose entries were compacted away; every op at or below it is committed and applied.
 *
 * <p>The log also remembers which entries the journal holds durably, so the replica knows the
 * highest op up to which everything is durable ({@link #durableOp()}): the only op a replica may
 * vouch for. A base installed from a peer's snapshot is not durable until that snapshot is written.
 */
final class Log {

	private long baseOp;

	private long baseChecksum;

	private long baseTimestamp;

	private boolean baseDurable = true;

	private final List<LogEntry> entries = new ArrayList<>();

	/** The checksum the journal durably holds at each op (index op - baseOp - 1), or 0 when unknown. */
	private final List<Long> durableChecksums = new ArrayList<>();

	private long durableOp;

	/**
	 * Off only where the tests break the rule ({@link ProtocolRules#checksHashChains()}), so that the
	 * simulator must see it.
	 */
	private final boolean chainChecked;

	Log(long clusterId) {
		this(clusterId, true);
	}

	Log(long clusterId, boolean chainChecked) {
		this.baseChecksum = Checksums.root(clusterId);
		this.chainChecked = chainChecked;
	}

	long op() {
		return this.baseOp + this.entries.size();
	}

	/** The op up to which the log was compacted into a snapshot (0 when it never was). */
	long baseOp() {
		return this.baseOp;
	}

	/** The entry at {@code op}, or {@code null} when the log is shorter or was compacted past it. */
	@Nullable LogEntry entry(long op) {
		return (op > this.baseOp && op <= op()) ? this.entries.get(index(op)) : null;
	}

	/** The checksum at {@code op}, which must be at or above the base and at or below the head. */
	long checksum(long op) {
		Invariants.check(op >= this.baseOp && op <= op(), "no checksum at op %d (log holds %d..%d)", op, this.baseOp,
				op());
		return (op == this.baseOp) ? this.baseChecksum : this.entries.get(index(op)).checksum();
	}

	/** Whether the log holds {@code checksum} at {@code op} (the base included). */
	boolean contains(long op, long checksum) {
		return op >= this.baseOp && op <= op() && checksum(op) == checksum;
	}

	long headChecksum() {
		return checksum(op());
	}

	long headTimestamp() {
		return this.entries.isEmpty() ? this.baseTimestamp : this.entries.get(this.entries.size() - 1).timestamp();
	}

	void append(LogEntry entry) {
		Invariants.check(entry.op() == op() + 1, "append of op %d to a log whose head is %d", entry.op(), op());
		Invariants.check(!this.chainChecked || entry.parent() == headChecksum(), "op %d does not chain to the head of the log", entry.op());
		Invariants.check(entry.timestamp() > headTimestamp(), "op %d has a timestamp that does not advance",
				entry.op());
		this.entries.add(entry);
		this.durableChecksums.add(0L);
	}

	/** Discards every entry after {@code op}; their durability is forgotten too. */
	void truncateAfter(long op) {
		Invariants.check(op >= this.baseOp && op <= op(), "truncation to op %d outside the log %d..%d", op,
				this.baseOp, op());
		while (op() > op) {
			this.entries.remove(this.entries.size() - 1);
			this.durableChecksums.remove(this.durableChecksums.size() - 1);
		}
		this.durableOp = Math.min(this.durableOp, op);
	}

	/** Drops the entries up to {@code op}, which a durable snapshot now covers. */
	void compactTo(long op) {
		Invariants.check(op >= this.baseOp && op <= op(), "compaction to op %d outside the log %d..%d", op,
				this.baseOp, op());
		LogEntry newBase = (op == this.baseOp) ? null : entry(op);
		if (newBase == null) {
			return;
		}
		int dropped = (int) (op - this.baseOp);
		this.entries.subList(0, dropped).clear();
		this.durableChecksums.subList(0, dropped).clear();
		this.baseOp = op;
		this.baseChecksum = newBase.checksum();
		this.baseTimestamp = newBase.timestamp();
		this.durableOp = Math.max(this.durableOp, op);
	}

	/**
	 * Makes {@code snapshot} the new base. Entries above it stay only if they chain to it; the
	 * base counts as durable once {@code durable} is true (see {@link #markBaseDurable()}).
	 * @return whether entries above the snapshot were dropped because they did not chain to it
	 */
	boolean resetTo(Snapshot snapshot, boolean durable) {
		LogEntry next = entry(snapshot.op() + 1);
		boolean keepsSuffix = next != null && next.parent() == snapshot.checksum();
		List<LogEntry> suffix = keepsSuffix ? new ArrayList<>(this.entries.subList(index(snapshot.op() + 1), this.entries.size()))
				: List.of();
		List<Long> suffixDurable = keepsSuffix
				? new ArrayList<>(this.durableChecksums.subList(index(snapshot.op() + 1), this.durableChecksums.size()))
				: List.of();
		boolean dropped = !keepsSuffix && op() > snapshot.op();
		this.entries.clear();
		this.durableChecksums.clear();
		this.entries.addAll(suffix);
		this.durableChecksums.addAll(suffixDurable);
		this.baseOp = snapshot.op();
		this.baseChecksum = snapshot.checksum();
		this.baseTimestamp = snapshot.timestamp();
		this.baseDurable = durable;
		this.durableOp = this.baseOp;
		advanceDurableOp();
		return dropped;
	}

	boolean isBaseDurable() {
		return this.baseDurable;
	}

	void markBaseDurable() {
		this.baseDurable = true;
	}

	/**
	 * Records that the journal completed a write of {@code checksum} at {@code op}. A completion for
	 * an entry the log no longer holds (it was truncated and replaced) is ignored: thanks to the
	 * hash chain, a different checksum at that op means a different history from there on.
	 */
	void markDurable(long op, long checksum) {
		LogEntry entry = entry(op);
		if (entry == null || entry.checksum() != checksum) {
			return;
		}
		this.durableChecksums.set(index(op), checksum);
		advanceDurableOp();
	}

	private void advanceDurableOp() {
		while (this.durableOp < op() && this.durableChecksums.get(index(this.durableOp + 1)) == this.entries
			.get(index(this.durableOp + 1))
			.checksum()) {
			this.durableOp++;
		}
	}

	/** The highest op such that it and every op before it are durable (the base included). */
	long durableOp() {
		return this.durableOp;
	}

	/**
	 * The newest entries, in op order: at most {@code countMax}, and beyond the newest
	 * {@code countMin} (always included) only while all of them encode to at most {@code bytesMax}.
	 */
	List<LogEntry> newest(int countMax, int countMin, long bytesMax) {
		int from = this.entries.size();
		long bytes = 0;
		while (from > 0 && this.entries.size() - from < countMax) {
			long size = LogEntryCodec.encodedSizeBytes(this.entries.get(from - 1));
			if (this.entries.size() - from >= countMin && bytes + size > bytesMax) {
				break;
			}
			bytes += size;
			from--;
		}
		return List.copyOf(this.entries.subList(from, this.entries.size()));
	}

	/**
	 * Entries from {@code fromOp}, in op order, up to {@code toOp} or fewer: after the first, only
	 * while all of them encode to at most {@code bytesMax}.
	 */
	List<LogEntry> range(long fromOp, long toOp, long bytesMax) {
		List<LogEntry> range = range(fromOp, toOp);
		long bytes = 0;
		for (int count = 0; count < range.size(); count++) {
			bytes += LogEntryCodec.encodedSizeBytes(range.get(count));
			if (count > 0 && bytes > bytesMax) {
				return range.subList(0, count);
			}
		}
		return range;
	}

	/** Entries {@code fromOp..toOp} (inclusive), in op order; all must be above the base. */
	List<LogEntry> range(long fromOp, long toOp) {
		Invariants.check(fromOp > this.baseOp && toOp <= op() && fromOp <= toOp + 1,
				"range %d..%d outside the log %d..%d", fromOp, toOp, this.baseOp + 1, op());
		return List.copyOf(this.entries.subList(index(fromOp), index(toOp) + 1));
	}

	private int index(long op) {
		return (int) (op - this.baseOp - 1);
	}

}
