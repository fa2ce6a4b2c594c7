package io.viewstamp.vsr;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.viewstamp.sim.ReplicaFactory;
import io.viewstamp.sim.SimConfiguration;
import io.viewstamp.sim.SimFaults;
import io.viewstamp.sim.Simulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A long repair with one entry per answer, over a network whose round trips outlast the resend
 * interval: resends overlap answers, and each answer may arrive more than once. The repair must
 * still ask for one range at a time, not start a new chain of requests with every answer.
 */
class RepairScenarioTest {

	private static final int TICKS_MAX = 50_000;

	private static final int WRITES = 200;

	@Test
	void aLongRepairWithOneEntryPerAnswerAsksForOneRangeAtATime() {
		// Delays of up to 8 ticks each way: a round trip may take longer than the 5-tick resend interval.
		SimFaults slow = new SimFaults(SimFaults.Profile.NONE, 0, 0, 8, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0);
		Simulator simulator = new Simulator(SimConfiguration.scripted(1, 3, 1)
			.withFaults(slow)
			.withReplicaOptions(ReplicaOptions.builder().messageEntriesBytesMax(1).build()), ReplicaFactory.standard());
		simulator.client(0).submitPut("k", "first");
		simulator.runUntilConverged(TICKS_MAX);
		int lagging = (simulator.primaryIndex() + 1) % 3;
		simulator.isolate(lagging);
		for (int write = 0; write < WRITES; write++) {
			simulator.client(0).submitPut("k", "v" + write);
			assertThat(simulator.runUntil(() -> simulator.client(0).isIdle(), TICKS_MAX)).isTrue();
		}

		AtomicLong repairRequests = new AtomicLong();
		simulator.trace((line) -> {
			if (line.contains(" <- ") && line.contains("RequestPrepares")) {
				repairRequests.incrementAndGet();
			}
		});
		simulator.heal();
		long tickBefore = simulator.tick();
		simulator.runUntilConverged(TICKS_MAX);
		simulator.checkAll();

		System.out.printf("RepairScenarioTest: %d ops repaired one per answer in %d ticks with %d repair requests%n",
				WRITES, simulator.tick() - tickBefore, repairRequests.get());
		assertThat(simulator.stateMachine(lagging).get("k")).isEqualTo("v" + (WRITES - 1));
		// One request per op, and its resends when the round trip outlasts the interval: about 2.3
		// per op here. When every answer asked again, each resend started a chain of its own that
		// lived to the end of the repair: 6.5 per op here, and without bound under duplication.
		assertThat(repairRequests.get()).isLessThan(3L * WRITES);
	}

}
