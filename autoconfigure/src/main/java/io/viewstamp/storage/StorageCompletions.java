package io.viewstamp.storage;

import io.viewstamp.vsr.Superblock;

/**
 * Where {@link FileStorage} reports what became durable, in the order the requests were made. The
 * runtime forwards these calls to its replica ({@code Replica.onEntryWritten} and so on); the
 * storage does not know the replica itself.
 */
public interface StorageCompletions {

	/**
	 * The entry at {@code op} is durable.
	 * @param op the entry's op
	 * @param checksum the entry's checksum
	 */
	void onEntryWritten(long op, long checksum);

	/**
	 * {@code superblock} is durable.
	 * @param superblock the superblock written
	 */
	void onSuperblockWritten(Superblock superblock);

	/**
	 * The snapshot of {@code op} is durable (or a newer one already was).
	 * @param op the snapshot's op
	 */
	void onSnapshotWritten(long op);

	/**
	 * The storage stopped on an error it can not recover from, such as a failed write or fsync
	 * (after a failed fsync the kernel may have dropped the unwritten pages, so nothing written since
	 * the last successful one can be trusted). No completion follows this call; the replica must
	 * stop and be restarted from its data directory.
	 * @param cause what failed
	 */
	void onStorageFailed(Exception cause);

}
