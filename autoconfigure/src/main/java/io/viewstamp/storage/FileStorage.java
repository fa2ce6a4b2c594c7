package io.viewstamp.storage;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.viewstamp.vsr.Configuration;
import io.viewstamp.vsr.DurableState;
import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.LogEntryCodec;
import io.viewstamp.vsr.Snapshot;
import io.viewstamp.vsr.Storage;
import io.viewstamp.vsr.Superblock;
import org.jspecify.annotations.Nullable;

/**
 * A replica's {@link Storage} on local files: a journal of checksummed frames in append-only
 * segments, a superblock in two copies, and snapshots written atomically, in one data directory
 * (the layout is described on {@code DataDirectory}, each format on the class that writes it).
 *
 * <p>Requests never block the caller: they go into a bounded queue (a full queue is an error, as a
 * disk that can not keep up must not make memory grow without bound). One I/O thread takes
 * everything queued at once, writes it, forces it to the disk with one {@code fsync} (group
 * commit: under load one sync covers many entries), and only then reports the completions, in
 * request order, through the executor the caller gave, which is meant to be the replica's event
 * loop. A superblock or snapshot waits for the journal writes before it and is synced before
 * anything after it is written, so whatever a crash leaves on the disk is the result of a prefix
 * of the requests, as {@link Storage} requires.
 *
 * <p>{@link #open} reads what the directory holds, cutting off a torn journal tail; its
 * {@link #durableState()} is empty for a directory with no superblock, in which case the runtime
 * either {@linkplain #format formats} it for a new cluster or has the replica recover from its
 * peers. A directory of another cluster or replica is refused with a {@link DataDirectoryException}.
 */
public final class FileStorage implements Storage, AutoCloseable {

	/** The most requests one group commit takes from the queue, so that completions flow even under a flood. */
	static final int BATCH_REQUESTS_MAX = 4096;

	/** How long {@link #close} waits for the I/O thread to finish the requests queued before it. */
	static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

	private static final System.Logger LOGGER = System.getLogger(FileStorage.class.getName());

	private final DataDirectory directory;

	private final long clusterId;

	private final int replica;

	private final int replicaCount;

	private final Disk disk;

	private final Journal journal;

	private final SuperblockFile superblockFile;

	private final SnapshotStore snapshots;

	/** {@code null} when the directory held no superblock. */
	private final @Nullable DurableState durableState;

	private final BlockingQueue<StorageRequest> queue;

	private final StorageCompletions completions;

	private final Consumer<Runnable> completionExecutor;

	/** {@code null} when the storage is stepped by the simulator instead ({@link #processQueued}). */
	private final @Nullable Thread ioThread;

	/** Makes the checks before an enqueue and the enqueue one step, against close and failure. */
	private final Object enqueueLock = new Object();

	/** Set under {@link #enqueueLock}; read by the I/O thread too, to stop once nothing is left. */
	private volatile boolean closing;

	private volatile @Nullable Exception failure;

	private final AtomicLong entriesWritten = new AtomicLong();

	private final AtomicLong writeBatches = new AtomicLong();

	private volatile long lastSnapshotOp;

	private FileStorage(Opened opened, long clusterId, int replica, int replicaCount, FileStorageOptions options,
			StorageCompletions completions, Consumer<Runnable> completionExecutor, boolean threaded) {
		this.directory = opened.directory;
		this.clusterId = clusterId;
		this.replica = replica;
		this.replicaCount = replicaCount;
		this.disk = opened.disk;
		this.journal = opened.journal;
		this.superblockFile = opened.superblockFile;
		this.snapshots = opened.snapshots;
		this.durableState = opened.durableState;
		this.lastSnapshotOp = opened.snapshots.newestOp();
		this.queue = new ArrayBlockingQueue<>(options.queuedRequestsMax());
		this.completions = completions;
		this.completionExecutor = completionExecutor;
		if (threaded) {
			this.ioThread = new Thread(this::run, "viewstamp-storage-" + replica);
			// A storage nobody closed must not keep the JVM alive; stopping mid-write is a crash it survives.
			this.ioThread.setDaemon(true);
			this.ioThread.start();
		}
		else {
			this.ioThread = null;
		}
	}

