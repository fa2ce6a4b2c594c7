package io.viewstamp.sim.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What clients do on their own: PUTs and GETs on a small set of keys, so that clients keep
 * colliding on the same keys, with a random pause between one result and the next operation. Every
 * PUT writes a value no other PUT writes, so a read names the write it saw.
 *
 * @param keys the keys
 * @param putProbability the chance that an operation is a PUT
 * @param thinkTicksMax the most ticks between a result and the next operation
 */
public record SimWorkload(List<String> keys, double putProbability, int thinkTicksMax) {

	public SimWorkload {
		keys = List.copyOf(keys);
		if (keys.isEmpty()) {
			throw new IllegalArgumentException("A workload needs at least one key");
		}
	}

	/**
	 * A workload on the keys {@code k0 .. k(keyCount-1)}.
	 * @param keyCount the number of keys
	 * @param putProbability the chance that an operation is a PUT
	 * @param thinkTicksMax the most ticks between a result and the next operation
	 * @return the workload
	 */
	public static SimWorkload ofKeys(int keyCount, double putProbability, int thinkTicksMax) {
		List<String> keys = new ArrayList<>();
		for (int key = 0; key < keyCount; key++) {
			keys.add("k" + key);
		}
		return new SimWorkload(keys, putProbability, thinkTicksMax);
	}

	/**
	 * Draws the next operation of a client.
	 * @param random the client's random stream
	 * @param uniqueValue the value a PUT writes, unique among all PUTs
	 * @return the command
	 */
	public KvCommand next(SplittableRandom random, String uniqueValue) {
		String key = this.keys.get(random.nextInt(this.keys.size()));
		return (random.nextDouble() < this.putProbability) ? KvCommand.put(key, uniqueValue) : KvCommand.get(key);
	}

	/**
	 * Draws a pause.
	 * @param random the client's random stream
	 * @return ticks to wait
	 */
	public int thinkTicks(SplittableRandom random) {
		return random.nextInt(this.thinkTicksMax + 1);
	}

}
