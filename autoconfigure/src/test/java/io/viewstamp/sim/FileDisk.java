package io.viewstamp.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.stream.Stream;

import io.viewstamp.sim.disk.SimFileSystem;
import io.viewstamp.sim.disk.SimulatedPowerLoss;
import io.viewstamp.storage.DataDirectoryException;
import io.viewstamp.storage.FileStorage;
import io.viewstamp.storage.StorageCompletions;
import io.viewstamp.storage.SteppedFileStorage;
import io.viewstamp.vsr.DurableState;
import io.viewstamp.vsr.Storage;
import io.viewstamp.vsr.Superblock;

/**
 * A host whose replica runs on the real storage: {@code FileStorage}'s journal, superblock and
 * snapshots, its recovery on open, and its group commits, all on a {@link SimFileSystem} that keeps
 * unsynced writes apart. A group commit runs when the disk is due, after a random latency, as one
 * wake-up of the storage's I/O thread; a crash loses, tears or reorders whatever was not synced,
 * sector by sector, and a power loss may strike between any two writes or syncs of a group commit.
 * So a {@code force} the storage forgot, or a completion reported before its sync, loses an
 * acknowledged entry on a crash, and the simulator's checkers see it.
 */
final class FileDisk implements HostDisk {

	/** Where the data directory lives on the host's file system. */
	private static final String DATA_DIRECTORY = "/var/lib/viewstamp";

	/** The superblock file and the size of each of its copies, as {@code SuperblockFile} lays it out. */
	private static final String SUPERBLOCK_FILE = "superblock";

	private static final String JOURNAL_DIRECTORY = "journal";

	private static final String SNAPSHOTS_DIRECTORY = "snapshots";

	private static final int SUPERBLOCK_COPY_BYTES = 4096;

	/** The bytes of a superblock copy that its checksum covers, and the checksum. */
	private static final int SUPERBLOCK_RECORD_BYTES = 60;

	/** The most writes and syncs a group commit makes before a power loss may strike. */
	private static final int POWER_LOSS_OPERATIONS_MAX = 24;

	/**
	 * The storage's loggers (its {@code System.Logger}s go to java.util.logging), held so that their
	 * filter stays. The storage rightly warns of every torn tail it cuts and every snapshot it drops
	 * after a crash; in the simulator that is thousands of lines a seed, so what it logs on a
	 * simulator's thread, within a call of this class, is dropped. Elsewhere it logs as ever.
	 */
	private static final List<Logger> STORAGE_LOGGERS = quietWhileSimulating("io.viewstamp.storage.FileStorage",
			"io.viewstamp.storage.JournalRecovery", "io.viewstamp.storage.SnapshotStore");

	private static final ThreadLocal<Boolean> SIMULATING = ThreadLocal.withInitial(() -> false);

	private final int replica;

	private final long clusterId;

	/** Every host's index may become a member: the simulated peer list has them all. */
	private final int hostCount;

	private final SimDisks disks;

	private final int latencyTicksMax;

	private final SplittableRandom random;

	private SimFileSystem fileSystem;

	private SteppedFileStorage storage;

	/** The running process's completions; a crash silences them, as the process is gone. */
	private Completions completions;

	private Superblock durableSuperblock;

	/** A copy of the superblock was corrupted and no superblock write has replaced it yet. */
	private boolean superblockCopyCorrupt;

	/**
	 * The op of the newest snapshot, corrupted and not yet superseded by a newer durable one, or 0.
	 * The storage falls back to the snapshot before it, and the journal no longer reaches back to
	 * it: the replica lacks ops it once held until it repairs them, so it counts as damaged.
	 */
	private long corruptSnapshotOp;

	/** The file whose next read fails, until a process opened the disk; one at a time. */
	private Path failingRead;

	private long now;

	/** When the next group commit runs, -1 while nothing waits for one. */
	private long groupCommitTick = -1;

	FileDisk(int replica, long clusterId, int replicaCount, int hostCount, SimDisks disks, int latencyTicksMax,
			SplittableRandom random) {
		this.replica = replica;
		this.clusterId = clusterId;
		this.hostCount = hostCount;
		this.disks = disks;
		this.latencyTicksMax = latencyTicksMax;
		this.random = random;
		this.fileSystem = SimFileSystem.create("replica-" + replica);
		FileStorage.format(dataDirectory(), clusterId, replica, replicaCount);
		this.durableSuperblock = DurableState.formatted(clusterId, replica, replicaCount).superblock();
	}

