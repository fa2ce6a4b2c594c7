package io.viewstamp.sim;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One seed, run twice, must produce the same trace: every delivered message, every commit, every
 * fault, and the same failure if there is one. Anything else means the world depends on more than
 * its seed, and a failing seed could not be replayed.
 */
class SimulatorDeterminismTest {

	private static final long SEED = 1_234_567;

	@Test
	void aSeedRunsTwiceToTheSameTraceWithAStandInReplica() {
		Trace first = trace(standIn(SEED));
		Trace second = trace(standIn(SEED));
		assertThat(first.events()).isGreaterThan(1_000);
		assertThat(second).isEqualTo(first);
		assertThat(trace(standIn(SEED + 1)).fingerprint()).isNotEqualTo(first.fingerprint());
	}

	@Test
	void aSeedRunsTwiceToTheSameTraceWithRealReplicas() {
		Trace first = trace(Simulator.ofSeed(SEED));
		Trace second = trace(Simulator.ofSeed(SEED));
		// A protocol failure may end the run early; the two runs must still fail identically.
		assertThat(first.ticks()).as("ticks run before %s", first.failure()).isGreaterThan(1_000);
		assertThat(second).isEqualTo(first);
	}

	private static Simulator standIn(long seed) {
		SimConfiguration configuration = SimConfiguration.random(seed).withReplicaCount(1).withSpares(0).withChaosTicks(3_000);
		return new Simulator(configuration, SingleReplicaStandIn.factory(SingleReplicaStandIn.Flaw.NONE));
	}

	private static Trace trace(Simulator simulator) {
		String failure = "none";
		try {
			simulator.run();
		}
		catch (SimulationFailure ex) {
			failure = ex.getMessage();
		}
		return new Trace(simulator.fingerprint().value(), simulator.fingerprint().events(), simulator.tick(),
				simulator.result().committedOps(), failure);
	}

	private record Trace(long fingerprint, long events, long ticks, long committedOps, String failure) {

	}

}
