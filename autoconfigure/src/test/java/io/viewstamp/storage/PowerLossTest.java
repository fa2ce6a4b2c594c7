package io.viewstamp.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.viewstamp.sim.disk.SimFileSystem;
import io.viewstamp.sim.disk.SimulatedPowerLoss;
import io.viewstamp.vsr.DurableState;
import io.viewstamp.vsr.LogEntry;

import static io.viewstamp.storage.TestLogs.CLUSTER_ID;
import static io.viewstamp.storage.TestLogs.REPLICA;
import static io.viewstamp.storage.TestLogs.REPLICA_COUNT;
import static io.viewstamp.storage.TestLogs.chain;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storage on a disk that loses power: the simulator's file system keeps what was not synced
 * apart, and a crash loses, tears or reorders it sector by sector and forgets directory entries
 * not synced. Whatever the storage reported durable must be there afterwards; a storage that skips
 * its fsyncs must be seen losing something.
 */
class PowerLossTest {

	private static final int SEEDS = 50;

	/** More than any group commit here makes writes and syncs, so every moment of one is tried. */
	private static final int OPERATIONS_MAX = 12;

	private static final int ENTRIES_PER_BATCH = 5;

	private static final long SEGMENT_SIZE_BYTES = 8 << 10;

	@Test
	void aDataDirectorySeveralLevelsDeepSurvivesAPowerLossRightAfterItIsFormatted() {
		for (long seed = 0; seed < SEEDS; seed++) {
			SimFileSystem disk = SimFileSystem.create("format-" + seed);
			Path dataDirectory = disk.getPath("/srv/viewstamp/replica-1");
			FileStorage.format(dataDirectory, CLUSTER_ID, REPLICA, REPLICA_COUNT);
			disk.crash(new SplittableRandom(seed));
			assertThat(FileStorage.holdsSuperblock(dataDirectory)).as("superblock after a power loss, seed %d", seed)
				.isTrue();
		}
	}

	@Test
	void everyEntryReportedDurableSurvivesAPowerLossAtAnyMomentOfTheNextGroupCommit() {
		for (int operations = 0; operations < OPERATIONS_MAX; operations++) {
			for (long seed = 0; seed < SEEDS; seed++) {
				Outcome outcome = loseTheSecondGroupCommit(operations, seed, false);
				assertThat(outcome.recovered()).as("power lost after %d operations, seed %d", operations, seed)
					.startsWith(outcome.acknowledged().toArray(LogEntry[]::new));
			}
		}
	}

	@Test
	void aStorageThatSkipsItsFsyncsLosesAnEntryItReportedDurable() {
		boolean lost = false;
		for (int operations = 0; operations < OPERATIONS_MAX && !lost; operations++) {
			for (long seed = 0; seed < SEEDS && !lost; seed++) {
				Outcome outcome = loseTheSecondGroupCommit(operations, seed, true);
				lost = outcome.recovered().size() < outcome.acknowledged().size();
			}
		}
		assertThat(lost).as("a skipped fsync lost nothing in any of the power losses tried").isTrue();
	}

	/**
	 * Writes one batch and has it reported durable, then loses power after {@code operations} writes
	 * and syncs of the next batch, and opens the directory again.
	 */
	private static Outcome loseTheSecondGroupCommit(int operations, long seed, boolean forceSkipped) {
		SimFileSystem disk = SimFileSystem.create("power-loss-" + operations + "-" + seed);
		Path dataDirectory = disk.getPath("/var/lib/viewstamp");
		FileStorage.format(dataDirectory, CLUSTER_ID, REPLICA, REPLICA_COUNT);
		List<LogEntry> entries = chain(2 * ENTRIES_PER_BATCH, 700);
		List<LogEntry> acknowledged = new ArrayList<>();
		TestLogs.Recorder recorder = new TestLogs.Recorder() {

			@Override
			public void onEntryWritten(long op, long checksum) {
				acknowledged.add(entries.get((int) op - 1));
			}

		};
		SteppedFileStorage storage = SteppedFileStorage.open(dataDirectory, CLUSTER_ID, REPLICA, REPLICA_COUNT,
				SEGMENT_SIZE_BYTES, recorder, forceSkipped);
		entries.subList(0, ENTRIES_PER_BATCH).forEach(storage::writeEntry);
		storage.groupCommit();
		entries.subList(ENTRIES_PER_BATCH, entries.size()).forEach(storage::writeEntry);
		disk.powerLossAfter(operations);
		try {
			storage.groupCommit();
		}
		catch (SimulatedPowerLoss expected) {
			// The machine is off; what the disk holds is all there is.
		}
		disk.crash(new SplittableRandom(seed));
		disk.powerLossAfter(0);
		SteppedFileStorage reopened = SteppedFileStorage.open(dataDirectory, CLUSTER_ID, REPLICA, REPLICA_COUNT,
				SEGMENT_SIZE_BYTES, new TestLogs.Recorder(), false);
		List<LogEntry> recovered = reopened.durableState().map(DurableState::journal).orElse(List.of());
		return new Outcome(List.copyOf(acknowledged), recovered);
	}

	private record Outcome(List<LogEntry> acknowledged, List<LogEntry> recovered) {

	}

}
