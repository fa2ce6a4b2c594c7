package io.viewstamp.sim.disk;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The provider behind {@code Files} and {@code FileChannel.open} for one {@link SimFileSystem}:
 * checks the arguments as the JDK does and runs each operation on the file system's
 * {@link DirectoryTree} under the file system's monitor. It is not installed, so
 * {@code Path.of(URI)} does not find it; paths come from {@link SimFileSystem#getPath}.
 */
final class SimFileSystemProvider extends FileSystemProvider {

	static final String SCHEME = "simfs";

	private final SimFileSystem fileSystem;

	SimFileSystemProvider(SimFileSystem fileSystem) {
		this.fileSystem = fileSystem;
	}

	@Override
	public String getScheme() {
		return SCHEME;
	}

	@Override
	public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
		throw new UnsupportedOperationException("Create a simulated file system with SimFileSystem.create, not from " + uri);
	}

	@Override
	public FileSystem getFileSystem(URI uri) {
		checkUri(uri);
		return this.fileSystem;
	}

	@Override
	public Path getPath(URI uri) {
		checkUri(uri);
		return this.fileSystem.getPath(uri.getPath());
	}

	@Override
	public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
			throws IOException {
		return newFileChannel(path, options, attrs);
	}

	@Override
	public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
			throws IOException {
		SimPath simPath = SimPath.of(path, this.fileSystem);
		checkNoAttributes(attrs);
		ChannelOptions mode = ChannelOptions.of(options);
		synchronized (this.fileSystem) {
			this.fileSystem.checkOpen();
			this.fileSystem.openFiles().checkRoom(simPath);
			Inode inode = this.fileSystem.tree()
				.open(simPath, mode.write() && mode.create(), mode.write() && mode.createNew());
			if (inode.isDirectory() && mode.write()) {
				throw new FileSystemException(simPath.toString(), null, "Is a directory");
			}
			if (inode instanceof FileInode file && mode.write() && mode.truncate() && file.size() > 0) {
				this.fileSystem.power().beforeChange("truncate of " + simPath + " on open");
				file.truncate(0);
			}
			SimFileChannel channel = new SimFileChannel(this.fileSystem, simPath, inode, mode.read(), mode.write(),
					mode.append());
			this.fileSystem.openFiles().opened(channel);
			return channel;
		}
	}

	@Override
	public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
			throws IOException {
		SimPath directory = SimPath.of(dir, this.fileSystem);
		List<Path> entries = new ArrayList<>();
		synchronized (this.fileSystem) {
			this.fileSystem.checkOpen();
			for (String name : this.fileSystem.tree().list(directory)) {
				entries.add(directory.resolve(name));
			}
		}
		return new SimDirectoryStream(entries, filter);
	}

	@Override
	public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
		SimPath directory = SimPath.of(dir, this.fileSystem);
		checkNoAttributes(attrs);
		synchronized (this.fileSystem) {
			this.fileSystem.checkOpen();
			this.fileSystem.tree().createDirectory(directory);
		}
	}

	@Override
	public void delete(Path path) throws IOException {
		SimPath simPath = SimPath.of(path, this.fileSystem);
		synchronized (this.fileSystem) {
			this.fileSystem.checkOpen();
			this.fileSystem.tree().delete(simPath);
		}
	}

	@Override
	public void copy(Path source, Path target, CopyOption... options) {
		throw new UnsupportedOperationException(
				"The simulated file system does not copy files; the storage code never does");
	}

	@Override
	public void move(Path source, Path target, CopyOption... options) throws IOException {
		SimPath from = SimPath.of(source, this.fileSystem);
		SimPath to = SimPath.of(target, this.fileSystem);
		boolean replace = false;
		for (CopyOption option : options) {
			if (option == StandardCopyOption.ATOMIC_MOVE || option == StandardCopyOption.REPLACE_EXISTING) {
				// rename(2) replaces the target; an atomic move is that rename.
				replace = true;
			}
			else if (option != LinkOption.NOFOLLOW_LINKS) {
				throw new UnsupportedOperationException(
						"Move option " + option + " is not supported by the simulated file system");
			}
		}
		synchronized (this.fileSystem) {
			this.fileSystem.checkOpen();
			this.fileSystem.tree().move(from, to, replace);
		}
	}

	@Override
	public boolean isSameFile(Path path, Path path2) throws IOException {
		if (path.equals(path2)) {
			return true;
		}
		if (!(path2 instanceof SimPath) || path2.getFileSystem() != this.fileSystem) {
			return false;
		}
		synchronized (this.fileSystem) {
			this.fileSystem.checkOpen();
			DirectoryTree tree = this.fileSystem.tree();
			return tree.existing(SimPath.of(path, this.fileSystem)) == tree.existing((SimPath) path2);
		}
	}

	@Override
	public boolean isHidden(Path path) {
		Path name = SimPath.of(path, this.fileSystem).getFileName();
		return name != null && name.toString().startsWith(".");
	}

	@Override
	public FileStore getFileStore(Path path) {
		throw new UnsupportedOperationException("The simulated file system has no file stores");
	}

	/** Succeeds when {@code path} exists: the simulated disk has no permissions, so every mode is granted. */
	@Override
	public void checkAccess(Path path, AccessMode... modes) throws IOException {
		SimPath simPath = SimPath.of(path, this.fileSystem);
		synchronized (this.fileSystem) {
			this.fileSystem.checkOpen();
			this.fileSystem.tree().existing(simPath);
		}
	}

	@Override
	public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
		SimPath simPath = SimPath.of(path, this.fileSystem);
		return (type == BasicFileAttributeView.class) ? type.cast(new SimFileAttributeView(this, simPath)) : null;
	}

	@Override
	public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
			throws IOException {
		if (type != BasicFileAttributes.class) {
			throw new UnsupportedOperationException(type.getName() + " are not available: the simulated file system "
					+ "supports only BasicFileAttributes");
		}
		return type.cast(read(path));
	}

	@Override
	public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
		return read(path).toMap(attributes);
	}

	@Override
	public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
		throw new UnsupportedOperationException("The simulated file system's attributes can not be set: "
				+ "sizes change by writing, times are always the epoch");
	}

	private SimFileAttributes read(Path path) throws IOException {
		SimPath simPath = SimPath.of(path, this.fileSystem);
		synchronized (this.fileSystem) {
			this.fileSystem.checkOpen();
			return SimFileAttributes.of(this.fileSystem.tree().existing(simPath));
		}
	}

	private void checkUri(URI uri) {
		if (!SCHEME.equalsIgnoreCase(uri.getScheme()) || !this.fileSystem.name().equals(uri.getAuthority())) {
			throw new FileSystemNotFoundException(uri + " is not in the simulated file system " + this.fileSystem.name()
					+ " (" + SCHEME + "://" + this.fileSystem.name() + "/...)");
		}
	}

	private static void checkNoAttributes(FileAttribute<?>[] attrs) {
		if (attrs.length > 0) {
			throw new UnsupportedOperationException("The simulated file system takes no file attributes, got "
					+ attrs[0].name());
		}
	}

	/**
	 * The options of {@code FileChannel.open}, combined as the JDK combines them: no option means
	 * reading, {@code APPEND} means writing, and creating or truncating only counts when writing.
	 */
	private record ChannelOptions(boolean read, boolean write, boolean append, boolean create, boolean createNew,
			boolean truncate) {

		static ChannelOptions of(Set<? extends OpenOption> options) {
			for (OpenOption option : options) {
				// SPARSE is a hint and there are no links to follow; synchronous writes would hide what force does.
				boolean supported = option == LinkOption.NOFOLLOW_LINKS || (option instanceof StandardOpenOption
						&& option != StandardOpenOption.DELETE_ON_CLOSE && option != StandardOpenOption.SYNC
						&& option != StandardOpenOption.DSYNC);
				if (!supported) {
					throw new UnsupportedOperationException("Open option " + option
							+ " is not supported by the simulated file system; use force to make writes durable");
				}
			}
			boolean append = options.contains(StandardOpenOption.APPEND);
			boolean write = append || options.contains(StandardOpenOption.WRITE);
			boolean read = options.contains(StandardOpenOption.READ) || !write;
			boolean truncate = options.contains(StandardOpenOption.TRUNCATE_EXISTING);
			if (read && append) {
				throw new IllegalArgumentException("READ + APPEND not allowed");
			}
			if (append && truncate) {
				throw new IllegalArgumentException("APPEND + TRUNCATE_EXISTING not allowed");
			}
			return new ChannelOptions(read, write, append, options.contains(StandardOpenOption.CREATE),
					options.contains(StandardOpenOption.CREATE_NEW), truncate);
		}

	}

}
