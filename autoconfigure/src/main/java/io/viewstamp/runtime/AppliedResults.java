package io.viewstamp.runtime;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Digests of the results this replica's state machine computed for its most recent ops, so that
 * a result the primary returned can be checked against the one computed here: the same command
 * applied to the same state must give the same result on every replica, and a difference means
 * this replica's state has diverged. Only the loop thread uses it.
 */
final class AppliedResults {

	/** Ops remembered; a reply for an older op is not checked. */
	static final int OPS_REMEMBERED_MAX = 4096;

	private final Map<Long, long[]> digestsByOp = new LinkedHashMap<>(256, 0.75f, false) {

		private static final long serialVersionUID = 1L;

		@Override
		protected boolean removeEldestEntry(Map.Entry<Long, long[]> eldest) {
			return size() > OPS_REMEMBERED_MAX;
		}

	};

	/** Remembers the results of {@code op}'s commands. */
	void remember(long op, List<byte[]> results) {
		long[] digests = new long[results.size()];
		for (int index = 0; index < digests.length; index++) {
			digests[index] = digest(results.get(index));
		}
		this.digestsByOp.put(op, digests);
	}

	/**
	 * Whether {@code result} is one this replica computed for {@code op}; {@code true} also when the
	 * op is not remembered (too old, or it carried no command), since nothing contradicts it.
	 */
	boolean agrees(long op, byte[] result) {
		long[] digests = this.digestsByOp.get(op);
		if (digests == null) {
			return true;
		}
		long digest = digest(result);
		for (long computed : digests) {
			if (computed == digest) {
				return true;
			}
		}
		return false;
	}

	/** The first 64 bits of the SHA-256 of {@code bytes}. */
	static long digest(byte[] bytes) {
		try {
			return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(bytes)).getLong();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

}