	@Override
	public Storage open(SimStorage.Completions completions) {
		this.completions = new Completions(completions);
		try {
			this.storage = quietly(() -> SteppedFileStorage.open(dataDirectory(), this.clusterId, this.replica,
					this.hostCount, this.disks.segmentSizeBytes(), this.completions, this.disks.forceSkipped()));
		}
		catch (DataDirectoryException ex) {
			if (isSimulatedReadFailure(ex)) {
				this.completions = null;
				throw new Unavailable("replica " + this.replica + " could not read its data directory: " + ex.getMessage(), ex);
			}
			throw ex;
		}
		if (this.failingRead != null) {
			// Opened: the failing read happened, or the storage did not need that file this time.
			this.fileSystem.failReads(this.failingRead, 0);
			this.failingRead = null;
		}
		this.durableSuperblock = this.storage.durableState().map(DurableState::superblock).orElse(null);
		this.groupCommitTick = -1;
		return this.storage;
	}

	@Override
	public boolean hasSuperblock() {
		return this.durableSuperblock != null;
	}

	@Override
	public DurableState durableState() {
		return this.storage.durableState()
			.orElseThrow(() -> new IllegalStateException("Replica " + this.replica + "'s data directory holds no superblock"));
	}

	@Override
	public Superblock durableSuperblock() {
		return this.durableSuperblock;
	}

	@Override
	public void advanceTo(long now) {
		this.now = now;
	}

	@Override
	public boolean completeDue(long now, boolean chaos) {
		this.now = now;
		if (this.storage == null || this.storage.queuedCount() == 0) {
			return false;
		}
		if (this.groupCommitTick < 0) {
			// The I/O thread wakes for the first request; the disk takes its time.
			this.groupCommitTick = now + this.random.nextInt(this.latencyTicksMax);
		}
		if (now < this.groupCommitTick) {
			return false;
		}
		this.groupCommitTick = -1;
		boolean powerLoss = chaos && this.random.nextDouble() < this.disks.powerLossInWriteProbability();
		if (powerLoss) {
			this.fileSystem.powerLossAfter(this.random.nextInt(POWER_LOSS_OPERATIONS_MAX));
		}
		try {
			SteppedFileStorage committing = this.storage;
			quietly(committing::groupCommit);
			return false;
		}
		catch (SimulatedPowerLoss loss) {
			return true;
		}
		finally {
			this.fileSystem.powerLossAfter(0);
		}
	}

	@Override
	public boolean crash(boolean tearWrite) {
		// The storage object dies with the process, its queue unwritten; the disk keeps what it synced.
		this.storage = null;
		if (this.completions != null) {
			// A crash inside a completion leaves the rest of its group commit to report to no one.
			this.completions.processDied = true;
			this.completions = null;
		}
		this.groupCommitTick = -1;
		this.fileSystem.crash(this.random);
		return false;
	}

	@Override
	public void wipe() {
		crash(false);
		this.fileSystem = SimFileSystem.create("replica-" + this.replica);
		this.durableSuperblock = null;
		this.superblockCopyCorrupt = false;
		this.corruptSnapshotOp = 0;
		this.failingRead = null;
	}

