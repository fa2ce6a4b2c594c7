package io.viewstamp.sim;

import java.util.SplittableRandom;

import io.viewstamp.vsr.DurableState;
import io.viewstamp.vsr.Storage;
import io.viewstamp.vsr.Superblock;

/**
 * The disk of one simulated host, which outlives the replica processes that run on it: the modelled
 * {@link SimStorage}, or the real storage on the simulator's file system ({@link FileDisk}).
 */
interface HostDisk {

	/**
	 * A process starts on the disk: what the disk holds is read (for the real storage, its whole
	 * recovery runs), and its completions go to {@code completions} from now on.
	 * @param completions the new process's callbacks
	 * @return the storage the process writes to
	 * @throws Unavailable when a read fails, as a failing sector's may; nothing was changed
	 */
	Storage open(SimStorage.Completions completions);

	/** Whether the disk, as last opened or now durable, holds a superblock a replica can restart from. */
	boolean hasSuperblock();

	/**
	 * What the process that just opened the disk found on it.
	 * @throws IllegalStateException when it holds no superblock
	 */
	DurableState durableState();

	/** The newest superblock known durable, {@code null} when there is none. */
	Superblock durableSuperblock();

	/** Tells the disk the current tick, at the start of every tick. */
	void advanceTo(long now);

	/**
	 * Completes the requests due by {@code now}, calling the process back.
	 * @param now the current tick
	 * @param chaos whether power losses may strike in the middle of a write
	 * @return {@code true} when power failed in the middle of a write: the host must be crashed
	 */
	boolean completeDue(long now, boolean chaos);

	/**
	 * The process died: what was not durable is lost.
	 * @param tearWrite whether an append in progress leaves a torn entry behind (the modelled disk;
	 * the real one tears what a crash finds unsynced anyway)
	 * @return whether a write was torn
	 */
	boolean crash(boolean tearWrite);

	/** The data directory is gone. */
	void wipe();

	/**
	 * Damages what the crashed host holds durably, as a failing sector would, in a way its replica
	 * must notice and repair.
	 * @param random where to draw the damage from
	 * @return what was damaged, or {@code null} when nothing could be
	 */
	String corrupt(SplittableRandom random);

	/** Whether damage is waiting to be repaired; the fault budget counts such a host as faulty. */
	boolean hasCorruption();

	/** The number of requests not yet completed. */
	int pendingCount();

	/** The disk could not be read this time: the process does not start, and may on the next try. */
	final class Unavailable extends RuntimeException {

		private static final long serialVersionUID = 1L;

		Unavailable(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
