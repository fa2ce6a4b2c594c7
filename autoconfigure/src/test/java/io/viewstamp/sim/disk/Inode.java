package io.viewstamp.sim.disk;

/**
 * A file or directory of the simulated disk, apart from its names: the names live in the
 * directories that hold it, so a renamed or deleted file is still the same inode, and an open
 * channel or a durable directory entry keeps it alive. Each inode holds both what it is now and
 * what a power loss would leave of it. Guarded by the file system's monitor.
 */
abstract class Inode {

	/** A number unique within the file system, in order of creation, also the file key. */
	final long id;

	Inode(long id) {
		this.id = id;
	}

	/** Whether this is a directory. */
	abstract boolean isDirectory();

	/** What {@code fsync} of this inode does: what it is now becomes durable. */
	abstract void persist();

	/** Whether it has changes that a power loss could undo. */
	abstract boolean hasUnsyncedChanges();

}
