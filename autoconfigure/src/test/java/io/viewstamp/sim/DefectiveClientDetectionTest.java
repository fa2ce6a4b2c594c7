package io.viewstamp.sim;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.viewstamp.vsr.DefectiveClients;
import io.viewstamp.vsr.DefectiveClients.Bug;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator runs the client that ships ({@code io.viewstamp.vsr.Client}, the one
 * {@code ReplicationClient} wraps), so a bug planted in it is caught by random seeds: no scripted
 * scenario, no assertion of the client's own.
 */
class DefectiveClientDetectionTest {

	private static final int SEARCH_SEEDS_MAX = 1_000;

	/** Seeds here differ from the other searches', so they cover other worlds. */
	private static final long SEED_BASE = 0xC11E47_0000L;

	@ParameterizedTest
	@EnumSource(Bug.class)
	void aBoundedSeedSearchCatchesTheDefect(Bug bug) {
		ClientFactory defective = (cluster, localReplica, options, host, clientIds,
				incarnations) -> DefectiveClients.create(bug, cluster, localReplica, options, host, clientIds, incarnations);
		SeedSearch.Catch caught = SeedSearch.firstCatch(SEED_BASE, SEARCH_SEEDS_MAX,
				(seed) -> new Simulator(SimConfiguration.random(seed).withSpares(0), ReplicaFactory.standard(), defective, null));
		assertThat(caught.failure()).as("%s survived %d seeds unnoticed", bug, caught.seedsRun()).isNotNull();
		System.out.println(caught.describe(bug, getClass()));
	}

}
