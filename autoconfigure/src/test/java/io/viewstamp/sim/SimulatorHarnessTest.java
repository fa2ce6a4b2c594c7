package io.viewstamp.sim;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.viewstamp.sim.SimulationFailure.Check;
import io.viewstamp.sim.SingleReplicaStandIn.Flaw;
import io.viewstamp.history.KvOperation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests of the simulator itself (clients, network, disks, fault injection, checkers) around a
 * stand-in lone replica, so they do not depend on the real {@code Replica}.
 */
class SimulatorHarnessTest {

	@Test
	void aCorrectLoneReplicaPassesEveryCheckUnderChaos() {
		long committed = 0;
		long crashes = 0;
		long tornWrites = 0;
		long clientRestarts = 0;
		for (long seed = 1; seed <= 20; seed++) {
			SimulationResult result = loneReplica(seed, Flaw.NONE).run();
			committed += result.committedOps();
			crashes += result.crashes();
			tornWrites += result.tornWrites();
			clientRestarts += result.clientRestarts();
		}
		assertThat(committed).isGreaterThan(1_000);
		assertThat(crashes).isPositive();
		assertThat(tornWrites).isPositive();
		assertThat(clientRestarts).isPositive();
	}

	@Test
	void aReplicaThatAnswersBeforeItsWriteIsDurableIsCaught() {
		List<Check> caught = new ArrayList<>();
		for (long seed = 1; seed <= 20; seed++) {
			try {
				loneReplica(seed, Flaw.COMMIT_BEFORE_DURABLE).run();
			}
			catch (SimulationFailure failure) {
				assertThat(failure.seed()).isEqualTo(seed);
				caught.add(failure.check());
			}
		}
		assertThat(caught).isNotEmpty();
		assertThat(EnumSet.of(Check.COMMITTED_LOG, Check.LINEARIZABILITY, Check.REPLY)).containsAll(caught);
	}

	@Test
	void scriptedClientsSeeEachOthersWrites() {
		Simulator simulator = scripted(2);
		simulator.client(0).submitPut("k", "first");
		assertThat(simulator.runUntil(() -> simulator.client(0).isIdle(), 100)).isTrue();
		simulator.client(1).submitGet("k");
		simulator.client(1).submitPut("k", "second");
		simulator.runUntilConverged(100);
		simulator.checkAll();
		assertThat(simulator.client(1).history()).extracting(KvOperation::result).containsExactly("first", "first");
		assertThat(simulator.stateMachine(0).get("k")).isEqualTo("second");
		// Two registers, a PUT, a GET and a PUT.
		assertThat(simulator.commits().committedMax()).isEqualTo(5);
		assertThat(simulator.primaryIndex()).isZero();
	}

	@Test
	void aClientCutOffTheReplicaFinishesOnlyAfterTheLinkHeals() {
		Simulator simulator = scripted(1);
		simulator.cutClientLink(0, 0);
		simulator.client(0).submitPut("k", "v");
		assertThat(simulator.runUntil(() -> simulator.client(0).isIdle(), 500)).isFalse();
		simulator.heal();
		simulator.runUntilConverged(500);
		assertThat(simulator.stateMachine(0).get("k")).isEqualTo("v");
	}

	@Test
	void aCrashedReplicaRestartsFromItsDiskWithItsCommittedState() {
		Simulator simulator = scripted(1);
		simulator.client(0).submitPut("k", "v");
		simulator.runUntilConverged(100);
		simulator.crash(0);
		assertThat(simulator.isRunning(0)).isFalse();
		simulator.restart(0);
		assertThat(simulator.replica(0).commit()).isEqualTo(2);
		assertThat(simulator.stateMachine(0).get("k")).isEqualTo("v");
		simulator.checkAll();
	}

	@Test
	void aClusterThatCannotConvergeIsReportedWithEveryReplicasState() {
		Simulator simulator = scripted(1);
		simulator.client(0).submitPut("k", "v");
		simulator.crash(0);
		assertThatThrownBy(() -> simulator.runUntilConverged(50)).isInstanceOfSatisfying(SimulationFailure.class,
				(failure) -> {
					assertThat(failure.check()).isEqualTo(Check.LIVENESS);
					assertThat(failure.getMessage()).contains("Seed 1", "not converged 50 ticks", "replica 0: down",
							"client 0");
				});
	}

	@Test
	void scriptedFaultsNeedTheRightState() {
		Simulator simulator = scripted(1);
		assertThatThrownBy(() -> simulator.restart(0)).hasMessageContaining("Cannot restart replica 0: it is running");
		simulator.crash(0);
		assertThatThrownBy(() -> simulator.replica(0)).hasMessageContaining("Cannot inspect replica 0: it is down");
		assertThat(simulator.isWipeWithinBudget(0)).isFalse();
		simulator.partition(Set.of(0), Set.of());
	}

	private static Simulator loneReplica(long seed, Flaw flaw) {
		SimConfiguration configuration = SimConfiguration.random(seed).withReplicaCount(1).withSpares(0).withChaosTicks(3_000);
		SimFaults faults = configuration.faults();
		// Crash often and write slowly, so crashes catch writes in flight.
		configuration = configuration.withFaults(new SimFaults(faults.profile(), faults.packetLossProbability(),
				faults.packetDuplicateProbability(), faults.delayTicksMax(), 10, faults.partitionProbabilityPerTick(),
				faults.partitionTicksMax(), 1.0 / 300, 0, 50, 0, 0.5, 1.0 / 1_000, 0.3));
		return new Simulator(configuration, SingleReplicaStandIn.factory(flaw));
	}

	private static Simulator scripted(int clientCount) {
		return new Simulator(SimConfiguration.scripted(1, 1, clientCount), SingleReplicaStandIn.factory(Flaw.NONE));
	}

}
