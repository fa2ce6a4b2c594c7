package io.viewstamp.vsr;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The replica's log: a hash chain above a base (the last snapshot), which knows how far it is
 * durable without a gap, and which a truncation, a compaction or a snapshot install keeps whole.
 */
class LogTest {

	private static final long CLUSTER_ID = 21;

	private final List<LogEntry> chain = RegistrationLogs.chain(CLUSTER_ID, 5);

	@Test
	void anEntryThatDoesNotChainToTheHeadIsRefused() {
		Log log = logOf(2);
		LogEntry other = RegistrationLogs.chain(CLUSTER_ID + 1, 3).get(2);

		assertThatExceptionOfType(Invariants.InvariantViolation.class).isThrownBy(() -> log.append(other))
			.withMessageContaining("does not chain");
		assertThatExceptionOfType(Invariants.InvariantViolation.class).isThrownBy(() -> log.append(this.chain.get(4)))
			.withMessageContaining("append of op 5");
		assertThat(log.op()).isEqualTo(2);
	}

	@Test
	void theDurableOpAdvancesOnlyOverAnUnbrokenRunOfWrittenEntries() {
		Log log = logOf(4);

		log.markDurable(2, this.chain.get(1).checksum());
		log.markDurable(3, this.chain.get(2).checksum());
		assertThat(log.durableOp()).as("op 1 is not written yet").isZero();

		log.markDurable(1, this.chain.get(0).checksum());
		assertThat(log.durableOp()).isEqualTo(3);

		log.markDurable(4, this.chain.get(0).checksum());
		assertThat(log.durableOp()).as("a completion of another entry at op 4 counts for nothing").isEqualTo(3);
	}

	@Test
	void aTruncationForgetsTheDurabilityOfWhatItDropped() {
		Log log = logOf(4);
		for (int op = 1; op <= 4; op++) {
			log.markDurable(op, this.chain.get(op - 1).checksum());
		}

		log.truncateAfter(2);

		assertThat(log.op()).isEqualTo(2);
		assertThat(log.durableOp()).isEqualTo(2);
		assertThat(log.headChecksum()).isEqualTo(this.chain.get(1).checksum());
		log.append(this.chain.get(2));
		assertThat(log.durableOp()).as("the entry appended again is not written yet").isEqualTo(2);
	}

	@Test
	void compactionKeepsTheChainAndTheChecksumAtTheNewBase() {
		Log log = logOf(5);

		log.compactTo(3);

		assertThat(log.baseOp()).isEqualTo(3);
		assertThat(log.entry(3)).isNull();
		assertThat(log.contains(3, this.chain.get(2).checksum())).isTrue();
		assertThat(log.range(4, 5)).containsExactly(this.chain.get(3), this.chain.get(4));
		assertThat(log.durableOp()).isGreaterThanOrEqualTo(3);
	}

	@Test
	void aSnapshotInstallKeepsTheEntriesAboveItOnlyIfTheyChainToIt() {
		Log chained = logOf(5);
		LogEntry third = this.chain.get(2);
		boolean dropped = chained.resetTo(new Snapshot(3, third.checksum(), third.timestamp(), new byte[0], new byte[4]),
				false);
		assertThat(dropped).isFalse();
		assertThat(chained.op()).isEqualTo(5);
		assertThat(chained.isBaseDurable()).isFalse();

		Log elsewhere = logOf(5);
		boolean droppedElsewhere = elsewhere.resetTo(new Snapshot(3, 12345, third.timestamp(), new byte[0], new byte[4]),
				true);
		assertThat(droppedElsewhere).as("the entries above belong to another chain").isTrue();
		assertThat(elsewhere.op()).isEqualTo(3);
		assertThat(elsewhere.headChecksum()).isEqualTo(12345);
	}

	@Test
	void rangesAndTheNewestEntriesStopAtTheirByteBoundButNeverBeforeTheFirstEntry() {
		Log log = logOf(5);

		assertThat(log.range(2, 5, 1)).containsExactly(this.chain.get(1));
		assertThat(log.range(2, 5, Long.MAX_VALUE)).hasSize(4);
		assertThat(log.newest(3, 1, 1)).containsExactly(this.chain.get(4));
		assertThat(log.newest(3, 1, Long.MAX_VALUE)).containsExactly(this.chain.get(2), this.chain.get(3),
				this.chain.get(4));
		assertThatExceptionOfType(Invariants.InvariantViolation.class).isThrownBy(() -> log.range(4, 6));
	}

	private Log logOf(int count) {
		Log log = new Log(CLUSTER_ID);
		for (int index = 0; index < count; index++) {
			log.append(this.chain.get(index));
		}
		return log;
	}

}