	/**
	 * Opens the data directory of replica {@code replica} of cluster {@code clusterId}, creating it
	 * when it is missing, and starts the I/O thread.
	 * @param dataDirectory the data directory ({@code replication.data-dir})
	 * @param clusterId the configured cluster id
	 * @param replica the configured index of this replica
	 * @param replicaCount the configured number of replicas
	 * @param options the storage's limits
	 * @param completions where completed requests are reported
	 * @param completionExecutor runs the completion calls, in the order given (the replica's event
	 * loop); it is called on the I/O thread and should hand the work over rather than block
	 * @return the storage; its {@link #durableState()} tells what the directory held
	 * @throws DataDirectoryException when the directory holds another replica's or cluster's data,
	 * its superblock is corrupt, another process uses it, or it can not be read
	 */
	public static FileStorage open(Path dataDirectory, long clusterId, int replica, int replicaCount,
			FileStorageOptions options, StorageCompletions completions, Consumer<Runnable> completionExecutor) {
		return open(dataDirectory, clusterId, replica, replicaCount, options, completions, completionExecutor, new Disk(),
				true);
	}

	/**
	 * Opens the data directory as {@link #open} does, on {@code disk}; without an I/O thread when
	 * {@code threaded} is {@code false}, for the deterministic simulator, which then calls
	 * {@link #processQueued} itself when its virtual disk is due.
	 */
	static FileStorage open(Path dataDirectory, long clusterId, int replica, int replicaCount, FileStorageOptions options,
			StorageCompletions completions, Consumer<Runnable> completionExecutor, Disk disk, boolean threaded) {
		checkIdentity(replica, replicaCount);
		DataDirectory directory = DataDirectory.lock(dataDirectory, disk);
		try {
			Opened opened = Opened.read(directory, disk, clusterId, replica, replicaCount, options);
			return new FileStorage(opened, clusterId, replica, replicaCount, options, completions, completionExecutor,
					threaded);
		}
		catch (IOException ex) {
			directory.close();
			throw new DataDirectoryException(directory.root, "Cannot read data directory " + directory.root + ": " + ex
					+ ". Check the disk and the permissions of the directory.", ex);
		}
		catch (RuntimeException ex) {
			directory.close();
			throw ex;
		}
	}

	/**
	 * Formats {@code dataDirectory} for replica {@code replica} of a new cluster: a superblock of
	 * view 0, an empty journal, no snapshot. Only for a directory that holds no superblock.
	 * @param dataDirectory the data directory, created when missing
	 * @param clusterId the new cluster's id
	 * @param replica this replica's index
	 * @param replicaCount the number of replicas
	 * @throws DataDirectoryException when the directory already holds a superblock, or can not be written
	 */
	public static void format(Path dataDirectory, long clusterId, int replica, int replicaCount) {
		checkIdentity(replica, replicaCount);
		Disk disk = new Disk();
		try (DataDirectory directory = DataDirectory.lock(dataDirectory, disk)) {
			try {
				SuperblockFile.deleteLeftovers(directory.superblock);
				SuperblockFile.Stored stored = SuperblockFile.read(directory.superblock, disk);
				if (stored != null) {
					Superblock existing = stored.superblock();
					throw new DataDirectoryException(directory.root, "Data directory " + directory.root
							+ " already holds the data of " + describe(existing.clusterId(), existing.replica(),
									existing.configuration().size())
							+ ", so it is not formatted again. Open it instead, or delete it first if that data is not needed.");
				}
				Opened.deleteUntrusted(directory, disk);
				SuperblockFile.absent(directory.superblock, disk)
					.write(DurableState.formatted(clusterId, replica, replicaCount).superblock());
			}
			catch (IOException ex) {
				throw new DataDirectoryException(directory.root, "Cannot format data directory " + directory.root + ": " + ex
						+ ". Check the disk and the permissions of the directory.", ex);
			}
		}
	}

