package io.viewstamp.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Checks that a client history of the key-value store is linearizable: that every call can be given
 * a point between its invocation and its completion at which it took effect atomically, consistent
 * with a store that starts empty. Calls whose outcome is unknown may take effect at any point after
 * their invocation, or not at all.
 * <p>
 * The store is a map of independent registers, and linearizability is compositional (a history is
 * linearizable exactly when the history of each object is), so each key is checked on its own,
 * with a search (Wing and Gong's, with Lowe's memoisation) whose cost grows with the concurrency on
 * that key rather than with the whole history.
 * <p>
 * Each key's search is bounded by a step budget; a key that exhausts it makes the verdict
 * {@link Verdict#UNKNOWN} unless another key shows a violation.
 */
public final class LinearizabilityChecker {

	/**
	 * The default budget of search steps for each key, a step being one call or return event the
	 * search visits. Histories shaped like the simulator's (8 clients, some 250 operations a key) take
	 * two or three steps an operation, and even 16 clients on a single key take under ten; the budget
	 * leaves room for much harder histories while keeping one key's check to about a second at most.
	 */
	public static final long DEFAULT_SEARCH_STEPS_MAX = 1_000_000;

	private final long searchStepsMax;

	/** A checker with the {@linkplain #DEFAULT_SEARCH_STEPS_MAX default step budget}. */
	public LinearizabilityChecker() {
		this(DEFAULT_SEARCH_STEPS_MAX);
	}

	/**
	 * A checker with the given step budget.
	 * @param searchStepsMax the most search steps to spend on any one key, at least 1
	 */
	public LinearizabilityChecker(long searchStepsMax) {
		if (searchStepsMax < 1) {
			throw new IllegalArgumentException("The search needs a budget of at least one step: " + searchStepsMax);
		}
		this.searchStepsMax = searchStepsMax;
	}

	/**
	 * Checks a history.
	 * @param history every call the clients made, in any order
	 * @return the verdict, with an explanation for a human
	 */
	public Result check(List<KvOperation> history) {
		Objects.requireNonNull(history, "history");
		Map<String, List<KvOperation>> operationsByKey = new TreeMap<>();
		for (KvOperation operation : history) {
			Objects.requireNonNull(operation, "operation");
			operationsByKey.computeIfAbsent(operation.key(), (key) -> new ArrayList<>()).add(operation);
		}
		List<String> inconclusiveKeys = new ArrayList<>();
		for (Map.Entry<String, List<KvOperation>> entry : operationsByKey.entrySet()) {
			RegisterHistory keyHistory = RegisterHistory.of(entry.getKey(), entry.getValue());
			RegisterSearch.SearchOutcome outcome = RegisterSearch.run(keyHistory, this.searchStepsMax);
			switch (outcome.verdict()) {
				case NOT_LINEARIZABLE -> {
					return new Result(Verdict.NOT_LINEARIZABLE, Explanations.violation(keyHistory, outcome));
				}
				case UNKNOWN -> inconclusiveKeys.add(Explanations.inconclusive(keyHistory, outcome));
				case LINEARIZABLE -> {
					// Nothing to report: go on with the next key.
				}
			}
		}
		if (!inconclusiveKeys.isEmpty()) {
			return new Result(Verdict.UNKNOWN, "Inconclusive: no violation found, but the search ran out of its "
					+ this.searchStepsMax + " steps on " + String.join("; on ", inconclusiveKeys));
		}
		return new Result(Verdict.LINEARIZABLE,
				history.size() + " operations on " + operationsByKey.size() + " keys");
	}

	/** What a check concluded. */
	public enum Verdict {

		/** Every key's history has a linearization. */
		LINEARIZABLE,

		/** Some key's history has none: the store broke linearizability. */
		NOT_LINEARIZABLE,

		/** No violation was found, but the search of some key ran out of its step budget. */
		UNKNOWN

	}

	/**
	 * The outcome of a check.
	 *
	 * @param verdict what the check concluded
	 * @param explanation for a violation, the key, its operations and the longest linearizable prefix
	 * found; for an inconclusive check, the keys whose search ran out of budget; otherwise a summary
	 */
	public record Result(Verdict verdict, String explanation) {

		public Result {
			Objects.requireNonNull(verdict, "verdict");
			Objects.requireNonNull(explanation, "explanation");
		}

		/**
		 * Whether the history was shown linearizable.
		 * @return {@code true} only for {@link Verdict#LINEARIZABLE}
		 */
		public boolean linearizable() {
			return this.verdict == Verdict.LINEARIZABLE;
		}

	}

}
