package io.viewstamp.sim.check;

import java.util.ArrayList;
import java.util.List;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import io.viewstamp.sim.SimulationFailure;
import io.viewstamp.sim.SimulationFailure.Check;
import io.viewstamp.sim.workload.KvCommand;
import io.viewstamp.vsr.Checksums;
import io.viewstamp.vsr.DurableState;
import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.Operation;
import io.viewstamp.vsr.ReplicaMessage.DoViewChange;
import io.viewstamp.vsr.ReplicaMessage.PrepareOk;
import io.viewstamp.vsr.Request;
import io.viewstamp.vsr.Superblock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tests for {@link DurableLogChecker}, fed with hand-made journals. */
class DurableLogCheckerTest {

	private static final long CLUSTER_ID = 7;

	private final Superblock viewOne = new Superblock(CLUSTER_ID, 0, 3, 1, 1, 0);

	private final Superblock viewTwo = new Superblock(CLUSTER_ID, 0, 3, 2, 2, 0);

	@Test
	void aNewLogViewWhoseJournalEndsWithTheLogPasses() {
		DurableLogChecker checker = new DurableLogChecker(99, 0, this.viewOne);
		checker.requested(this.viewTwo, true, 3);
		assertThatCode(() -> checker.written(this.viewTwo, new DurableState(this.viewTwo, chain(3)), 10))
			.doesNotThrowAnyException();
	}

	@Test
	void aNewLogViewOverAJournalThatChainsPastTheLogFails() {
		DurableLogChecker checker = new DurableLogChecker(99, 0, this.viewOne);
		checker.requested(this.viewTwo, true, 3);
		assertThatThrownBy(() -> checker.written(this.viewTwo, new DurableState(this.viewTwo, chain(5)), 10))
			.isInstanceOfSatisfying(SimulationFailure.class, (failure) -> {
				assertThat(failure.check()).isEqualTo(Check.DURABLE_LOG);
				assertThat(failure)
					.hasMessageContaining("made log view 2 durable with a log ending at op 3")
					.hasMessageContaining("chains on to op 5");
			});
	}

	@Test
	void entriesPastABreakInTheChainAreNotReadBackAndPass() {
		List<LogEntry> journal = new ArrayList<>(chain(5));
		journal.remove(3);
		DurableLogChecker checker = new DurableLogChecker(99, 0, this.viewOne);
		checker.requested(this.viewTwo, true, 3);
		assertThatCode(() -> checker.written(this.viewTwo, new DurableState(this.viewTwo, journal), 10))
			.doesNotThrowAnyException();
	}

	@Test
	void aSuperblockOfTheSameLogViewOrOfAReplicaNotNormalInItIsNoClaim() {
		DurableLogChecker checker = new DurableLogChecker(99, 0, this.viewTwo);
		Superblock commitMoved = new Superblock(CLUSTER_ID, 0, 3, 2, 2, 2);
		checker.requested(commitMoved, true, 3);
		assertThatCode(() -> checker.written(commitMoved, new DurableState(commitMoved, chain(5)), 10))
			.doesNotThrowAnyException();
		Superblock viewThree = new Superblock(CLUSTER_ID, 0, 3, 3, 3, 2);
		checker.requested(viewThree, false, 3);
		assertThatCode(() -> checker.written(viewThree, new DurableState(viewThree, chain(5)), 11))
			.doesNotThrowAnyException();
	}

	@Test
	void anAcknowledgementBackedByTheDiskPassesAndOneAheadOfItFails() {
		DurableLogChecker checker = new DurableLogChecker(99, 0, this.viewTwo);
		LogEntry entry = chain(3).get(2);
		assertThatCode(() -> checker.acknowledged(new PrepareOk(2, 0, 3, entry.checksum()), this.viewTwo, 0, entry, 10))
			.doesNotThrowAnyException();
		// A snapshot holds what it covers; the journal no longer does.
		assertThatCode(() -> checker.acknowledged(new PrepareOk(2, 0, 3, entry.checksum()), this.viewTwo, 3, null, 10))
			.doesNotThrowAnyException();
		assertFails(() -> checker.acknowledged(new PrepareOk(2, 0, 3, entry.checksum()), this.viewTwo, 0, null, 11),
				"acknowledged op 3 of view 2 while its journal holds null");
		assertFails(() -> checker.acknowledged(new PrepareOk(2, 0, 3, entry.checksum()), this.viewOne, 0, entry, 12),
				"acknowledged op 3 of view 2 while its durable superblock names log view 1");
	}

	@Test
	void aVoteInAViewTheDiskHoldsPassesAndOneAheadOfItFails() {
		DurableLogChecker checker = new DurableLogChecker(99, 0, this.viewOne);
		DoViewChange vote = new DoViewChange(2, 0, 1, 0, Checksums.root(CLUSTER_ID), 0, true, List.of());
		assertThatCode(() -> checker.voted(vote, this.viewTwo, 10)).doesNotThrowAnyException();
		assertFails(() -> checker.voted(vote, this.viewOne, 11), "voted in view 2 while its durable superblock names view 1");
	}

	private static void assertFails(ThrowingCallable call, String detail) {
		assertThatThrownBy(call).isInstanceOfSatisfying(SimulationFailure.class, (failure) -> {
			assertThat(failure.check()).isEqualTo(Check.DURABLE_LOG);
			assertThat(failure).hasMessageContaining(detail);
		});
	}

	private static List<LogEntry> chain(int length) {
		List<LogEntry> log = new ArrayList<>();
		long parent = Checksums.root(CLUSTER_ID);
		for (long op = 1; op <= length; op++) {
			Request request = new Request(1, 1, op, Operation.COMMAND, KvCommand.put("k", "v" + op).encode());
			LogEntry entry = LogEntry.create(CLUSTER_ID, 1, op, op * 10, parent, List.of(request));
			log.add(entry);
			parent = entry.checksum();
		}
		return log;
	}

}
