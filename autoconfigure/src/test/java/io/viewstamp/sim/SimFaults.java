package io.viewstamp.sim;

import java.util.SplittableRandom;

/**
 * How hostile one simulated world is: the network's loss, duplication and delay, the storage's
 * latency, and how often partitions, crashes, wiped data directories and client restarts happen.
 * Each seed draws its own, so some seeds are calm and some harsh; probabilities are per tick unless
 * the name says otherwise.
 *
 * @param profile the family the rates were drawn from, for the summary
 * @param packetLossProbability the chance that a sent message is lost
 * @param packetDuplicateProbability the chance that a sent message is delivered twice
 * @param delayTicksMax the most ticks a message travels (at least one); different delays reorder
 * @param storageLatencyTicksMax the most ticks a storage request takes (at least one)
 * @param partitionProbabilityPerTick the chance that a new partition starts on a tick without one
 * @param partitionTicksMax the most ticks a partition lasts
 * @param crashProbabilityPerTick the chance that a running replica crashes on a tick
 * @param powerLossProbabilityPerTick the chance that every running replica crashes at once on a tick,
 * as in a power loss: writes not yet durable are lost on all of them together
 * @param downTicksMax the most ticks a crashed replica stays down
 * @param wipeProbability the chance that a crash also loses the replica's data directory (within the
 * fault budget)
 * @param tornWriteProbability the chance that a crash in the middle of an append leaves a torn entry
 * @param clientRestartProbabilityPerTick the chance that a client process restarts on a tick
 * @param clientRestartSameIdProbability the chance that a restarted client keeps its client id
 * @param eventCrashes crashes timed to protocol events
 * @param wire the codec, corruption, misrouting and long delays of messages
 */
