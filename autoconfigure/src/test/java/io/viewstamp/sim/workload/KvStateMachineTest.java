package io.viewstamp.sim.workload;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Tests for {@link KvStateMachine}. */
class KvStateMachineTest {

	@Test
	void putReturnsThePreviousValueAndGetTheCurrentOne() {
		KvStateMachine machine = new KvStateMachine();
		assertThat(apply(machine, 1, KvCommand.get("k"))).isNull();
		assertThat(apply(machine, 2, KvCommand.put("k", "a"))).isNull();
		assertThat(apply(machine, 3, KvCommand.put("k", "b"))).isEqualTo("a");
		assertThat(apply(machine, 4, KvCommand.get("k"))).isEqualTo("b");
		assertThat(apply(machine, 5, KvCommand.put("k", null))).isEqualTo("b");
		assertThat(apply(machine, 6, KvCommand.get("k"))).isNull();
		assertThat(machine.appliedCommands()).isEqualTo(6);
		assertThat(machine.lastAppliedOp()).isEqualTo(6);
	}

	@Test
	void severalCommandsMayShareAnOpButOpsNeverGoBack() {
		KvStateMachine machine = new KvStateMachine();
		apply(machine, 5, KvCommand.put("a", "1"));
		apply(machine, 5, KvCommand.put("b", "2"));
		assertThatIllegalStateException().isThrownBy(() -> apply(machine, 4, KvCommand.get("a")))
			.withMessageContaining("Op 4 applied after op 5");
	}

	@Test
	void equalMapsHaveEqualChecksumsWhateverTheOrderOfWrites() {
		KvStateMachine first = new KvStateMachine();
		apply(first, 1, KvCommand.put("a", "1"));
		apply(first, 2, KvCommand.put("b", "2"));
		KvStateMachine second = new KvStateMachine();
		apply(second, 1, KvCommand.put("b", "2"));
		apply(second, 2, KvCommand.put("a", "x"));
		apply(second, 3, KvCommand.put("a", "1"));
		assertThat(first.stateChecksum()).isEqualTo(second.stateChecksum());
		apply(second, 4, KvCommand.put("c", ""));
		assertThat(first.stateChecksum()).isNotEqualTo(second.stateChecksum());
	}

	@Test
	void theChecksumTellsKeysAndValuesApart() {
		KvStateMachine first = new KvStateMachine();
		apply(first, 1, KvCommand.put("ab", "c"));
		KvStateMachine second = new KvStateMachine();
		apply(second, 1, KvCommand.put("a", "bc"));
		assertThat(first.stateChecksum()).isNotEqualTo(second.stateChecksum());
	}

	private static String apply(KvStateMachine machine, long op, KvCommand command) {
		return KvCommand.decodeResult(machine.apply(op, op * 10, command.encode()));
	}

}
