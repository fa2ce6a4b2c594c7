package io.viewstamp.sim;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Independent random streams derived from one seed, one per named component. A component that
 * draws one number more or less changes only its own stream, so a change in the network model does
 * not reshuffle the clients' workload of the same seed.
 */
final class RandomStreams {

	private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;

	private static final long FNV_PRIME = 0x100000001b3L;

	private RandomStreams() {
	}

	/**
	 * The stream of one component.
	 * @param seed the world's seed
	 * @param component a stable name, such as {@code "network"} or {@code "client-3"}
	 * @return a generator that depends only on the seed and the name
	 */
	static SplittableRandom of(long seed, String component) {
		long hash = FNV_OFFSET_BASIS;
		for (byte octet : component.getBytes(StandardCharsets.UTF_8)) {
			hash = (hash ^ (octet & 0xff)) * FNV_PRIME;
		}
		// SplittableRandom mixes its seed, so seeds that differ in a few bits still give unrelated streams.
		return new SplittableRandom(seed ^ hash);
	}

	/**
	 * A draw between {@code low} and {@code high} whose logarithm is uniform: rates a hundred times
	 * apart are as likely as rates twice apart, so wide ranges reach both ends.
	 * @param random the generator
	 * @param low the smallest value, above zero
	 * @param high the largest value
	 * @return the draw
	 */
	static double logUniform(SplittableRandom random, double low, double high) {
		return Math.exp(random.nextDouble(Math.log(low), Math.log(high)));
	}

}
