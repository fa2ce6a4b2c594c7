package io.viewstamp.vsr;

/**
 * Durable storage as the replica sees it: requests only. Each request completes later with a call
 * back into the replica ({@link Replica#onEntryWritten}, {@link Replica#onSuperblockWritten}).
 *
 * <p>Requests complete in the order they were made, and a crash loses a suffix of them: if a
 * request has completed, every earlier one has too. The replica relies on that order, for example
 * a superblock naming a new log view is requested after the entries of that log.
 */
public interface Storage {

	/** Writes {@code entry} at its op, replacing whatever the journal held there. */
	void writeEntry(LogEntry entry);

	/** Discards every journal entry after {@code op}. Completes silently, in order with the writes. */
	void truncateAfter(long op);

	/** Writes the superblock. */
	void writeSuperblock(Superblock superblock);

	/**
	 * Writes {@code snapshot} atomically, then completes with {@link Replica#onSnapshotWritten}.
	 * Once it is durable the storage may discard every journal entry up to its op.
	 */
	void writeSnapshot(Snapshot snapshot);

}
