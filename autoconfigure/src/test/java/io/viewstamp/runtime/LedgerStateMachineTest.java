package io.viewstamp.runtime;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The multi-process tests trust the ledger to expose a duplicate and to tell two histories apart,
 * also across a snapshot; these are the checks of that trust.
 */
class LedgerStateMachineTest {

	@Test
	void whenAnIdIsAppliedTwiceThenTheSecondApplyReturnsTwo() {
		LedgerStateMachine ledger = new LedgerStateMachine();

		assertThat(apply(ledger, 1, "a")).isEqualTo(1);
		assertThat(apply(ledger, 2, "b")).isEqualTo(1);
		assertThat(apply(ledger, 3, "a")).isEqualTo(2);
		assertThat(ledger.size()).isEqualTo(3);
		assertThat(ledger.counts()).containsEntry("a", 2).containsEntry("b", 1);
		assertThat(ledger.duplicates()).containsExactly("a");
	}

	@Test
	void whenTheOrderOrTheOpsDifferThenTheChecksumsDiffer() {
		LedgerStateMachine inOrder = ledgerOf("a", "b");
		LedgerStateMachine reversed = ledgerOf("b", "a");
		LedgerStateMachine atOtherOps = new LedgerStateMachine();
		apply(atOtherOps, 1, "a");
		apply(atOtherOps, 3, "b");

		assertThat(inOrder.checksum()).isNotEqualTo(reversed.checksum())
			.isNotEqualTo(atOtherOps.checksum())
			.isNotEqualTo(LedgerStateMachine.CHECKSUM_EMPTY);
		assertThat(ledgerOf("a", "b").checksum()).isEqualTo(inOrder.checksum());
	}

	@Test
	void whenRestoredFromASnapshotThenTheLedgerAndItsChecksumContinue() {
		LedgerStateMachine original = ledgerOf("a", "b", "a");
		LedgerStateMachine restored = new LedgerStateMachine();
		apply(restored, 1, "stale");

		restored.restore(original.snapshot());
		apply(original, 4, "c");
		long count = apply(restored, 4, "c");

		assertThat(count).isEqualTo(1);
		assertThat(restored.view()).isEqualTo(original.view());
		assertThat(restored.counts()).isEqualTo(original.counts());
	}

	@Test
	void whenASnapshotIsNotALedgerThenRestoreSaysSo() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LedgerStateMachine().restore(new byte[] { 1, 2 }))
			.withMessageContaining("not a ledger snapshot");
	}

	private static LedgerStateMachine ledgerOf(String... ids) {
		LedgerStateMachine ledger = new LedgerStateMachine();
		for (int index = 0; index < ids.length; index++) {
			apply(ledger, index + 1, ids[index]);
		}
		return ledger;
	}

	private static long apply(LedgerStateMachine ledger, long op, String id) {
		return ByteBuffer.wrap(ledger.apply(op, 0, id.getBytes(StandardCharsets.UTF_8))).getLong();
	}

}
