package io.viewstamp.history;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides linearizability of tiny histories by trying every order of the calls, with none of the
 * checker's pruning or memoisation, so the checker can be compared against the definition itself.
 */
final class ExhaustiveLinearizabilityOracle {

	private static final int OPERATIONS_MAX = 12;

	private ExhaustiveLinearizabilityOracle() {
	}

	/**
	 * Whether some order of the calls respects real time and a sequential store.
	 * @param history at most a dozen calls
	 * @return whether the history is linearizable
	 */
	static boolean isLinearizable(List<KvOperation> history) {
		if (history.size() > OPERATIONS_MAX) {
			throw new IllegalArgumentException("Too many operations to try every order: " + history.size());
		}
		return canComplete(history, 0, new HashMap<>());
	}

	/**
	 * Whether the calls not yet done can follow those done. A call is done once it took effect or, when
	 * its outcome is unknown, once it was chosen to never take effect.
	 */
	private static boolean canComplete(List<KvOperation> history, int doneMask, Map<String, String> store) {
		if (doneMask == (1 << history.size()) - 1) {
			return true;
		}
		for (int index = 0; index < history.size(); index++) {
			if ((doneMask & (1 << index)) != 0 || !allPredecessorsDone(history, doneMask, index)) {
				continue;
			}
			KvOperation operation = history.get(index);
			String current = store.get(operation.key());
			if (operation.isIndeterminate() || Objects.equals(operation.result(), current)) {
				Map<String, String> after = new HashMap<>(store);
				boolean sets = operation.kind() == KvOperation.Kind.PUT
						|| (operation.kind() == KvOperation.Kind.CAS && Objects.equals(operation.expected(), current));
				if (sets) {
					after.put(operation.key(), operation.value());
				}
				if (canComplete(history, doneMask | (1 << index), after)) {
					return true;
				}
			}
			if (operation.isIndeterminate() && canComplete(history, doneMask | (1 << index), store)) {
				return true;
			}
		}
		return false;
	}

	private static boolean allPredecessorsDone(List<KvOperation> history, int doneMask, int index) {
		for (int other = 0; other < history.size(); other++) {
			if ((doneMask & (1 << other)) == 0
					&& history.get(other).completedAt() < history.get(index).invokedAt()) {
				return false;
			}
		}
		return true;
	}

}
