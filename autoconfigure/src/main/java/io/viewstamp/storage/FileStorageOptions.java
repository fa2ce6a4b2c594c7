package io.viewstamp.storage;

/**
 * The limits of a {@link FileStorage}.
 *
 * @param segmentSizeBytes the size at which a journal segment is closed and the next one begun: a
 * frame that would make the segment larger goes into a new one (a frame larger than this gets a
 * segment of its own)
 * @param queuedRequestsMax the storage requests that may wait for the disk; one more is refused
 * with an exception rather than blocking the caller or growing without bound
 */
public record FileStorageOptions(long segmentSizeBytes, int queuedRequestsMax) {

	/** Default for {@link #segmentSizeBytes()}. */
	public static final long SEGMENT_SIZE_BYTES = 64L << 20;

	/** The smallest {@link #segmentSizeBytes()} allowed. */
	public static final long SEGMENT_SIZE_BYTES_MIN = 4L << 10;

	/** The largest {@link #segmentSizeBytes()} allowed. */
	public static final long SEGMENT_SIZE_BYTES_MAX = 1L << 30;

	/** Default for {@link #queuedRequestsMax()}: far more than a replica's pipeline and repairs need. */
	public static final int QUEUED_REQUESTS_MAX = 16_384;

	public FileStorageOptions {
		if (segmentSizeBytes < SEGMENT_SIZE_BYTES_MIN || segmentSizeBytes > SEGMENT_SIZE_BYTES_MAX) {
			throw new IllegalArgumentException("Journal segment size " + segmentSizeBytes + " bytes is outside "
					+ SEGMENT_SIZE_BYTES_MIN + ".." + SEGMENT_SIZE_BYTES_MAX + " bytes: give a segment size within it (the default is "
					+ SEGMENT_SIZE_BYTES + " bytes)");
		}
		if (queuedRequestsMax < 1) {
			throw new IllegalArgumentException("queuedRequestsMax must be at least 1, got " + queuedRequestsMax);
		}
	}

	/** The defaults. */
	public static FileStorageOptions defaults() {
		return new FileStorageOptions(SEGMENT_SIZE_BYTES, QUEUED_REQUESTS_MAX);
	}

	/** A copy with another segment size. */
	public FileStorageOptions withSegmentSizeBytes(long segmentSizeBytes) {
		return new FileStorageOptions(segmentSizeBytes, this.queuedRequestsMax);
	}

	/** A copy with another queue bound. */
	public FileStorageOptions withQueuedRequestsMax(int queuedRequestsMax) {
		return new FileStorageOptions(this.segmentSizeBytes, queuedRequestsMax);
	}

}