public record SimFaults(Profile profile, double packetLossProbability, double packetDuplicateProbability,
		int delayTicksMax, int storageLatencyTicksMax, double partitionProbabilityPerTick, int partitionTicksMax,
		double crashProbabilityPerTick, double powerLossProbabilityPerTick, int downTicksMax, double wipeProbability,
		double tornWriteProbability, double clientRestartProbabilityPerTick, double clientRestartSameIdProbability,
		EventCrashes eventCrashes, SimWire wire) {

	/** The longest partition a swarm world draws: long enough for several view changes on each side. */
	public static final int SWARM_PARTITION_TICKS_MAX = 5_000;

	/**
	 * The longest message delay any profile draws. It stays under half the replicas' default primary
	 * timeout, so a healed network lets a primary keep its backups.
	 */
	public static final int DELAY_TICKS_MAX = 20;

	/** The longest storage latency any profile draws. */
	public static final int STORAGE_LATENCY_TICKS_MAX = 10;

	/** The share of random worlds drawn by swarm testing rather than from a profile. */
	public static final int SWARM_PERCENT = 40;

	public SimFaults {
		checkProbability(packetLossProbability, "packetLossProbability");
		checkProbability(packetDuplicateProbability, "packetDuplicateProbability");
		checkProbability(partitionProbabilityPerTick, "partitionProbabilityPerTick");
		checkProbability(crashProbabilityPerTick, "crashProbabilityPerTick");
		checkProbability(powerLossProbabilityPerTick, "powerLossProbabilityPerTick");
		checkProbability(wipeProbability, "wipeProbability");
		checkProbability(tornWriteProbability, "tornWriteProbability");
		checkProbability(clientRestartProbabilityPerTick, "clientRestartProbabilityPerTick");
		checkProbability(clientRestartSameIdProbability, "clientRestartSameIdProbability");
		if (delayTicksMax < 1 || storageLatencyTicksMax < 1 || partitionTicksMax < 1 || downTicksMax < 1) {
			throw new IllegalArgumentException("delays, latencies and durations are at least one tick: " + this);
		}
		if (eventCrashes == null || wire == null) {
			throw new IllegalArgumentException("eventCrashes and wire are required (their none() for none)");
		}
	}

	/** Faults without crashes timed to protocol events. */
	public SimFaults(Profile profile, double packetLossProbability, double packetDuplicateProbability, int delayTicksMax,
			int storageLatencyTicksMax, double partitionProbabilityPerTick, int partitionTicksMax,
			double crashProbabilityPerTick, double powerLossProbabilityPerTick, int downTicksMax, double wipeProbability,
			double tornWriteProbability, double clientRestartProbabilityPerTick, double clientRestartSameIdProbability) {
		this(profile, packetLossProbability, packetDuplicateProbability, delayTicksMax, storageLatencyTicksMax,
				partitionProbabilityPerTick, partitionTicksMax, crashProbabilityPerTick, powerLossProbabilityPerTick,
				downTicksMax, wipeProbability, tornWriteProbability, clientRestartProbabilityPerTick,
				clientRestartSameIdProbability, EventCrashes.none(), SimWire.none());
	}

	/** No fault at all: every message arrives once, one tick after it was sent; storage takes one tick. */
	public static SimFaults none() {
		return new SimFaults(Profile.NONE, 0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0);
	}

	/**
	 * Draws the faults of one seed: a profile, then rates within it.
	 * @param random the seed's generator for this choice
	 * @return the drawn faults
	 */
	public static SimFaults random(SplittableRandom random) {
		int profileDraw = random.nextInt(100);
		if (profileDraw < SWARM_PERCENT) {
			return swarm(random.split());
		}
		if (profileDraw < 25) {
			return new SimFaults(Profile.CALM, uniform(random, 0, 0.01), uniform(random, 0, 0.01),
					random.nextInt(1, 4), random.nextInt(1, 4), 1.0 / 8_000, 500, 1.0 / 20_000, 0, 500, 0.1, 0.2,
					1.0 / 20_000, 0.2);
		}
		if (profileDraw < 70) {
			return new SimFaults(Profile.MODERATE, uniform(random, 0, 0.05), uniform(random, 0, 0.05),
					random.nextInt(1, 11), random.nextInt(1, 6), 1.0 / 2_000, 1_000, 1.0 / 5_000, 1.0 / 10_000, 1_000, 0.2, 0.5,
					1.0 / 8_000, 0.2);
		}
		return new SimFaults(Profile.HARSH, uniform(random, 0.02, 0.2), uniform(random, 0, 0.1),
				random.nextInt(5, DELAY_TICKS_MAX + 1), random.nextInt(2, STORAGE_LATENCY_TICKS_MAX + 1),
				1.0 / 600, 1_500, 1.0 / 1_500, 1.0 / 3_000, 2_000, 0.3, 0.5, 1.0 / 3_000,
				0.2);
	}

	/**
	 * Swarm testing (Groce et al., 2012): each fault kind is switched on or off with even odds, and
	 * the rates of those on are drawn from ranges far wider than the profiles', log-uniform, so that
	 * some worlds are dominated by one fault (a network that only duplicates, a cluster that only
	 * crashes at votes, partitions that last thousands of ticks) and reach interleavings a mix of
	 * everything at moderate rates seldom does. Crashes timed to protocol events are swarm-only.
	 */
	private static SimFaults swarm(SplittableRandom random) {
		double loss = random.nextBoolean() ? RandomStreams.logUniform(random, 0.001, 0.3) : 0;
		double duplicates = random.nextBoolean() ? RandomStreams.logUniform(random, 0.001, 0.3) : 0;
		boolean partitions = random.nextBoolean();
		// Up to one partition every 50 ticks: short partitions in quick succession flap the network.
		double partitionRate = partitions ? RandomStreams.logUniform(random, 1.0 / 20_000, 1.0 / 50) : 0;
		int partitionTicksMax = partitions ? random.nextInt(10, SWARM_PARTITION_TICKS_MAX + 1) : 1;
		double crashRate = random.nextBoolean() ? RandomStreams.logUniform(random, 1.0 / 50_000, 1.0 / 500) : 0;
		double powerLossRate = random.nextBoolean() ? RandomStreams.logUniform(random, 1.0 / 50_000, 1.0 / 2_000) : 0;
		double wipe = random.nextBoolean() ? random.nextDouble(0, 0.5) : 0;
		double torn = random.nextBoolean() ? random.nextDouble(0, 1) : 0;
		double clientRestarts = random.nextBoolean() ? RandomStreams.logUniform(random, 1.0 / 20_000, 1.0 / 1_000) : 0;
		EventCrashes eventCrashes = random.nextBoolean() ? EventCrashes.random(random) : EventCrashes.none();
		SimWire wire = SimWire.random(random);
		return new SimFaults(Profile.SWARM, loss, duplicates, random.nextInt(1, DELAY_TICKS_MAX + 1),
				random.nextInt(1, STORAGE_LATENCY_TICKS_MAX + 1), partitionRate, partitionTicksMax, crashRate, powerLossRate,
				random.nextInt(1, 2_000), wipe, torn, clientRestarts, random.nextDouble(0, 0.5), eventCrashes, wire);
	}

	/**
	 * The faults of the liveness phase: the same delays and latencies (they are not failures), but
	 * nothing lost, duplicated, partitioned, crashed or restarted.
	 * @return the healed faults
	 */
	public SimFaults healed() {
		return new SimFaults(this.profile, 0, 0, this.delayTicksMax, this.storageLatencyTicksMax, 0,
				this.partitionTicksMax, 0, 0, this.downTicksMax, 0, 0, 0, 0, EventCrashes.none(), this.wire.healed());
	}

	/**
	 * A copy with another network: for scripted scenarios that want loss or reordering only.
	 * @param packetLossProbability the chance that a message is lost
	 * @param packetDuplicateProbability the chance that a message is delivered twice
	 * @param delayTicksMax the most ticks a message travels
	 * @return the copy
	 */
	public SimFaults withNetwork(double packetLossProbability, double packetDuplicateProbability, int delayTicksMax) {
		return new SimFaults(this.profile, packetLossProbability, packetDuplicateProbability, delayTicksMax,
				this.storageLatencyTicksMax, this.partitionProbabilityPerTick, this.partitionTicksMax,
				this.crashProbabilityPerTick, this.powerLossProbabilityPerTick, this.downTicksMax, this.wipeProbability,
				this.tornWriteProbability, this.clientRestartProbabilityPerTick, this.clientRestartSameIdProbability,
				this.eventCrashes, this.wire);
	}

	private static double uniform(SplittableRandom random, double low, double high) {
		return (low == high) ? low : random.nextDouble(low, high);
	}

	private static void checkProbability(double probability, String name) {
		if (!(probability >= 0 && probability <= 1)) {
			throw new IllegalArgumentException(name + " must be within 0..1, got " + probability);
		}
	}

	/** The families of fault rates. */
	public enum Profile {

		/** No faults: scripted scenarios. */
		NONE,

		/** Rare faults, short delays. */
		CALM,

		/** Regular faults. */
		MODERATE,

		/** Frequent faults, heavy loss, long delays. */
		HARSH,

		/** Each fault kind on or off, rates from wide ranges ({@link #swarm}). */
		SWARM

	}

}
