package io.viewstamp.runtime;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.viewstamp.vsr.Checksums;

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
	 * Whether {@code result} is one this replica computed for {@code op}, which it may no longer
	 * remember (too old, or covered by a snapshot it installed).
	 */
	Comparison compare(long op, byte[] result) {
		long[] digests = this.digestsByOp.get(op);
		if (digests == null) {
			return Comparison.NOT_REMEMBERED;
		}
		long digest = digest(result);
		for (long computed : digests) {
			if (computed == digest) {
				return Comparison.AGREES;
			}
		}
		return Comparison.DIFFERS;
	}

	/** How a result of the primary compares with those this replica computed for the same op. */
	enum Comparison {

		/** This replica computed the same result. */
		AGREES,

		/** This replica computed no such result: one of the two states has diverged. */
		DIFFERS,

		/** This replica does not remember its results for the op: nothing to compare. */
		NOT_REMEMBERED

	}

	/** The first 64 bits of the SHA-256 of {@code bytes}. */
	static long digest(byte[] bytes) {
		return ByteBuffer.wrap(Checksums.sha256(bytes)).getLong();
	}

}
