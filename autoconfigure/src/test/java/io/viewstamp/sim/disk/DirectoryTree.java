package io.viewstamp.sim.disk;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The names of the simulated disk: the root directory and the operations that find, create,
 * delete and rename entries, with the errors the JDK gives on Linux. Each change asks the
 * {@link PowerSupply} first, once its arguments are known to be valid. Guarded by the file
 * system's monitor.
 */
final class DirectoryTree {

	private final PowerSupply power;

	private final DirectoryInode root;

	private long nextId = 1;

	DirectoryTree(PowerSupply power) {
		this.power = power;
		this.root = new DirectoryInode(this.nextId++);
	}

	/**
	 * The inode at {@code path}.
	 * @throws NoSuchFileException when there is none
	 */
	Inode existing(SimPath path) throws IOException {
		Inode inode = find(path);
		if (inode == null) {
			throw new NoSuchFileException(path.toString());
		}
		return inode;
	}

	/**
	 * The inode at {@code path}, or {@code null} when its directory holds no such name.
	 * @throws NoSuchFileException when its directory does not exist
	 */
	Inode find(SimPath path) throws IOException {
		List<String> names = path.absoluteNames();
		return names.isEmpty() ? this.root : parent(path).get(names.get(names.size() - 1));
	}

	/**
	 * The directory {@code path} is named in.
	 * @throws NoSuchFileException when it does not exist
	 * @throws FileSystemException when a file stands where a directory should
	 */
	DirectoryInode parent(SimPath path) throws IOException {
		List<String> names = path.absoluteNames();
		DirectoryInode directory = this.root;
		for (String name : names.subList(0, Math.max(0, names.size() - 1))) {
			Inode next = directory.get(name);
			if (next == null) {
				throw new NoSuchFileException(path.toString());
			}
			if (!(next instanceof DirectoryInode nextDirectory)) {
				throw new FileSystemException(path.toString(), null, "Not a directory");
			}
			directory = nextDirectory;
		}
		return directory;
	}

	/** The names in the directory at {@code path}, sorted. */
	List<String> list(SimPath path) throws IOException {
		if (!(existing(path) instanceof DirectoryInode directory)) {
			throw new NotDirectoryException(path.toString());
		}
		return directory.names();
	}

	void createDirectory(SimPath path) throws IOException {
		if (find(path) != null) {
			throw new FileAlreadyExistsException(path.toString());
		}
		this.power.beforeChange("createDirectory " + path);
		parent(path).put(fileName(path), new DirectoryInode(this.nextId++));
	}

	/**
	 * The file at {@code path}, created empty when missing and {@code create} is set.
	 * @throws FileAlreadyExistsException when it exists and {@code createNew} is set
	 */
	Inode open(SimPath path, boolean create, boolean createNew) throws IOException {
		Inode inode = find(path);
		if (inode != null && createNew) {
			throw new FileAlreadyExistsException(path.toString());
		}
		if (inode != null) {
			return inode;
		}
		if (!create && !createNew) {
			throw new NoSuchFileException(path.toString());
		}
		this.power.beforeChange("create " + path);
		FileInode file = new FileInode(this.nextId++);
		parent(path).put(fileName(path), file);
		return file;
	}

	void delete(SimPath path) throws IOException {
		Inode inode = existing(path);
		if (inode == this.root) {
			throw new FileSystemException(path.toString(), null, "The root directory can not be deleted");
		}
		if (inode instanceof DirectoryInode directory && !directory.isEmpty()) {
			throw new DirectoryNotEmptyException(path.toString());
		}
		this.power.beforeChange("delete " + path);
		parent(path).remove(fileName(path));
	}

	/**
	 * Renames {@code source} to {@code target} as {@code rename(2)} does, replacing a file or an empty
	 * directory there when {@code replace} is set.
	 */
	void move(SimPath source, SimPath target, boolean replace) throws IOException {
		Inode moved = existing(source);
		DirectoryInode targetParent = parent(target);
		Inode replaced = find(target);
		boolean intoItself = target.absoluteNames().size() > source.absoluteNames().size()
				&& target.toAbsolutePath().normalize().startsWith(source.toAbsolutePath().normalize());
		if (moved == this.root || replaced == this.root || intoItself) {
			throw new FileSystemException(source.toString(), target.toString(), "Invalid argument");
		}
		if (replaced == moved) {
			return;
		}
		if (replaced != null) {
			checkReplaceable(source, target, moved, replaced, replace);
		}
		this.power.beforeChange("move " + source + " to " + target);
		parent(source).remove(fileName(source));
		targetParent.put(fileName(target), moved);
	}

	/** Whether any inode still reachable, now or durably, has changes not yet durable. */
	boolean hasUnsyncedChanges() {
		return hasUnsyncedChanges(this.root, new TreeSet<>());
	}

	/**
	 * A power loss: every directory reachable from the root through durable entries gets those
	 * entries back, and every file so reachable is rebuilt from its durable content. Inodes
	 * reachable no more are gone. Directories are walked by name, so the draws from
	 * {@code random} come in the same order for the same tree.
	 */
	void crash(SplittableRandom random) {
		crash(this.root, random, new TreeSet<>(List.of(this.root.id)));
	}

	private void crash(DirectoryInode directory, SplittableRandom random, TreeSet<Long> visited) {
		directory.revert();
		for (Inode child : directory.children()) {
			// A rename synced in one directory only may leave an inode under two names: rebuild it once.
			if (!visited.add(child.id)) {
				continue;
			}
			if (child instanceof DirectoryInode childDirectory) {
				crash(childDirectory, random, visited);
			}
			else {
				((FileInode) child).crash(random);
			}
		}
	}

	private boolean hasUnsyncedChanges(Inode inode, TreeSet<Long> visited) {
		if (!visited.add(inode.id)) {
			return false;
		}
		if (inode.hasUnsyncedChanges()) {
			return true;
		}
		if (inode instanceof DirectoryInode directory) {
			for (Inode child : directory.currentAndDurableChildren()) {
				if (hasUnsyncedChanges(child, visited)) {
					return true;
				}
			}
		}
		return false;
	}

	private static void checkReplaceable(SimPath source, SimPath target, Inode moved, Inode replaced, boolean replace)
			throws IOException {
		if (!replace) {
			throw new FileAlreadyExistsException(target.toString());
		}
		if (replaced instanceof DirectoryInode directory) {
			if (!moved.isDirectory()) {
				throw new FileSystemException(source.toString(), target.toString(), "Is a directory");
			}
			if (!directory.isEmpty()) {
				throw new DirectoryNotEmptyException(target.toString());
			}
		}
		else if (moved.isDirectory()) {
			throw new FileSystemException(source.toString(), target.toString(), "Not a directory");
		}
	}

	private static String fileName(SimPath path) {
		List<String> names = path.absoluteNames();
		return names.get(names.size() - 1);
	}

}
