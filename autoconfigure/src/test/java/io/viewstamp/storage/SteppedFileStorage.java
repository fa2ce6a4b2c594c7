package io.viewstamp.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Optional;

import io.viewstamp.vsr.DurableState;
import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.Snapshot;
import io.viewstamp.vsr.Storage;
import io.viewstamp.vsr.Superblock;

/**
 * The real {@link FileStorage} without its I/O thread, for the deterministic simulator: requests
 * queue as they do in production, and each {@link #groupCommit()} writes, syncs and reports all of
 * them as one wake-up of the I/O thread would, on whatever file system the path belongs to (the
 * simulator's disk). Nothing of the storage's logic is copied; only the thread is left out.
 */
public final class SteppedFileStorage implements Storage {

	private final FileStorage storage;

	private SteppedFileStorage(FileStorage storage) {
		this.storage = storage;
	}

	/**
	 * Opens a data directory, running the storage's whole recovery of what it holds.
	 * @param dataDirectory the directory
	 * @param clusterId the cluster id
	 * @param replica the replica's index
	 * @param replicaCount the number of replicas
	 * @param segmentSizeBytes the journal's segment size: small in the simulator, so segments roll
	 * over and are deleted behind snapshots
	 * @param completions where group commits report, called within {@link #groupCommit()}
	 * @param forceSkipped a canary: the disk skips every {@code fsync} of a file (not of a
	 * directory) and reports it done, as a forgotten {@code force} would
	 * @return the storage
	 */
	public static SteppedFileStorage open(Path dataDirectory, long clusterId, int replica, int replicaCount,
			long segmentSizeBytes, StorageCompletions completions, boolean forceSkipped) {
		Disk disk = forceSkipped ? new ForceSkippingDisk() : new Disk();
		FileStorageOptions options = FileStorageOptions.defaults().withSegmentSizeBytes(segmentSizeBytes);
		return new SteppedFileStorage(
				FileStorage.open(dataDirectory, clusterId, replica, replicaCount, options, completions, Runnable::run, disk,
						false));
	}

	/** What the directory held when it was opened, empty without a superblock. */
	public Optional<DurableState> durableState() {
		return this.storage.durableState();
	}

	/**
	 * Writes, syncs and reports every request queued so far, as the I/O thread does on each
	 * wake-up. An I/O error stops the storage and is reported to the completions.
	 * @return the number of requests written
	 */
	public int groupCommit() {
		return this.storage.processQueued();
	}

	/** The number of requests waiting for the next group commit. */
	public int queuedCount() {
		return this.storage.queuedCount();
	}

	@Override
	public void writeEntry(LogEntry entry) {
		this.storage.writeEntry(entry);
	}

	@Override
	public void truncateAfter(long op) {
		this.storage.truncateAfter(op);
	}

	@Override
	public void writeSuperblock(Superblock superblock) {
		this.storage.writeSuperblock(superblock);
	}

	@Override
	public void writeSnapshot(Snapshot snapshot) {
		this.storage.writeSnapshot(snapshot);
	}

	/** A disk that forgets to force files: what a skipped {@code fsync} in the storage code does. */
	private static final class ForceSkippingDisk extends Disk {

		@Override
		void force(FileChannel channel) throws IOException {
			// Skipped: the data stays in the page cache, and the completion is reported all the same.
		}

	}

}
