package io.viewstamp.sim.disk;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A directory: names to inodes, now and as durable. Creating, deleting or renaming changes only
 * the current entries; {@code fsync} of the directory makes them durable, and a crash puts the
 * durable ones back. Entries are sorted maps, so listings and crashes go by name, never by hash.
 */
final class DirectoryInode extends Inode {

	private TreeMap<String, Inode> entries = new TreeMap<>();

	private TreeMap<String, Inode> durableEntries = new TreeMap<>();

	DirectoryInode(long id) {
		super(id);
	}

	@Override
	boolean isDirectory() {
		return true;
	}

	/** The inode named {@code name} here now, or {@code null}. */
	Inode get(String name) {
		return this.entries.get(name);
	}

	void put(String name, Inode inode) {
		this.entries.put(name, inode);
	}

	void remove(String name) {
		this.entries.remove(name);
	}

	boolean isEmpty() {
		return this.entries.isEmpty();
	}

	/** The names it holds now, sorted. */
	List<String> names() {
		return new ArrayList<>(this.entries.keySet());
	}

	/** The inodes it holds now, in name order. */
	List<Inode> children() {
		return new ArrayList<>(this.entries.values());
	}

	/** The inodes it holds now or durably, in name order, current ones first. */
	List<Inode> currentAndDurableChildren() {
		List<Inode> children = children();
		children.addAll(this.durableEntries.values());
		return children;
	}

	@Override
	void persist() {
		this.durableEntries = new TreeMap<>(this.entries);
	}

	/** A crash: the entries are what was durable. */
	void revert() {
		this.entries = new TreeMap<>(this.durableEntries);
	}

	@Override
	boolean hasUnsyncedChanges() {
		// Values compare by identity: a name that now points to another inode is a change too.
		return !this.entries.equals(this.durableEntries);
	}

}
