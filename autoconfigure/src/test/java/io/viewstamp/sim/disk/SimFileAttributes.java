package io.viewstamp.sim.disk;

import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The basic attributes of a simulated file or directory, as they were when read. Every time is
 * the epoch: the simulated disk has no clock, so nothing can depend on one.
 *
 * @param directory whether it is a directory
 * @param size its size in bytes, 0 for a directory
 * @param id its inode number, the file key
 */
record SimFileAttributes(boolean directory, long size, long id) implements BasicFileAttributes {

	private static final FileTime EPOCH = FileTime.fromMillis(0);

	/** The names of the "basic" view, in the JDK's order. */
	private static final List<String> NAMES = List.of("lastModifiedTime", "lastAccessTime", "creationTime", "size",
			"isRegularFile", "isDirectory", "isSymbolicLink", "isOther", "fileKey");

	static SimFileAttributes of(Inode inode) {
		long size = (inode instanceof FileInode file) ? file.size() : 0;
		return new SimFileAttributes(inode.isDirectory(), size, inode.id);
	}

	/**
	 * The attributes named in {@code attributes}, as {@code Files.readAttributes(path, String)} asks:
	 * {@code [basic:]*} or {@code [basic:]name,name...}.
	 * @throws UnsupportedOperationException for a view other than "basic"
	 * @throws IllegalArgumentException for a name the basic view does not have
	 */
	Map<String, Object> toMap(String attributes) {
		int colon = attributes.indexOf(':');
		String view = (colon < 0) ? "basic" : attributes.substring(0, colon);
		if (!view.equals("basic")) {
			throw new UnsupportedOperationException("View '" + view + "' is not available: the simulated file system "
					+ "supports only the \"basic\" attribute view");
		}
		List<String> requested = List.of(attributes.substring(colon + 1).split(","));
		Map<String, Object> values = new LinkedHashMap<>();
		for (String name : requested.contains("*") ? NAMES : requested) {
			if (!NAMES.contains(name)) {
				throw new IllegalArgumentException("'" + name + "' not recognized: the basic view has " + NAMES);
			}
			values.put(name, value(name));
		}
		return values;
	}

	@Override
	public FileTime lastModifiedTime() {
		return EPOCH;
	}

	@Override
	public FileTime lastAccessTime() {
		return EPOCH;
	}

	@Override
	public FileTime creationTime() {
		return EPOCH;
	}

	@Override
	public boolean isRegularFile() {
		return !this.directory;
	}

	@Override
	public boolean isDirectory() {
		return this.directory;
	}

	@Override
	public boolean isSymbolicLink() {
		return false;
	}

	@Override
	public boolean isOther() {
		return false;
	}

	@Override
	public Object fileKey() {
		return this.id;
	}

	private Object value(String name) {
		return switch (name) {
			case "size" -> this.size;
			case "isRegularFile" -> isRegularFile();
			case "isDirectory" -> this.directory;
			case "isSymbolicLink", "isOther" -> false;
			case "fileKey" -> this.id;
			default -> EPOCH;
		};
	}

}
