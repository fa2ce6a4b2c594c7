package io.viewstamp.storage;

import java.nio.file.Path;

/**
 * One journal segment file, as the journal tracks it: where it is, how long it is, and the highest
 * op of an entry it holds, which says when a snapshot makes the whole segment unnecessary.
 */
final class Segment {

	static final String PREFIX = "segment-";

	static final String SUFFIX = ".log";

	final long sequence;

	final Path path;

	long sizeBytes;

	/**
	 * The highest op of any entry frame in this segment, intact or not, superseded or not (and of
	 * the ops a corrupt stretch of it may hide), 0 when it holds none.
	 */
	long maxEntryOp;

	Segment(long sequence, Path path, long sizeBytes) {
		this.sequence = sequence;
		this.path = path;
		this.sizeBytes = sizeBytes;
	}

	static String fileName(long sequence) {
		return PREFIX + DataDirectory.digits(sequence) + SUFFIX;
	}

	@Override
	public String toString() {
		return this.path.getFileName() + " (" + this.sizeBytes + " bytes, entries up to op " + this.maxEntryOp + ")";
	}

}
