package io.viewstamp.sim.disk;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;

/**
 * A path of a {@link SimFileSystem}: Unix syntax, {@code /} as separator and root, no drive, no
 * links. Purely lexical, as {@link Path} is: nothing here looks at the disk except
 * {@link #toRealPath}. A relative path is relative to the root.
 */
final class SimPath implements Path {

	private final SimFileSystem fileSystem;

	private final boolean absolute;

	private final List<String> names;

	private SimPath(SimFileSystem fileSystem, boolean absolute, List<String> names) {
		this.fileSystem = fileSystem;
		this.absolute = absolute;
		this.names = List.copyOf(names);
	}

	/** Parses {@code first} and {@code more}, joined by {@code /}; empty names (as in {@code a//b}) are dropped. */
	static SimPath parse(SimFileSystem fileSystem, String first, String... more) {
		StringBuilder joined = new StringBuilder(first);
		for (String part : more) {
			if (!part.isEmpty()) {
				joined.append('/').append(part);
			}
		}
		String text = joined.toString();
		if (text.indexOf('\0') >= 0) {
			throw new InvalidPathException(text, "Nul character not allowed");
		}
		List<String> names = new ArrayList<>();
		for (String name : text.split("/")) {
			if (!name.isEmpty()) {
				names.add(name);
			}
		}
		return new SimPath(fileSystem, text.startsWith("/"), names);
	}

	/** {@code path} as a path of {@code fileSystem}. */
	static SimPath of(Path path, SimFileSystem fileSystem) {
		if (!(path instanceof SimPath simPath) || simPath.fileSystem != fileSystem) {
			throw new ProviderMismatchException(path + " is not a path of the simulated file system " + fileSystem.name());
		}
		return simPath;
	}

	/** The names from the root, with {@code .} and {@code ..} resolved; what the disk is searched with. */
	List<String> absoluteNames() {
		return ((SimPath) toAbsolutePath().normalize()).names;
	}

	@Override
	public SimFileSystem getFileSystem() {
		return this.fileSystem;
	}

	@Override
	public boolean isAbsolute() {
		return this.absolute;
	}

	@Override
	public Path getRoot() {
		return this.absolute ? new SimPath(this.fileSystem, true, List.of()) : null;
	}

	@Override
	public Path getFileName() {
		int size = this.names.size();
		return (size == 0) ? null : new SimPath(this.fileSystem, false, this.names.subList(size - 1, size));
	}

	@Override
	public Path getParent() {
		if (this.names.isEmpty() || (this.names.size() == 1 && !this.absolute)) {
			return null;
		}
		return new SimPath(this.fileSystem, this.absolute, this.names.subList(0, this.names.size() - 1));
	}

	@Override
	public int getNameCount() {
		return this.names.size();
	}

	@Override
	public Path getName(int index) {
		return subpath(index, index + 1);
	}

	@Override
	public Path subpath(int beginIndex, int endIndex) {
		if (beginIndex < 0 || endIndex > this.names.size() || beginIndex >= endIndex) {
			throw new IllegalArgumentException("No names " + beginIndex + ".." + endIndex + " in " + this + ", which has "
					+ this.names.size());
		}
		return new SimPath(this.fileSystem, false, this.names.subList(beginIndex, endIndex));
	}

	@Override
	public boolean startsWith(Path other) {
		if (!(other instanceof SimPath prefix) || prefix.fileSystem != this.fileSystem || prefix.absolute != this.absolute
				|| prefix.names.size() > this.names.size()) {
			return false;
		}
		return this.names.subList(0, prefix.names.size()).equals(prefix.names);
	}

	@Override
	public boolean endsWith(Path other) {
		if (!(other instanceof SimPath suffix) || suffix.fileSystem != this.fileSystem) {
			return false;
		}
		if (suffix.absolute) {
			return equals(suffix);
		}
		int size = this.names.size();
		return suffix.names.size() <= size && this.names.subList(size - suffix.names.size(), size).equals(suffix.names);
	}

	@Override
	public Path normalize() {
		List<String> normal = new ArrayList<>();
		for (String name : this.names) {
			if (name.equals(".")) {
				continue;
			}
			boolean canGoUp = !normal.isEmpty() && !normal.get(normal.size() - 1).equals("..");
			if (name.equals("..") && canGoUp) {
				normal.remove(normal.size() - 1);
			}
			else if (!name.equals("..") || !this.absolute) {
				// ".." above the root is the root; above a relative path it stays.
				normal.add(name);
			}
		}
		return new SimPath(this.fileSystem, this.absolute, normal);
	}

	@Override
	public Path resolve(Path other) {
		SimPath child = of(other, this.fileSystem);
		if (child.absolute) {
			return child;
		}
		List<String> joined = new ArrayList<>(this.names);
		joined.addAll(child.names);
		return new SimPath(this.fileSystem, this.absolute, joined);
	}

	@Override
	public Path relativize(Path other) {
		SimPath target = of(other, this.fileSystem);
		if (target.absolute != this.absolute) {
			throw new IllegalArgumentException("Cannot relativize " + target + " against " + this
					+ ": one path is absolute and the other is not");
		}
		int common = 0;
		while (common < this.names.size() && common < target.names.size()
				&& this.names.get(common).equals(target.names.get(common))) {
			common++;
		}
		List<String> relative = new ArrayList<>();
		for (int up = common; up < this.names.size(); up++) {
			relative.add("..");
		}
		relative.addAll(target.names.subList(common, target.names.size()));
		return new SimPath(this.fileSystem, false, relative);
	}

	@Override
	public URI toUri() {
		try {
			return new URI(SimFileSystemProvider.SCHEME, this.fileSystem.name(), toAbsolutePath().toString(), null, null);
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException("The simulated file system's name '" + this.fileSystem.name()
					+ "' can not be the authority of a URI: " + ex.getMessage(), ex);
		}
	}

	@Override
	public Path toAbsolutePath() {
		return this.absolute ? this : new SimPath(this.fileSystem, true, this.names);
	}

	@Override
	public Path toRealPath(LinkOption... options) throws IOException {
		Path real = toAbsolutePath().normalize();
		this.fileSystem.provider().checkAccess(real);
		return real;
	}

	@Override
	public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
		throw new UnsupportedOperationException("The simulated file system has no watch service");
	}

	@Override
	public int compareTo(Path other) {
		return toString().compareTo(of(other, this.fileSystem).toString());
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof SimPath path && path.fileSystem == this.fileSystem && path.absolute == this.absolute
				&& path.names.equals(this.names);
	}

	@Override
	public int hashCode() {
		return 31 * this.names.hashCode() + (this.absolute ? 1 : 0);
	}

	@Override
	public String toString() {
		return (this.absolute ? "/" : "") + String.join("/", this.names);
	}

}
