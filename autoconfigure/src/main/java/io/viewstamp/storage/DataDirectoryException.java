package io.viewstamp.storage;

import java.nio.file.Path;

/**
 * A data directory can not be used by this replica: it holds another replica's or another
 * cluster's data, its superblock is unreadable, another process uses it, or the disk refused an
 * operation on it. The message names the directory, what it holds, and what to do.
 */
public class DataDirectoryException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final transient Path directory;

	/**
	 * Creates an exception about {@code directory}.
	 * @param directory the data directory
	 * @param message what happened and what to do, for the person who configured it
	 */
	public DataDirectoryException(Path directory, String message) {
		super(message);
		this.directory = directory;
	}

	/**
	 * Creates an exception about {@code directory} with its cause.
	 * @param directory the data directory
	 * @param message what happened and what to do, for the person who configured it
	 * @param cause the underlying failure
	 */
	public DataDirectoryException(Path directory, String message, Throwable cause) {
		super(message, cause);
		this.directory = directory;
	}

	/** The data directory this is about. */
	public Path getDirectory() {
		return this.directory;
	}

}
