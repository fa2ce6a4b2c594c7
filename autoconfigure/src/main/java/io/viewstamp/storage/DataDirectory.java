package io.viewstamp.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * The layout of a data directory, held locked while a storage uses it:
 *
 * <pre>
 * lock                              held with an OS file lock: one process per directory
 * superblock                        two checksummed copies of the superblock
 * journal/segment-&lt;seq&gt;.log        journal segments, 20-digit sequence numbers in write order
 * snapshots/snapshot-&lt;op&gt;.snap      snapshots, 20-digit op numbers (.tmp while being written)
 * </pre>
 */
final class DataDirectory implements AutoCloseable {

	static final String LOCK_FILE = "lock";

	static final String SUPERBLOCK_FILE = "superblock";

	static final String JOURNAL_DIRECTORY = "journal";

	static final String SNAPSHOTS_DIRECTORY = "snapshots";

	final Path root;

	final Path journal;

	final Path snapshots;

	final Path superblock;

	private final FileChannel lockChannel;

	private final FileLock lock;

	private DataDirectory(Path root, FileChannel lockChannel, FileLock lock) {
		this.root = root;
		this.journal = root.resolve(JOURNAL_DIRECTORY);
		this.snapshots = root.resolve(SNAPSHOTS_DIRECTORY);
		this.superblock = root.resolve(SUPERBLOCK_FILE);
		this.lockChannel = lockChannel;
		this.lock = lock;
	}

	/**
	 * Creates the directory and its subdirectories where missing, and locks it.
	 * @throws DataDirectoryException when it can not be created, is not a directory, or is locked
	 */
	static DataDirectory lock(Path root, Disk disk) {
		Path absolute = root.toAbsolutePath().normalize();
		if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
			throw new DataDirectoryException(absolute, "Data directory " + absolute
					+ " is a file, not a directory. Point replication.data-dir at a directory.");
		}
		try {
			createDirectory(absolute, disk);
			createDirectory(absolute.resolve(JOURNAL_DIRECTORY), disk);
			createDirectory(absolute.resolve(SNAPSHOTS_DIRECTORY), disk);
		}
		catch (IOException ex) {
			throw new DataDirectoryException(absolute, "Cannot create data directory " + absolute + ": " + ex
					+ ". Check that the process may write there, or point replication.data-dir elsewhere.", ex);
		}
		FileChannel channel = null;
		try {
			channel = FileChannel.open(absolute.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
			FileLock lock = channel.tryLock();
			if (lock == null) {
				throw new OverlappingFileLockException();
			}
			return new DataDirectory(absolute, channel, lock);
		}
		catch (OverlappingFileLockException ex) {
			closeQuietly(channel);
			throw new DataDirectoryException(absolute, "Data directory " + absolute
					+ " is in use by another storage (its file '" + LOCK_FILE + "' is locked): two replicas must never share "
					+ "a data directory. Stop the other process, or point replication.data-dir at this replica's own directory.");
		}
		catch (IOException ex) {
			closeQuietly(channel);
			throw new DataDirectoryException(absolute, "Cannot lock data directory " + absolute + ": " + ex
					+ ". Check that the process may write there, or point replication.data-dir elsewhere.", ex);
		}
	}

	/**
	 * The files in {@code directory} whose names start with {@code prefix} and end with
	 * {@code suffix}, sorted by name.
	 */
	static List<Path> list(Path directory, String prefix, String suffix) throws IOException {
		List<Path> files = new ArrayList<>();
		try (Stream<Path> entries = Files.list(directory)) {
			entries.filter((path) -> {
				String name = path.getFileName().toString();
				return name.startsWith(prefix) && name.endsWith(suffix) && Files.isRegularFile(path);
			}).sorted().forEach(files::add);
		}
		return files;
	}

	/** A number as the 20 digits of a file name, so that names sort as the numbers do. */
	static String digits(long number) {
		return String.format("%020d", number);
	}

	/**
	 * The number in {@code fileName} between {@code prefix} and {@code suffix}, or -1 when it is not
	 * a name of that form.
	 */
	static long number(String fileName, String prefix, String suffix) {
		if (!fileName.startsWith(prefix) || !fileName.endsWith(suffix)
				|| fileName.length() != prefix.length() + 20 + suffix.length()) {
			return -1;
		}
		String digits = fileName.substring(prefix.length(), prefix.length() + 20);
		for (int index = 0; index < digits.length(); index++) {
			if (!Character.isDigit(digits.charAt(index))) {
				return -1;
			}
		}
		try {
			return Long.parseLong(digits);
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	@Override
	public void close() {
		try {
			this.lock.release();
		}
		catch (IOException ex) {
			// Closing the channel releases the lock as well.
		}
		closeQuietly(this.lockChannel);
	}

	/**
	 * Creates {@code directory} and every missing ancestor, each made durable in turn. A new
	 * directory's entry lives in its parent, so each parent is synced, from the topmost new level
	 * down: syncing only the last one leaves a chain that a power loss may cut above it (the
	 * simulated disk found a {@code data-dir} two levels deep gone after a crash, superblock and all).
	 */
	private static void createDirectory(Path directory, Disk disk) throws IOException {
		if (Files.isDirectory(directory)) {
			return;
		}
		Path parent = directory.getParent();
		if (parent != null) {
			createDirectory(parent, disk);
		}
		try {
			Files.createDirectory(directory);
		}
		catch (FileAlreadyExistsException ex) {
			// Another process made it meanwhile; a file of that name is still an error.
			if (!Files.isDirectory(directory)) {
				throw ex;
			}
		}
		if (parent != null) {
			disk.forceDirectory(parent);
		}
	}

	private static void closeQuietly(@Nullable FileChannel channel) {
		if (channel == null) {
			return;
		}
		try {
			channel.close();
		}
		catch (IOException ex) {
			// Nothing more to release.
		}
	}

}
