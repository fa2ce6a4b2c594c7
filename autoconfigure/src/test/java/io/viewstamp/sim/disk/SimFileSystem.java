package io.viewstamp.sim.disk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * An in-memory disk with the durability of a POSIX file system, for running the real storage code
 * in the simulator: data and length of a file become durable only by {@code force} on a channel of
 * that file, and a directory's entries (creations, deletions, renames) only by {@code force} on a
 * channel opened on that directory. {@link #crash} is a power loss: it keeps what was made durable
 * and, of everything else, an arbitrary mixture drawn from the given random stream, sector by
 * sector, so writes are torn and reordered as on a real disk. Faults beyond that are injected by
 * hand: {@link #powerLossAfter}, {@link #flipBit}, {@link #failReads}.
 *
 * <p>Deterministic: no clock, no hash order, no randomness but the one passed to {@link #crash},
 * so the same calls with the same seed leave the same bytes. Every operation holds this object's
 * monitor; the simulator is single-threaded, but the storage code has an I/O thread of its own.
 */
public final class SimFileSystem extends FileSystem {

	/** The unit a crash keeps or loses whole: a write is torn only at multiples of it. */
	public static final int SECTOR_SIZE_BYTES = 512;

	private final String name;

	private final SimFileSystemProvider provider = new SimFileSystemProvider(this);

	private final PowerSupply power = new PowerSupply();

	private final DirectoryTree tree = new DirectoryTree(this.power);

	private final OpenFiles openFiles = new OpenFiles();

	private boolean open = true;

	private SimFileSystem(String name) {
		this.name = name;
	}

	/**
	 * Creates an empty file system: only the root directory, durable.
	 * @param name its name, for messages and as the authority of its URIs
	 * @return the file system
	 */
	public static SimFileSystem create(String name) {
		if (name == null || name.isEmpty()) {
			throw new IllegalArgumentException("A simulated file system needs a name, for its messages and URIs");
		}
		return new SimFileSystem(name);
	}

	/**
	 * A path of this file system. Absolute paths start with {@code /}; relative paths are resolved
	 * against the root.
	 */
	@Override
	public Path getPath(String first, String... more) {
		return SimPath.parse(this, first, more);
	}

	/**
	 * Power loss: every directory gets back its durable entries, and every file that is still
	 * reachable is rebuilt from its durable content. Its length is the durable or the current one;
	 * each sector changed since its last {@code force} independently keeps its current or its
	 * durable content; bytes beyond the durable length that keep no current content read as zeros.
	 * Then everything is durable. Every open channel is closed (later use throws
	 * {@link java.nio.channels.ClosedChannelException}), every lock released, the power is on and
	 * no power loss is planned any more; failing reads stay, as a failing sector does.
	 * @param random the only source of the choices, drawn in the order of the paths
	 */
	public synchronized void crash(SplittableRandom random) {
		for (FileChannel channel : this.openFiles.channels()) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				throw new IllegalStateException("Closing a simulated channel can not fail, yet it did", ex);
			}
		}
		this.tree.crash(random);
		this.power.restore();
	}

	/**
	 * Plans a power loss: after {@code operations} more operations that change the disk (write,
	 * truncate, force, create, delete, move, createDirectory), the next one throws
	 * {@link SimulatedPowerLoss} instead of running, and so does every one after it until
	 * {@link #crash}. An operation counts once its arguments are checked: one that fails, as a
	 * delete of a missing file, does not count.
	 * @param operations the operations that still run; at most 0 cancels a planned power loss
	 */
	public synchronized void powerLossAfter(int operations) {
		this.power.failAfter(operations);
	}

	/**
	 * Flips a bit of a file, both now and durably, as a failing sector would.
	 * @param file the file
	 * @param offset the byte, less than the file's current size
	 * @param bit the bit of that byte, 0 to 7
	 * @throws IllegalArgumentException when the file is missing, or {@code offset} or {@code bit} is out of range
	 */
	public synchronized void flipBit(Path file, long offset, int bit) {
		FileInode inode = file(file);
		if (offset < 0 || offset >= inode.size()) {
			throw new IllegalArgumentException("Cannot flip a bit at byte " + offset + " of " + file + ", which has "
					+ inode.size() + " bytes");
		}
		if (bit < 0 || bit > 7) {
			throw new IllegalArgumentException("Bit " + bit + " is not a bit of a byte: use 0 to 7");
		}
		inode.flipBit(offset, bit);
	}

	/**
	 * Makes the next {@code count} reads of {@code file}, through any channel, throw an
	 * {@link IOException} that says it is simulated. Replaces an earlier count for the file.
	 * @param file the file
	 * @param count the reads to fail, 0 to stop failing
	 * @throws IllegalArgumentException when the file is missing or {@code count} is negative
	 */
	public synchronized void failReads(Path file, int count) {
		if (count < 0) {
			throw new IllegalArgumentException("Cannot fail " + count + " reads of " + file);
		}
		file(file).failReads(count);
	}

	/** Whether any file or directory has changes not yet durable, which a crash may undo. */
	public synchronized boolean hasUnsyncedChanges() {
		return this.tree.hasUnsyncedChanges();
	}

	/**
	 * The bytes of a file as they are now, not as they are durably.
	 * @param file the file
	 * @return a copy of its content
	 * @throws IllegalArgumentException when there is no such file
	 */
	public synchronized byte[] contents(Path file) {
		return file(file).contents();
	}

	/** Its name, as given to {@link #create}. */
	String name() {
		return this.name;
	}

	@Override
	public FileSystemProvider provider() {
		return this.provider;
	}

	/** Closes every channel; any later use of the file system throws {@link ClosedFileSystemException}. */
	@Override
	public synchronized void close() throws IOException {
		this.open = false;
		for (FileChannel channel : this.openFiles.channels()) {
			channel.close();
		}
	}

	@Override
	public synchronized boolean isOpen() {
		return this.open;
	}

	@Override
	public boolean isReadOnly() {
		return false;
	}

	@Override
	public String getSeparator() {
		return "/";
	}

	@Override
	public Iterable<Path> getRootDirectories() {
		return List.of(getPath("/"));
	}

	@Override
	public Iterable<FileStore> getFileStores() {
		return List.of();
	}

	@Override
	public Set<String> supportedFileAttributeViews() {
		return Set.of("basic");
	}

	@Override
	public PathMatcher getPathMatcher(String syntaxAndPattern) {
		throw new UnsupportedOperationException("The simulated file system has no path matchers; filter by name instead");
	}

	@Override
	public UserPrincipalLookupService getUserPrincipalLookupService() {
		throw new UnsupportedOperationException("The simulated file system has no users");
	}

	@Override
	public WatchService newWatchService() {
		throw new UnsupportedOperationException("The simulated file system has no watch service");
	}

	@Override
	public String toString() {
		return "SimFileSystem " + this.name;
	}

	/** Throws when the file system was closed; called with the monitor held. */
	void checkOpen() {
		if (!this.open) {
			throw new ClosedFileSystemException();
		}
	}

	DirectoryTree tree() {
		return this.tree;
	}

	PowerSupply power() {
		return this.power;
	}

	OpenFiles openFiles() {
		return this.openFiles;
	}

	private FileInode file(Path path) {
		try {
			if (this.tree.find(SimPath.of(path, this)) instanceof FileInode file) {
				return file;
			}
		}
		catch (IOException ex) {
			// No directory on the way: no such file either.
		}
		throw new IllegalArgumentException("No file " + path + " in the simulated file system " + this.name);
	}

}
