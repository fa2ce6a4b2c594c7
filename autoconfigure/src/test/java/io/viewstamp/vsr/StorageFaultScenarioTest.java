package io.viewstamp.vsr;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.viewstamp.sim.ReplicaFactory;
import io.viewstamp.sim.SimConfiguration;
import io.viewstamp.sim.Simulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storage faults played by hand: what a replica finds on its disk after a crash must never be
 * trusted blindly, and must never cost an acknowledged write.
 */
class StorageFaultScenarioTest {

	private static final int TICKS_MAX = 10_000;

	@Test
	void aCorruptJournalEntryIsRepairedFromAPeerAndNeverApplied() {
		Simulator simulator = Simulator.scripted(3, 1);
		for (int write = 0; write < 10; write++) {
			simulator.client(0).submitPut("k" + (write % 3), "v" + write);
		}
		simulator.runUntilConverged(TICKS_MAX);
		int backup = (simulator.primaryIndex() + 1) % 3;
		long head = simulator.replica(backup).op();
		simulator.crash(backup);
		simulator.corruptJournal(backup, new SplittableRandom(7));
		assertThat(simulator.storage(backup).hasCorruption()).isTrue();
		assertThat(simulator.storage(backup).durableState().faultyOps()).hasSize(1);

		simulator.restart(backup);
		simulator.client(0).submitPut("k0", "after");
		simulator.runUntilConverged(TICKS_MAX);
		simulator.checkAll();
		// The corrupt entry was brought back from a peer and written again.
		assertThat(simulator.storage(backup).hasCorruption()).isFalse();
		assertThat(simulator.replica(backup).op()).isGreaterThan(head);
		assertThat(simulator.stateMachine(backup).stateChecksum())
			.isEqualTo(simulator.stateMachine(simulator.primaryIndex()).stateChecksum());
	}

	@Test
	void aReplicaFarBehindReceivesASnapshotInChunksAndCatchesUp() {
		Simulator simulator = new Simulator(SimConfiguration.scripted(1, 3, 1)
			.withReplicaOptions(ReplicaOptions.builder().snapshotIntervalOps(40).snapshotChunkBytesMax(1024).build()), ReplicaFactory.standard());
		int lagging = 2;
		simulator.crash(lagging);
		for (int write = 0; write < 120; write++) {
			simulator.client(0).submitPut("k" + (write % 7), "v" + write + "-" + "x".repeat(100));
		}
		assertThat(simulator.runUntil(() -> simulator.client(0).isIdle(), TICKS_MAX)).isTrue();
		int primary = simulator.primaryIndex();
		assertThat(simulator.replica(primary).logBaseOp()).as("the primary compacted its log").isPositive();

		simulator.restart(lagging);
		simulator.runUntilConverged(TICKS_MAX);
		simulator.checkAll();
		assertThat(simulator.replica(lagging).status()).isEqualTo(Status.NORMAL);
		assertThat(simulator.replica(lagging).logBaseOp()).as("it took a snapshot instead of the compacted entries")
			.isPositive();
		assertThat(simulator.stateMachine(lagging).stateChecksum())
			.isEqualTo(simulator.stateMachine(primary).stateChecksum());
	}

}
