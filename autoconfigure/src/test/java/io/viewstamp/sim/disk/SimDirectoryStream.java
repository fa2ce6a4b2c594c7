package io.viewstamp.sim.disk;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The entries of a simulated directory as they were when the stream was opened, sorted by name
 * (a real listing comes in the file system's own order; a sorted one replays the same), filtered
 * as they are iterated, as the JDK's stream does.
 */
final class SimDirectoryStream implements DirectoryStream<Path> {

	private final List<Path> entries;

	private final Filter<? super Path> filter;

	private boolean iterated;

	private volatile boolean closed;

	SimDirectoryStream(List<Path> entries, Filter<? super Path> filter) {
		this.entries = List.copyOf(entries);
		this.filter = filter;
	}

	@Override
	public synchronized Iterator<Path> iterator() {
		if (this.closed) {
			throw new IllegalStateException("Directory stream is closed");
		}
		if (this.iterated) {
			throw new IllegalStateException("Iterator already obtained: a directory stream is iterated once");
		}
		this.iterated = true;
		return new Entries();
	}

	@Override
	public void close() {
		this.closed = true;
	}

	/** Iterates the accepted entries; after the stream is closed it has no more. */
	private final class Entries implements Iterator<Path> {

		private int index;

		private Path next;

		@Override
		public boolean hasNext() {
			List<Path> entries = SimDirectoryStream.this.entries;
			while (this.next == null && !SimDirectoryStream.this.closed && this.index < entries.size()) {
				Path candidate = entries.get(this.index++);
				if (accepts(candidate)) {
					this.next = candidate;
				}
			}
			return this.next != null;
		}

		@Override
		public Path next() {
			if (!hasNext()) {
				throw new NoSuchElementException("No more entries in the directory stream");
			}
			Path entry = this.next;
			this.next = null;
			return entry;
		}

		private boolean accepts(Path candidate) {
			try {
				return SimDirectoryStream.this.filter.accept(candidate);
			}
			catch (IOException ex) {
				throw new DirectoryIteratorException(ex);
			}
		}

	}

}