	/**
	 * Whether {@code dataDirectory} holds a superblock, that is, was formatted or has run a replica
	 * that finished recovering. Reads nothing but the directory's listing.
	 * @param dataDirectory the data directory, which may be missing
	 * @return {@code true} when it holds a superblock
	 */
	public static boolean holdsSuperblock(Path dataDirectory) {
		return Files.exists(dataDirectory.resolve(DataDirectory.SUPERBLOCK_FILE));
	}

	/**
	 * What the data directory held when it was opened: the superblock, the newest intact snapshot,
	 * the intact journal entries after it and the ops of corrupt ones; empty when the directory held
	 * no superblock (it was empty, missing, or only a recovery that never finished had written to it).
	 */
	public Optional<DurableState> durableState() {
		return Optional.ofNullable(this.durableState);
	}

	/** The counters since this storage was opened, and the journal's extent. */
	public StorageStatistics statistics() {
		return new StorageStatistics(this.entriesWritten.get(), this.disk.syncs(), this.writeBatches.get(),
				this.disk.bytesWritten(), this.journal.firstOp(), this.journal.lastOp(), this.journal.sizeBytes(),
				this.lastSnapshotOp);
	}

	/** The data directory, as an absolute path. */
	public Path dataDirectory() {
		return this.directory.root;
	}

	@Override
	public void writeEntry(LogEntry entry) {
		// Checked here, on the caller's thread, so an entry the journal can not hold fails its caller
		// instead of stopping the storage.
		LogEntryCodec.encodedSizeBytes(entry);
		enqueue(new StorageRequest.WriteEntry(entry));
	}

	@Override
	public void truncateAfter(long op) {
		if (op < 0) {
			throw new IllegalArgumentException("Cannot truncate the journal after op " + op + ": ops start at 1");
		}
		enqueue(new StorageRequest.TruncateAfter(op));
	}

	@Override
	public void writeSuperblock(Superblock superblock) {
		// The configuration may be another than the one formatted: a reconfiguration changes it.
		if (superblock.clusterId() != this.clusterId || superblock.replica() != this.replica) {
			throw new IllegalArgumentException("Superblock of " + describe(superblock.clusterId(), superblock.replica(),
					superblock.configuration().size()) + " can not be written to the data directory " + this.directory.root
					+ " of " + describe(this.clusterId, this.replica, this.replicaCount));
		}
		enqueue(new StorageRequest.WriteSuperblock(superblock));
	}

	@Override
	public void writeSnapshot(Snapshot snapshot) {
		SnapshotFormat.checkSize(snapshot);
		enqueue(new StorageRequest.WriteSnapshot(snapshot));
	}

