package io.viewstamp.sim.disk;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * The basic attribute view of a simulated path: reads the attributes when asked, as the JDK's
 * view does, so it may be taken before the file exists. Times can not be set: they are always
 * the epoch.
 */
final class SimFileAttributeView implements BasicFileAttributeView {

	private final SimFileSystemProvider provider;

	private final Path path;

	SimFileAttributeView(SimFileSystemProvider provider, Path path) {
		this.provider = provider;
		this.path = path;
	}

	@Override
	public String name() {
		return "basic";
	}

	@Override
	public BasicFileAttributes readAttributes() throws IOException {
		return this.provider.readAttributes(this.path, BasicFileAttributes.class);
	}

	@Override
	public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) {
		throw new UnsupportedOperationException(
				"The simulated file system has no clock: its file times are always the epoch");
	}

}
