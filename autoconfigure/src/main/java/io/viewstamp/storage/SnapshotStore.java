package io.viewstamp.storage;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.viewstamp.vsr.Snapshot;
import org.jspecify.annotations.Nullable;

/**
 * The snapshots directory. A snapshot is written to a temporary file, synced, renamed to
 * {@code snapshot-<op>.snap} and the directory synced: it exists whole or not at all. The newest
 * {@link #SNAPSHOTS_RETAINED} are kept, so that a newest one found corrupt later still leaves one
 * to start from; older ones are deleted once a new one is durable.
 */
final class SnapshotStore {

	static final String PREFIX = "snapshot-";

	static final String SUFFIX = ".snap";

	static final String TEMPORARY_SUFFIX = ".snap.tmp";

	/** The newest snapshot and the one before it, as a fallback should the newest rot. */
	static final int SNAPSHOTS_RETAINED = 2;

	private static final System.Logger LOGGER = System.getLogger(SnapshotStore.class.getName());

	private final Path directory;

	private final Disk disk;

	private long newestOp;

	private SnapshotStore(Path directory, Disk disk, long newestOp) {
		this.directory = directory;
		this.disk = disk;
		this.newestOp = newestOp;
	}

	/**
	 * Opens the directory: deletes the temporary files of writes a crash interrupted, and finds the
	 * newest intact snapshot. Corrupt snapshots newer than it are deleted; a snapshot is never
	 * taken from a file that fails its checksum.
	 */
	static Opened open(Path directory, Disk disk) throws IOException {
		boolean deleted = false;
		for (Path temporary : DataDirectory.list(directory, PREFIX, TEMPORARY_SUFFIX)) {
			Files.delete(temporary);
			deleted = true;
		}
		Snapshot newest = null;
		for (Path file : snapshotFilesNewestFirst(directory)) {
			try {
				newest = read(file);
				break;
			}
			catch (IllegalArgumentException ex) {
				LOGGER.log(Level.WARNING, "Deleting snapshot " + file + ", which can not be used: " + ex.getMessage()
						+ "; the replica starts from an older snapshot and repairs the rest from its peers");
				Files.delete(file);
				deleted = true;
			}
		}
		if (deleted) {
			disk.forceDirectory(directory);
		}
		return new Opened(new SnapshotStore(directory, disk, (newest == null) ? 0 : newest.op()), newest);
	}

	/** Deletes every snapshot file, whole or temporary. */
	static void deleteAll(Path directory) throws IOException {
		for (Path file : DataDirectory.list(directory, PREFIX, "")) {
			Files.delete(file);
		}
	}

	/**
	 * Writes {@code snapshot} atomically and durably, then deletes the snapshots beyond the retained
	 * ones. A snapshot no newer than the newest one durable is not written.
	 * @return whether it was written
	 */
	boolean write(Snapshot snapshot) throws IOException {
		if (snapshot.op() <= this.newestOp) {
			return false;
		}
		Path temporary = this.directory.resolve(PREFIX + DataDirectory.digits(snapshot.op()) + TEMPORARY_SUFFIX);
		Path file = this.directory.resolve(fileName(snapshot.op()));
		try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
				StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
			this.disk.write(channel, SnapshotFormat.encode(snapshot), 0);
			this.disk.force(channel);
		}
		Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
		this.disk.forceDirectory(this.directory);
		this.newestOp = snapshot.op();
		List<Path> files = snapshotFilesNewestFirst(this.directory);
		for (Path old : files.subList(Math.min(SNAPSHOTS_RETAINED, files.size()), files.size())) {
			Files.delete(old);
		}
		// Those deletions need no sync of their own: a snapshot that comes back after a crash is
		// older than the newest and only ever a fallback.
		return true;
	}

	/** The op of the newest durable snapshot, 0 when there is none. */
	long newestOp() {
		return this.newestOp;
	}

	static String fileName(long op) {
		return PREFIX + DataDirectory.digits(op) + SUFFIX;
	}

	/** Reads a snapshot file whole; a file that is not an intact snapshot of its name's op is refused. */
	static Snapshot read(Path file) throws IOException {
		long op = DataDirectory.number(file.getFileName().toString(), PREFIX, SUFFIX);
		long size = Files.size(file);
		if (size > SnapshotFormat.SNAPSHOT_SIZE_BYTES_MAX) {
			throw new IllegalArgumentException("snapshot file is " + size + " bytes, more than the "
					+ SnapshotFormat.SNAPSHOT_SIZE_BYTES_MAX + " bytes a snapshot may have");
		}
		ByteBuffer image = ByteBuffer.allocate((int) size);
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			while (image.hasRemaining() && channel.read(image, image.position()) >= 0) {
				// Reads until the buffer is full or the file ends.
			}
		}
		Snapshot snapshot = SnapshotFormat.decode(image.array());
		if (snapshot.op() != op) {
			throw new IllegalArgumentException("snapshot file holds op " + snapshot.op() + ", its name says op " + op);
		}
		return snapshot;
	}

	private static List<Path> snapshotFilesNewestFirst(Path directory) throws IOException {
		List<Path> files = new ArrayList<>();
		for (Path file : DataDirectory.list(directory, PREFIX, SUFFIX)) {
			if (DataDirectory.number(file.getFileName().toString(), PREFIX, SUFFIX) >= 1) {
				files.add(file);
			}
		}
		files.sort(Comparator.comparing(Path::toString).reversed());
		return files;
	}

	/**
	 * The store and the newest intact snapshot it holds.
	 * @param store the store
	 * @param snapshot the newest intact snapshot, or {@code null} when there is none
	 */
	record Opened(SnapshotStore store, @Nullable Snapshot snapshot) {

	}

}
