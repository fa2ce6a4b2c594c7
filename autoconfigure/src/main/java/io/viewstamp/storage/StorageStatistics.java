package io.viewstamp.storage;

/**
 * Counters of a {@link FileStorage} since it was opened, and the journal's extent, for monitoring.
 *
 * @param entriesWritten journal entries written and synced
 * @param fsyncs file and directory syncs ({@code FileChannel.force}) of every kind; with group
 * commit far fewer than {@code entriesWritten} under load
 * @param writeBatches groups of requests written together and covered by one sync of the journal
 * @param bytesWritten bytes written to the journal, superblock and snapshot files
 * @param journalFirstOp the lowest op the journal holds after the last snapshot, 0 when it holds none
 * @param journalLastOp the highest op the journal holds after the last snapshot, 0 when it holds none
 * @param journalSizeBytes the bytes of the journal's files now: what the last snapshot has not compacted away
 * @param lastSnapshotOp the op of the newest durable snapshot, 0 when there is none
 */
public record StorageStatistics(long entriesWritten, long fsyncs, long writeBatches, long bytesWritten,
		long journalFirstOp, long journalLastOp, long journalSizeBytes, long lastSnapshotOp) {

}
