package io.viewstamp.sim;

/**
 * A running 64-bit hash (FNV-1a) of everything that happened in a world: every delivered message,
 * every commit, every fault. Two runs of one seed must end with the same fingerprint; if they do
 * not, something depends on more than the seed (a hash code, the wall clock, a thread).
 */
public final class TraceFingerprint {

	private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;

	private static final long FNV_PRIME = 0x100000001b3L;

	private long hash = FNV_OFFSET_BASIS;

	private long events;

	/**
	 * Adds one event.
	 * @param tick when it happened
	 * @param description its full description (for a message, its {@code toString})
	 */
	public void record(long tick, String description) {
		mix(tick);
		for (int position = 0; position < description.length(); position++) {
			this.hash = (this.hash ^ description.charAt(position)) * FNV_PRIME;
		}
		this.events++;
	}

	/**
	 * Adds one event made of numbers only, cheaper than a description.
	 * @param tick when it happened
	 * @param first a number describing it
	 * @param second another
	 * @param third another
	 */
	public void record(long tick, long first, long second, long third) {
		mix(tick);
		mix(first);
		mix(second);
		mix(third);
		this.events++;
	}

	/** The hash so far. */
	public long value() {
		return this.hash;
	}

	/** The number of events recorded. */
	public long events() {
		return this.events;
	}

	private void mix(long value) {
		for (int shift = 0; shift < Long.SIZE; shift += Byte.SIZE) {
			this.hash = (this.hash ^ ((value >>> shift) & 0xff)) * FNV_PRIME;
		}
	}

}