	/**
	 * Damages the crashed host's disk in one of three ways: a bit flipped in one superblock copy
	 * (never in both: the other holds the newest superblock, so the replica must restart from it as
	 * if nothing happened); a bit flipped in its newest snapshot (the storage falls back to the one
	 * before, and the replica must repair what that leaves out); or a read of one of its files that
	 * fails once (the replica does not start, and starts on the next try).
	 */
	@Override
	public String corrupt(SplittableRandom random) {
		if (this.storage != null || this.durableSuperblock == null
				|| random.nextDouble() >= this.disks.damageProbability()) {
			return null;
		}
		List<Path> snapshots = files(SNAPSHOTS_DIRECTORY, ".snap");
		// Half the damage goes to the newest snapshot, when there is one: the rarest of the three.
		int kind = (!snapshots.isEmpty() && random.nextBoolean()) ? 1 : 2 * random.nextInt(2);
		if (kind == 0 && !this.superblockCopyCorrupt) {
			int copy = random.nextInt(2);
			long offset = (long) copy * SUPERBLOCK_COPY_BYTES + random.nextInt(SUPERBLOCK_RECORD_BYTES);
			this.fileSystem.flipBit(dataDirectory().resolve(SUPERBLOCK_FILE), offset, random.nextInt(8));
			this.superblockCopyCorrupt = true;
			return "superblock copy " + copy + " at byte " + offset;
		}
		if (kind == 1) {
			Path newest = snapshots.get(snapshots.size() - 1);
			long size = this.fileSystem.contents(newest).length;
			long offset = random.nextLong(size);
			this.fileSystem.flipBit(newest, offset, random.nextInt(8));
			String name = newest.getFileName().toString();
			this.corruptSnapshotOp = Long.parseLong(name.substring(name.indexOf('-') + 1, name.indexOf('.')));
			return "snapshot of op " + this.corruptSnapshotOp + " at byte " + offset;
		}
		if (this.failingRead != null) {
			return null;
		}
		List<Path> readable = new ArrayList<>(files(JOURNAL_DIRECTORY, ".log"));
		readable.addAll(snapshots);
		readable.add(dataDirectory().resolve(SUPERBLOCK_FILE));
		Path failing = readable.get(random.nextInt(readable.size()));
		this.fileSystem.failReads(failing, 1);
		this.failingRead = failing;
		return "a read error on " + failing;
	}

	@Override
	public boolean hasCorruption() {
		// A corrupt superblock copy costs no data (the other copy holds it all), nor does a read error.
		return this.corruptSnapshotOp > 0;
	}

	@Override
	public int pendingCount() {
		return (this.storage == null) ? 0 : this.storage.queuedCount();
	}

	/** The data directory's files in {@code directory} whose names end with {@code suffix}, in name order. */
	private List<Path> files(String directory, String suffix) {
		try (Stream<Path> listed = Files.list(dataDirectory().resolve(directory))) {
			return listed.filter((file) -> file.getFileName().toString().endsWith(suffix)).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static boolean isSimulatedReadFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof IOException && String.valueOf(cause.getMessage()).contains("SimFileSystem.failReads")) {
				return true;
			}
		}
		return false;
	}

	private static <T> T quietly(Supplier<T> call) {
		SIMULATING.set(true);
		try {
			return call.get();
		}
		finally {
			SIMULATING.set(false);
		}
	}

	private static List<Logger> quietWhileSimulating(String... names) {
		List<Logger> loggers = new ArrayList<>();
		for (String name : names) {
			Logger logger = Logger.getLogger(name);
			logger.setFilter((record) -> !SIMULATING.get());
			loggers.add(logger);
		}
		return List.copyOf(loggers);
	}

	private Path dataDirectory() {
		return this.fileSystem.getPath(DATA_DIRECTORY);
	}

	/** The storage's completions, noting each durable superblock on the way to the process. */
	private final class Completions implements StorageCompletions {

		private final SimStorage.Completions process;

		private boolean processDied;

		Completions(SimStorage.Completions process) {
			this.process = process;
		}

		@Override
		public void onEntryWritten(long op, long checksum) {
			if (this.processDied) {
				return;
			}
			this.process.onEntryWritten(op, checksum);
		}

		@Override
		public void onSuperblockWritten(Superblock superblock) {
			// Durable whether or not anyone hears of it; every write rewrites both copies, the corrupt one too.
			FileDisk.this.durableSuperblock = superblock;
			FileDisk.this.superblockCopyCorrupt = false;
			if (this.processDied) {
				return;
			}
			this.process.onSuperblockWritten(superblock);
		}

		@Override
		public void onSnapshotWritten(long op) {
			if (op > FileDisk.this.corruptSnapshotOp) {
				// A newer snapshot is durable: the replica holds again all it held.
				FileDisk.this.corruptSnapshotOp = 0;
			}
			if (this.processDied) {
				return;
			}
			this.process.onSnapshotWritten(op);
		}

		@Override
		public void onStorageFailed(Exception cause) {
			if (this.processDied) {
				return;
			}
			this.process.onStorageFailed(cause);
		}

	}

}
