package io.viewstamp.sim;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What happens to a message on the wire besides loss, duplication and ordinary delay: whether it
 * travels as the bytes of the real {@code MessageCodec} (encoded by the sender, decoded by the
 * receiver, as over Netty), whether a bit of those bytes flips, whether it reaches the wrong
 * replica, and whether now and then a message takes very long (long enough to outlive several
 * view changes).
 *
 * @param codec whether messages travel through {@code MessageCodec}
 * @param corruptProbability the chance that one bit of an encoded message flips (needs the codec)
 * @param misrouteProbability the chance that a message between replicas reaches another replica
 * than the one it was sent to
 * @param longDelayProbability the chance that a message is delayed by up to {@code longDelayTicksMax}
 * @param longDelayTicksMax the longest such delay
 */
public record SimWire(boolean codec, double corruptProbability, double misrouteProbability,
		double longDelayProbability, int longDelayTicksMax) {

	public SimWire {
		if (corruptProbability < 0 || corruptProbability > 1 || misrouteProbability < 0 || misrouteProbability > 1
				|| longDelayProbability < 0 || longDelayProbability > 1 || longDelayTicksMax < 1
				|| (corruptProbability > 0 && !codec)) {
			throw new IllegalArgumentException("Invalid wire faults: " + codec + ", " + corruptProbability + ", "
					+ misrouteProbability + ", " + longDelayProbability + ", " + longDelayTicksMax);
		}
	}

	/** Messages as objects, delivered as sent. */
	public static SimWire none() {
		return new SimWire(false, 0, 0, 0, 1);
	}

	/**
	 * Draws the wire of a swarm world: the codec in half of them, each fault on or off with even odds.
	 * @param random the generator
	 * @return the wire
	 */
	public static SimWire random(SplittableRandom random) {
		boolean codec = random.nextBoolean();
		double corrupt = (codec && random.nextBoolean()) ? RandomStreams.logUniform(random, 0.0005, 0.05) : 0;
		double misroute = random.nextBoolean() ? RandomStreams.logUniform(random, 0.0005, 0.02) : 0;
		boolean longDelays = random.nextBoolean();
		return new SimWire(codec, corrupt, misroute, longDelays ? RandomStreams.logUniform(random, 0.0002, 0.01) : 0,
				longDelays ? random.nextInt(200, 5_001) : 1);
	}

	/** The same wire without its faults: the codec stays, nothing is corrupted, misrouted or held long. */
	public SimWire healed() {
		return new SimWire(this.codec, 0, 0, 0, 1);
	}

	/** Whether anything other than plain objects delivered as sent happens. */
	public boolean isActive() {
		return this.codec || this.misrouteProbability > 0 || this.longDelayProbability > 0;
	}

	/** A short description for reports. */
	public String describe() {
		return String.format(Locale.ROOT, "%s, corrupt %.2f%%, misroute %.2f%%, long delays %.2f%% up to %d ticks",
				this.codec ? "codec" : "objects", this.corruptProbability * 100, this.misrouteProbability * 100,
				this.longDelayProbability * 100, this.longDelayTicksMax);
	}

}
