package io.viewstamp.sim;

import org.junit.jupiter.api.Test;

import io.viewstamp.history.KvOperation;
import io.viewstamp.vsr.Request;
import io.viewstamp.vsr.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scripted scenarios on real replicas, as examples of the scripted API: each drives one fault by
 * hand, waits for the cluster to converge, and runs every check.
 */
class SimulatorScriptedTest {

	private static final int TICKS_MAX = 5_000;

	@Test
	void threeReplicasCommitEveryWriteAndConverge() {
		Simulator simulator = Simulator.scripted(3, 2);
		for (int write = 0; write < 10; write++) {
			simulator.client(write % 2).submitPut("k" + (write % 3), "v" + write);
		}
		simulator.runUntilConverged(TICKS_MAX);
		simulator.checkAll();
		for (int replica = 0; replica < 3; replica++) {
			assertThat(simulator.stateMachine(replica).get("k0")).isEqualTo("v9");
		}
	}

	@Test
	void anIsolatedPrimaryIsReplacedAndCatchesUpAfterTheHeal() {
		Simulator simulator = Simulator.scripted(3, 1);
		simulator.client(0).submitPut("k", "before");
		simulator.runUntilConverged(TICKS_MAX);
		int primary = simulator.primaryIndex();
		long view = simulator.replica(primary).view();
		simulator.isolate(primary);
		simulator.client(0).submitPut("k", "during");
		assertThat(simulator.runUntil(() -> simulator.client(0).isIdle(), TICKS_MAX)).isTrue();
		assertThat(simulator.primaryIndex()).isNotEqualTo(primary);
		assertThat(simulator.replica(simulator.primaryIndex()).view()).isGreaterThan(view);
		simulator.heal();
		simulator.runUntilConverged(TICKS_MAX);
		simulator.checkAll();
		assertThat(simulator.stateMachine(primary).get("k")).isEqualTo("during");
	}

	@Test
	void aBackupThatLostItsDataRecoversFromTheOthers() {
		Simulator simulator = Simulator.scripted(3, 1);
		simulator.client(0).submitPut("k", "v");
		simulator.runUntilConverged(TICKS_MAX);
		simulator.wipeAndRecover(1);
		simulator.client(0).submitPut("k", "after");
		simulator.runUntilConverged(TICKS_MAX);
		simulator.checkAll();
		assertThat(simulator.replica(1).status()).isEqualTo(Status.NORMAL);
		assertThat(simulator.stateMachine(1).get("k")).isEqualTo("after");
	}

	@Test
	void aRequestHeldBackThroughAViewChangeDoesNotLockItsClientOut() {
		Simulator simulator = Simulator.scripted(3, 1);
		simulator.client(0).submitPut("k", "first");
		simulator.runUntilConverged(TICKS_MAX);
		simulator.hold((envelope) -> envelope.message() instanceof Request);
		simulator.client(0).submitPut("k", "second");
		simulator.runTicks(5);
		int primary = simulator.primaryIndex();
		simulator.isolate(primary);
		assertThat(simulator.runUntil(() -> simulator.primaryIndex() != primary, TICKS_MAX)).isTrue();
		simulator.heal();
		simulator.releaseHeld();
		simulator.runUntilConverged(TICKS_MAX);
		simulator.checkAll();
		assertThat(simulator.client(0).history()).extracting(KvOperation::result).containsExactly(null, "first");
	}

	@Test
	void aClientThatRestartsWithItsIdGetsAFreshSession() {
		Simulator simulator = Simulator.scripted(3, 1);
		simulator.client(0).submitPut("k", "one");
		simulator.client(0).submitPut("k", "two");
		simulator.runUntilConverged(TICKS_MAX);
		long session = simulator.client(0).session();
		simulator.restartClient(0, true);
		simulator.client(0).submitGet("k");
		simulator.runUntilConverged(TICKS_MAX);
		simulator.checkAll();
		assertThat(simulator.client(0).session()).isGreaterThan(session);
		assertThat(simulator.client(0).history()).extracting(KvOperation::result).containsExactly(null, "one", "two");
	}

}
