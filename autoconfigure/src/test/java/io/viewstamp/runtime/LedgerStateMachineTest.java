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

	@Test
	void registerWritesReturnWhatTheRegisterHeldAndACompareAndSetWritesOnlyOnAMatch() {
		LedgerStateMachine ledger = new LedgerStateMachine();

		byte[] put = write(ledger, 1, RegisterCommand.put("k", "a"));
		byte[] failedCas = write(ledger, 2, RegisterCommand.cas("k", "x", "b"));
		byte[] cas = write(ledger, 3, RegisterCommand.cas("k", "a", "c"));
		byte[] casOnNone = write(ledger, 4, RegisterCommand.cas("other", null, "d"));

		assertThat(LedgerStateMachine.previousValue(put)).isNull();
		assertThat(LedgerStateMachine.previousValue(failedCas)).isEqualTo("a");
		assertThat(LedgerStateMachine.previousValue(cas)).isEqualTo("a");
		assertThat(LedgerStateMachine.previousValue(casOnNone)).isNull();
		assertThat(LedgerStateMachine.appliedOp(cas)).isEqualTo(3);
		assertThat(ledger.read("k")).isEqualTo(new LedgerStateMachine.RegisterRead("c", 4));
		assertThat(ledger.read("other").value()).isEqualTo("d");
		assertThat(ledger.read("never").value()).isNull();
		assertThat(ledger.view().ids()).containsExactly("put k a", "cas k x b", "cas k a c", "cas other - d");
	}

	@Test
	void whenRestoredFromASnapshotThenTheRegistersAreRebuiltFromTheLedger() {
		LedgerStateMachine original = new LedgerStateMachine();
		write(original, 1, RegisterCommand.put("k", "a"));
		write(original, 2, RegisterCommand.cas("k", "a", "b"));
		write(original, 3, RegisterCommand.cas("k", "a", "c"));
		LedgerStateMachine restored = new LedgerStateMachine();
		write(restored, 1, RegisterCommand.put("k", "stale"));

		restored.restore(original.snapshot());

		assertThat(restored.read("k")).isEqualTo(original.read("k")).isEqualTo(new LedgerStateMachine.RegisterRead("b", 3));
	}

	@Test
	void anIdThatIsNotARegisterCommandWritesNoRegister() {
		LedgerStateMachine ledger = ledgerOf("put k", "put k a b", "cas k a");

		assertThat(ledger.read("k").value()).isNull();
		assertThat(RegisterCommand.parse("put k a")).contains(RegisterCommand.put("k", "a"));
		assertThatIllegalArgumentException().isThrownBy(() -> RegisterCommand.put("k", "-"))
			.withMessageContaining("one word other than '-'");
	}

	private static LedgerStateMachine ledgerOf(String... ids) {
		LedgerStateMachine ledger = new LedgerStateMachine();
		for (int index = 0; index < ids.length; index++) {
			apply(ledger, index + 1, ids[index]);
		}
		return ledger;
	}

	private static byte[] write(LedgerStateMachine ledger, long op, RegisterCommand command) {
		return ledger.apply(op, 0, command.id().getBytes(StandardCharsets.UTF_8));
	}

	private static long apply(LedgerStateMachine ledger, long op, String id) {
		return ByteBuffer.wrap(ledger.apply(op, 0, id.getBytes(StandardCharsets.UTF_8))).getLong();
	}

}