	/**
	 * Finishes the requests queued so far, reports their completions, stops the I/O thread and
	 * unlocks the data directory. Requests made after this are refused. Called from a completion
	 * (on the I/O thread) it only asks the thread to stop after the current batch.
	 * @throws IllegalStateException when the I/O thread does not finish within {@link #CLOSE_TIMEOUT}
	 */
	@Override
	public void close() {
		synchronized (this.enqueueLock) {
			if (this.closing) {
				return;
			}
			this.closing = true;
		}
		if (this.ioThread == null) {
			// Stepped: whatever is still queued is written now, as the thread would before it stops.
			try {
				processQueued();
			}
			finally {
				closeFiles();
			}
			return;
		}
		if (Thread.currentThread() == this.ioThread) {
			this.queue.offer(new StorageRequest.Close());
			return;
		}
		try {
			if (this.ioThread.isAlive()) {
				// The queue has room once the thread drains it; a dead thread drains nothing, hence the bound.
				this.queue.offer(new StorageRequest.Close(), CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				this.ioThread.join(CLOSE_TIMEOUT.toMillis());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.ioThread.isAlive()) {
			throw new IllegalStateException("The storage of " + this.directory.root + " did not finish its queued writes within "
					+ CLOSE_TIMEOUT.toSeconds() + " s; the disk may be hanging");
		}
	}

	private void enqueue(StorageRequest request) {
		synchronized (this.enqueueLock) {
			if (this.failure != null) {
				throw new IllegalStateException("The storage of " + this.directory.root
						+ " has failed and takes no more requests; restart the replica from its data directory. Cause: "
						+ this.failure, this.failure);
			}
			if (this.closing) {
				throw new IllegalStateException("The storage of " + this.directory.root + " is closed");
			}
			if (!this.queue.offer(request)) {
				throw new IllegalStateException("The storage of " + this.directory.root + " already has "
						+ this.queue.size() + " requests waiting for the disk (FileStorageOptions.queuedRequestsMax): the disk "
						+ "does not keep up with the replica. Use a faster disk, or find what else is writing to it.");
			}
		}
	}

	/** The I/O thread: group commits until closed or failed. */
	private void run() {
		List<StorageRequest> batch = new ArrayList<>();
		try {
			boolean running = true;
			while (running) {
				batch.add(this.queue.take());
				this.queue.drainTo(batch, BATCH_REQUESTS_MAX - 1);
				// Once closing, no request can join the queue: an empty queue is the end, marker or not.
				running = process(batch) && !(this.closing && this.queue.isEmpty());
				batch.clear();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			fail(new IllegalStateException("The storage's I/O thread was interrupted", ex));
		}
		catch (IOException | RuntimeException ex) {
			fail(ex);
		}
		catch (Error ex) {
			fail(new IllegalStateException("The storage's I/O thread died: " + ex, ex));
			throw ex;
		}
		finally {
			closeFiles();
		}
	}

	/**
	 * Without an I/O thread: writes, syncs and reports everything queued so far as one group commit,
	 * as the thread does each time it wakes. A failure stops the storage as it stops the thread.
	 * @return the number of requests processed
	 */
	int processQueued() {
		if (this.ioThread != null) {
			throw new IllegalStateException("The storage of " + this.directory.root + " has its own I/O thread");
		}
		if (this.failure != null || this.queue.isEmpty()) {
			return 0;
		}
		List<StorageRequest> batch = new ArrayList<>(this.queue.size());
		this.queue.drainTo(batch, BATCH_REQUESTS_MAX);
		try {
			process(batch);
		}
		catch (IOException | RuntimeException ex) {
			fail(ex);
		}
		return batch.size();
	}

	/** The number of requests waiting for the disk. */
	int queuedCount() {
		return this.queue.size();
	}

	/**
	 * Writes one batch and reports it. Journal appends collect in the journal; a superblock or a
	 * snapshot first makes the journal before it durable and is durable itself before the next
	 * request is written. One final sync covers the rest.
	 * @return whether the thread goes on
	 */
	private boolean process(List<StorageRequest> batch) throws IOException {
		List<Runnable> done = new ArrayList<>(batch.size());
		boolean running = true;
		int entries = 0;
		for (int index = 0; index < batch.size(); index++) {
			StorageRequest request = batch.get(index);
			if (request instanceof StorageRequest.WriteEntry write) {
				LogEntry entry = write.entry();
				this.journal.appendEntry(entry);
				entries++;
				done.add(() -> this.completions.onEntryWritten(entry.op(), entry.checksum()));
			}
			else if (request instanceof StorageRequest.TruncateAfter truncate) {
				this.journal.appendTruncate(truncate.op());
			}
			else if (request instanceof StorageRequest.WriteSuperblock write) {
				this.journal.sync();
				// A superblock followed at once by another is replaced by it before anyone relies on it.
				boolean replacedInBatch = index + 1 < batch.size()
						&& batch.get(index + 1) instanceof StorageRequest.WriteSuperblock;
				if (!replacedInBatch) {
					this.superblockFile.write(write.superblock());
				}
				done.add(() -> this.completions.onSuperblockWritten(write.superblock()));
			}
			else if (request instanceof StorageRequest.WriteSnapshot write) {
				this.journal.sync();
				if (this.snapshots.write(write.snapshot())) {
					this.lastSnapshotOp = write.snapshot().op();
				}
				// Only now that the snapshot is durable may the journal let go of what it covers.
				this.journal.deleteThrough(this.snapshots.newestOp());
				done.add(() -> this.completions.onSnapshotWritten(write.snapshot().op()));
			}
			else if (request instanceof StorageRequest.Close) {
				running = false;
			}
		}
		this.journal.sync();
		this.entriesWritten.addAndGet(entries);
		this.writeBatches.incrementAndGet();
		if (!done.isEmpty()) {
			this.completionExecutor.accept(() -> {
				for (Runnable completion : done) {
					completion.run();
				}
			});
		}
		return running;
	}

	private void fail(Exception cause) {
		synchronized (this.enqueueLock) {
			this.failure = cause;
		}
		LOGGER.log(Level.ERROR, "The storage of " + this.directory.root + " stopped; the replica must stop too", cause);
		try {
			this.completionExecutor.accept(() -> this.completions.onStorageFailed(cause));
		}
		catch (RuntimeException ex) {
			LOGGER.log(Level.ERROR, "Could not report the failure of the storage of " + this.directory.root, ex);
		}
	}

	/** Closes the files and, last, unlocks the directory: the I/O thread writes nothing more. */
	private void closeFiles() {
		try {
			this.journal.close();
			this.superblockFile.close();
		}
		catch (IOException ex) {
			LOGGER.log(Level.WARNING, "Could not close the files of " + this.directory.root, ex);
		}
		finally {
			this.directory.close();
		}
	}

	private static void checkIdentity(int replica, int replicaCount) {
		if (replicaCount < 1 || replica < 0 || replica >= replicaCount) {
			throw new IllegalArgumentException(
					"Replica index " + replica + " is outside 0.." + (replicaCount - 1) + " for " + replicaCount + " replicas");
		}
	}

	static String describe(long clusterId, int replica, int replicaCount) {
		return "replica " + replica + " (of " + replicaCount + " replicas) of cluster " + clusterId;
	}

	/** What {@link #open} read from the directory, and the objects that go on writing to it. */
	private static final class Opened {

		final DataDirectory directory;

		final Disk disk;

		final Journal journal;

		final SuperblockFile superblockFile;

		final SnapshotStore snapshots;

		/** {@code null} when the directory held no superblock. */
		final @Nullable DurableState durableState;

		private Opened(DataDirectory directory, Disk disk, Journal journal, SuperblockFile superblockFile,
				SnapshotStore snapshots, @Nullable DurableState durableState) {
			this.directory = directory;
			this.disk = disk;
			this.journal = journal;
			this.superblockFile = superblockFile;
			this.snapshots = snapshots;
			this.durableState = durableState;
		}

		static Opened read(DataDirectory directory, Disk disk, long clusterId, int replica, int replicaCount,
				FileStorageOptions options) throws IOException {
			SuperblockFile.deleteLeftovers(directory.superblock);
			SuperblockFile.Stored stored = SuperblockFile.read(directory.superblock, disk);
			if (stored == null) {
				deleteUntrusted(directory, disk);
				SuperblockFile superblockFile = SuperblockFile.absent(directory.superblock, disk);
				SnapshotStore snapshots = SnapshotStore.open(directory.snapshots, disk).store();
				Journal journal = new Journal(directory.journal, clusterId, options.segmentSizeBytes(), disk,
						JournalRecovery.Result.EMPTY, 0, 0);
				return new Opened(directory, disk, journal, superblockFile, snapshots, null);
			}
			refuseOtherReplica(directory, stored.superblock(), clusterId, replica, replicaCount);
			SnapshotStore.Opened snapshots = SnapshotStore.open(directory.snapshots, disk);
			long snapshotOp = snapshots.store().newestOp();
			JournalRecovery.Result recovered = JournalRecovery.recover(directory.journal, clusterId, snapshotOp, disk);
			long firstOp = firstOp(recovered);
			long lastOp = lastOp(recovered);
			Journal journal = new Journal(directory.journal, clusterId, options.segmentSizeBytes(), disk, recovered,
					firstOp, lastOp);
			DurableState durableState = new DurableState(stored.superblock(), snapshots.snapshot(), recovered.entries(),
					recovered.faultyOps());
			return new Opened(directory, disk, journal, stored.file(), snapshots.store(), durableState);
		}

		/**
		 * Without a superblock nothing in the directory can be trusted: journal and snapshots can only
		 * be those of a recovery that never finished, and the next one starts over.
		 */
		static void deleteUntrusted(DataDirectory directory, Disk disk) throws IOException {
			boolean any = !DataDirectory.list(directory.journal, Segment.PREFIX, "").isEmpty()
					|| !DataDirectory.list(directory.snapshots, SnapshotStore.PREFIX, "").isEmpty();
			if (!any) {
				return;
			}
			LOGGER.log(Level.WARNING, "Data directory " + directory.root + " has journal or snapshot files but no superblock: "
					+ "they are left from a recovery that did not finish, and are deleted");
			JournalRecovery.deleteAll(directory.journal);
			SnapshotStore.deleteAll(directory.snapshots);
			disk.forceDirectory(directory.journal);
			disk.forceDirectory(directory.snapshots);
		}

		private static void refuseOtherReplica(DataDirectory directory, Superblock superblock, long clusterId, int replica,
				int replicaCount) {
			// The committed configuration is the truth, whatever the peer list says. A change of members
			// records every member's address; where it has none (epoch 0), the peer list must give one.
			if (superblock.clusterId() == clusterId && superblock.replica() == replica) {
				Configuration members = superblock.configuration();
				for (int member : members.memberIndexes()) {
					if (member >= replicaCount && members.address(member).isEmpty()) {
						throw new DataDirectoryException(directory.root, "The committed configuration in " + directory.root
								+ " (epoch " + members.epoch() + ", members " + members.memberList() + ") has replica "
								+ member + ", but replication.peers lists only replicas 0.." + (replicaCount - 1)
								+ " and the configuration records no address for it: list the address of every member "
								+ "(and keep each replica's position), the same on every replica");
					}
				}
				return;
			}
			throw new DataDirectoryException(directory.root, "Data directory " + directory.root + " holds the data of "
					+ describe(superblock.clusterId(), superblock.replica(), superblock.configuration().size())
					+ ", but this application is configured as " + describe(clusterId, replica, replicaCount)
					+ " (replication.cluster-id, replication.replica, replication.peers). Point replication.data-dir at this "
					+ "replica's own directory, or, if the data in " + directory.root
					+ " is not needed, delete that directory: the replica then recovers its state from its peers.");
		}

		private static long firstOp(JournalRecovery.Result journal) {
			long entry = journal.entries().isEmpty() ? Long.MAX_VALUE : journal.entries().get(0).op();
			long faulty = journal.faultyOps().isEmpty() ? Long.MAX_VALUE : journal.faultyOps().get(0);
			long first = Math.min(entry, faulty);
			return (first == Long.MAX_VALUE) ? 0 : first;
		}

		private static long lastOp(JournalRecovery.Result journal) {
			long entry = journal.entries().isEmpty() ? 0 : journal.entries().get(journal.entries().size() - 1).op();
			long faulty = journal.faultyOps().isEmpty() ? 0 : journal.faultyOps().get(journal.faultyOps().size() - 1);
			return Math.max(entry, faulty);
		}

	}

}
