package io.viewstamp.runtime;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.viewstamp.runtime.ProcessCluster.LedgerState;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user of a replicated ledger cares about, checked against what the clients of a
 * {@link ClusterLoad} or a {@link RegisterWorkload} saw: every replica converged; every acknowledged command is in every
 * replica's ledger exactly once; nothing is there that no client submitted (a command whose
 * outcome the client does not know may be there once or not at all); the ledgers are equal.
 */
final class LedgerChecks {

	private LedgerChecks() {
	}

	/**
	 * Checks the converged ledgers.
	 * @param load what the clients saw
	 * @param states each replica's ledger
	 */
	static void assertExactlyOnceAndEqual(ClusterLoad load, Map<Integer, LedgerState> states) {
		assertThat(load.duplicated()).as("acknowledged commands whose apply counted them more than once").isEmpty();
		assertExactlyOnceAndEqual(load.cluster().size(), load.acknowledged(), load.unknown(), states);
	}

	/**
	 * Checks the converged ledgers.
	 * @param replicaCount the cluster's size
	 * @param acknowledged the ids of the commands the clients were given a result for
	 * @param unknown the ids of the commands whose outcome the clients do not know
	 * @param states each replica's ledger
	 */
	static void assertExactlyOnceAndEqual(int replicaCount, Set<String> acknowledged, Set<String> unknown,
			Map<Integer, LedgerState> states) {
		assertThat(states).as("replicas that converged").hasSize(replicaCount);
		LedgerState first = states.get(0);
		for (Map.Entry<Integer, LedgerState> entry : states.entrySet()) {
			LedgerState state = entry.getValue();
			String replica = "replica " + entry.getKey();
			assertThat(state.checksum()).as(replica + "'s ledger checksum, against replica 0's").isEqualTo(first.checksum());
			assertThat(state.ids()).as(replica + "'s ledger, against replica 0's").isEqualTo(first.ids());
			assertThat(state.counts()).as(replica + ": commands applied more than once")
				.allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
			Set<String> missing = new HashSet<>(acknowledged);
			state.ids().forEach(missing::remove);
			assertThat(missing).as(replica + ": acknowledged commands missing from the ledger").isEmpty();
			Set<String> unexpected = new HashSet<>(state.ids());
			unexpected.removeAll(acknowledged);
			unexpected.removeAll(unknown);
			assertThat(unexpected).as(replica + ": commands in the ledger that no client submitted").isEmpty();
		}
	}

}
