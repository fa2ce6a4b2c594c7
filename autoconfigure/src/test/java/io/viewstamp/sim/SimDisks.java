package io.viewstamp.sim;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Which disks a world's replicas run on, and how those disks fail. A replica runs either on the
 * modelled {@link SimStorage}, fast and exact about what the {@code Storage} contract allows, or on
 * the real {@code FileStorage} (journal segments, superblock copies, snapshot files) over the
 * simulator's file system, where a crash loses unsynced data sector by sector and a power loss can
 * strike in the middle of a group commit.
 *
 * @param filesPercent the chance, in percent, that a replica runs on the real storage
 * @param powerLossInWriteProbability the chance that a group commit during the chaos phase is cut
 * short by a power loss of its replica, at a random one of its writes and syncs
 * @param damageProbability the chance that a crash of a replica on the real storage, when the
 * fault budget allows damage, also damages its disk: a bit flipped in one copy of its superblock
 * (never both: that is the loss of the data directory) or in its newest snapshot, or a read that fails
 * @param segmentSizeBytes the journal's segment size, small so that segments roll over often
 * @param forceSkipped a canary: the real storage skips every {@code fsync} of a file
 */
public record SimDisks(int filesPercent, double powerLossInWriteProbability, double damageProbability,
		long segmentSizeBytes, boolean forceSkipped) {

	/** The segment size of worlds that do not draw one: a few dozen of the simulator's entries. */
	public static final long SEGMENT_SIZE_BYTES = 16 << 10;

	public SimDisks {
		if (filesPercent < 0 || filesPercent > 100) {
			throw new IllegalArgumentException("filesPercent is a percentage, got " + filesPercent);
		}
		if (!(powerLossInWriteProbability >= 0 && powerLossInWriteProbability <= 1)
				|| !(damageProbability >= 0 && damageProbability <= 1)) {
			throw new IllegalArgumentException("probabilities lie in 0..1: " + this);
		}
	}

	/** Every replica on the modelled storage. */
	public static SimDisks modelled() {
		return new SimDisks(0, 0, 0, SEGMENT_SIZE_BYTES, false);
	}

	/**
	 * Draws a world's disks: half the worlds keep the modelled storage, a sixth mix both, a third
	 * run every replica on the real one; power losses strike in up to a tenth of the group commits.
	 * @param random the seed's stream for disks
	 * @return the disks
	 */
	public static SimDisks random(SplittableRandom random) {
		int kind = random.nextInt(6);
		int filesPercent = (kind < 3) ? 0 : (kind == 3) ? 50 : 100;
		double powerLoss = (random.nextInt(3) == 0) ? 0 : random.nextDouble(0.001, 0.1);
		double damage = random.nextBoolean() ? 0 : random.nextDouble(0.3, 1);
		long segmentSizeBytes = 4096L * random.nextInt(1, 17);
		return new SimDisks(filesPercent, powerLoss, damage, segmentSizeBytes, false);
	}

	/**
	 * A copy whose real storage skips every fsync of a file, the canary that proves a seed notices.
	 * @return the copy, with every replica on the real storage
	 */
	public SimDisks withForceSkipped() {
		return new SimDisks(100, this.powerLossInWriteProbability, this.damageProbability,
				this.segmentSizeBytes, true);
	}

	/** A short description for reports. */
	public String describe() {
		if (this.filesPercent == 0) {
			return "modelled";
		}
		return String.format(Locale.ROOT, "files on %d%% of replicas (power loss in %.1f%% of group commits, "
				+ "damage in %.0f%% of crashes, segments of %d KiB%s)", this.filesPercent,
				this.powerLossInWriteProbability * 100, this.damageProbability * 100,
				this.segmentSizeBytes >> 10, this.forceSkipped ? ", fsync of files SKIPPED" : "");
	}

}
