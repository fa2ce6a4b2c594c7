package io.viewstamp.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.viewstamp.vsr.Checksums;
import io.viewstamp.vsr.DurableState;
import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.Request;
import io.viewstamp.vsr.Superblock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Tests for {@link SimStorage}. */
class SimStorageTest {

	private static final long CLUSTER_ID = 7;

	private final List<String> completions = new ArrayList<>();

	@Test
	void requestsCompleteInOrderAfterTheirLatencyAndOnlyThenBecomeDurable() {
		SimStorage storage = storage(5);
		List<LogEntry> log = chain(20);
		for (LogEntry entry : log) {
			storage.writeEntry(entry);
		}
		assertThat(storage.durableEntry(1)).isNull();
		long tick = 0;
		while (storage.pendingCount() > 0) {
			storage.completeDue(++tick);
			assertThat(tick).isLessThanOrEqualTo(5);
		}
		assertThat(this.completions).containsExactlyElementsOf(log.stream().map((entry) -> "entry " + entry.op()).toList());
		assertThat(storage.durableState().journal()).containsExactlyElementsOf(log);
	}

	@Test
	void nothingCompletesOnTheTickItWasRequested() {
		SimStorage storage = storage(1);
		storage.advanceTo(3);
		storage.writeEntry(chain(1).get(0));
		storage.completeDue(3);
		assertThat(this.completions).isEmpty();
		storage.completeDue(4);
		assertThat(this.completions).containsExactly("entry 1");
	}

	@Test
	void aCrashLosesTheRequestsNotYetCompletedAndKeepsTheRest() {
		SimStorage storage = storage(1);
		List<LogEntry> log = chain(3);
		storage.writeEntry(log.get(0));
		storage.completeDue(1);
		storage.writeEntry(log.get(1));
		storage.writeSuperblock(new Superblock(CLUSTER_ID, 0, 3, 4, 4, 1));
		storage.crash();
		storage.attach(recorder());
		storage.completeDue(100);
		assertThat(this.completions).containsExactly("entry 1");
		DurableState state = storage.durableState();
		assertThat(state.journal()).containsExactly(log.get(0));
		assertThat(state.superblock().view()).isZero();
	}

	@Test
	void aCrashDuringAnAppendMayLeaveATornEntryAtTheEndOfTheJournal() {
		SimStorage storage = storage(1);
		List<LogEntry> log = chain(3);
		storage.writeEntry(log.get(0));
		storage.completeDue(1);
		storage.writeEntry(log.get(1));
		storage.writeEntry(log.get(2));
		assertThat(storage.crashTearingWrite()).isTrue();
		// The torn entry stays on the disk, but reading the journal back drops it, as a real one does.
		assertThat(storage.durableEntry(2).isIntact(CLUSTER_ID)).isFalse();
		assertThat(storage.durableEntry(3)).isNull();
		assertThat(storage.durableState().journal()).containsExactly(log.get(0));
		assertThat(storage.durableState().faultyOps()).isEmpty();
	}

	@Test
	void aCorruptEntryBeforeTheEndIsReportedFaultyAndTheEntriesAroundItComeBack() {
		SimStorage storage = storage(1);
		List<LogEntry> log = chain(3);
		log.forEach(storage::writeEntry);
		storage.completeDue(1);
		storage.crash();
		long corrupted = storage.corruptEntry(new java.util.SplittableRandom(1));
		assertThat(corrupted).isBetween(1L, 2L);
		assertThat(storage.hasCorruption()).isTrue();
		assertThat(storage.durableState().faultyOps()).containsExactly(corrupted);
		assertThat(storage.durableState().journal()).hasSize(2).doesNotContain(log.get((int) corrupted - 1));
	}

	@Test
	void aCrashNeverTearsAnEntryThatCompletedBefore() {
		SimStorage storage = storage(1);
		List<LogEntry> log = chain(2);
		log.forEach(storage::writeEntry);
		storage.completeDue(1);
		storage.writeEntry(log.get(0));
		assertThat(storage.crashTearingWrite()).isFalse();
		assertThat(storage.durableState().journal()).containsExactlyElementsOf(log);
	}

	@Test
	void aTruncateCompletesSilentlyInItsPlaceInTheQueue() {
		SimStorage storage = storage(3);
		List<LogEntry> log = chain(4);
		log.forEach(storage::writeEntry);
		storage.truncateAfter(2);
		storage.writeEntry(log.get(2));
		storage.completeDue(100);
		assertThat(this.completions).containsExactly("entry 1", "entry 2", "entry 3", "entry 4", "entry 3");
		assertThat(storage.durableState().journal()).containsExactly(log.get(0), log.get(1), log.get(2));
		assertThat(storage.durableEntry(4)).isNull();
	}

	@Test
	void aSuperblockWriteReplacesTheDurableSuperblockWhenItCompletes() {
		SimStorage storage = storage(2);
		Superblock superblock = new Superblock(CLUSTER_ID, 0, 3, 5, 4, 0);
		storage.writeSuperblock(superblock);
		assertThat(storage.durableSuperblock().view()).isZero();
		storage.completeDue(100);
		assertThat(storage.durableSuperblock()).isEqualTo(superblock);
		assertThat(this.completions).containsExactly("superblock view 5");
	}

	@Test
	void theDurableJournalStopsAtTheFirstMissingOp() {
		SimStorage storage = storage(1);
		List<LogEntry> log = chain(4);
		storage.writeEntry(log.get(0));
		storage.writeEntry(log.get(1));
		storage.writeEntry(log.get(3));
		storage.completeDue(100);
		assertThat(storage.durableState().journal()).containsExactly(log.get(0), log.get(1));
	}

	@Test
	void aWipeLosesEverything() {
		SimStorage storage = storage(1);
		storage.writeEntry(chain(1).get(0));
		storage.completeDue(100);
		storage.wipe();
		assertThat(storage.hasSuperblock()).isFalse();
		assertThat(storage.durableEntry(1)).isNull();
		assertThatIllegalStateException().isThrownBy(storage::durableState).withMessageContaining("wiped");
	}

	@Test
	void aRequestWithNoProcessAttachedIsABug() {
		SimStorage storage = storage(1);
		storage.crash();
		assertThatIllegalStateException().isThrownBy(() -> storage.writeEntry(chain(1).get(0)))
			.withMessageContaining("no process attached");
	}

	private SimStorage storage(int latencyTicksMax) {
		SimStorage storage = new SimStorage(0, DurableState.formatted(CLUSTER_ID, 0, 3), latencyTicksMax,
				new SplittableRandom(1));
		storage.attach(recorder());
		return storage;
	}

	private SimStorage.Completions recorder() {
		return new SimStorage.Completions() {

			@Override
			public void onEntryWritten(long op, long checksum) {
				SimStorageTest.this.completions.add("entry " + op);
			}

			@Override
			public void onSuperblockWritten(Superblock superblock) {
				SimStorageTest.this.completions.add("superblock view " + superblock.view());
			}

			@Override
			public void onStorageFailed(Exception cause) {
				SimStorageTest.this.completions.add("failed " + cause);
			}

			@Override
			public void onSnapshotWritten(long op) {
				SimStorageTest.this.completions.add("snapshot " + op);
			}

		};
	}

	static List<LogEntry> chain(int length) {
		List<LogEntry> log = new ArrayList<>();
		long parent = Checksums.root(CLUSTER_ID);
		for (long op = 1; op <= length; op++) {
			LogEntry entry = LogEntry.create(CLUSTER_ID, 0, op, op * 10, parent, List.of(Request.register(op, 1)));
			log.add(entry);
			parent = entry.checksum();
		}
		return log;
	}

}
