package io.viewstamp.history;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Writes what a human needs to see why a key's history failed the check. */
final class Explanations {

	private Explanations() {
	}

	/**
	 * Explains a key whose history has no linearization.
	 * @param history the key's history
	 * @param outcome the search's findings
	 * @return the key, its operations sorted by invocation, and the longest linearizable prefix
	 */
	static String violation(RegisterHistory history, RegisterSearch.SearchOutcome outcome) {
		StringBuilder explanation = new StringBuilder();
		explanation.append("Not linearizable: key ")
			.append(quoted(history.key()))
			.append(" has no linearization.\n");
		appendListing(explanation, history);
		appendPrefix(explanation, history, outcome.longestPrefix());
		return explanation.toString();
	}

	/**
	 * Explains a key whose search ran out of its budget.
	 * @param history the key's history
	 * @param outcome the search's findings
	 * @return one line naming the key and how far the search got
	 */
	static String inconclusive(RegisterHistory history, RegisterSearch.SearchOutcome outcome) {
		return "key " + quoted(history.key()) + " (" + history.listing().size() + " operations, longest prefix "
				+ outcome.longestPrefix().size() + " of " + history.searched().size() + " to place)";
	}

	private static void appendListing(StringBuilder explanation, RegisterHistory history) {
		Set<Integer> searchedLabels = new HashSet<>();
		for (RegisterOperation operation : history.searched()) {
			searchedLabels.add(operation.label());
		}
		explanation.append("Operations on ")
			.append(quoted(history.key()))
			.append(", sorted by invocation:\n");
		for (int label = 0; label < history.listing().size(); label++) {
			KvOperation operation = history.listing().get(label);
			explanation.append("  #").append(label).append(' ').append(describe(operation));
			if (!searchedLabels.contains(label)) {
				explanation.append(" (left out: it cannot change the verdict)");
			}
			explanation.append('\n');
		}
	}

	private static void appendPrefix(StringBuilder explanation, RegisterHistory history,
			List<RegisterOperation> prefix) {
		explanation.append("Longest linearizable prefix (")
			.append(prefix.size())
			.append(" of the ")
			.append(history.searched().size())
			.append(" operations to place):");
		int value = 0;
		for (RegisterOperation operation : prefix) {
			value = operation.valueAfter(value);
			explanation.append(" #").append(operation.label()).append(" -> ").append(quoted(history.values().get(value)))
				.append(',');
		}
		if (!prefix.isEmpty()) {
			explanation.setLength(explanation.length() - 1);
		}
		else {
			explanation.append(" none");
		}
		Set<RegisterOperation> placed = new HashSet<>(prefix);
		String remaining = history.searched()
			.stream()
			.filter((operation) -> !placed.contains(operation))
			.map((operation) -> "#" + operation.label())
			.collect(Collectors.joining(", "));
		explanation.append("\nAfter it the value is ")
			.append(quoted(history.values().get(value)))
			.append(", and no linearization extends it to place the rest: ")
			.append(remaining)
			.append('\n');
	}

	private static String describe(KvOperation operation) {
		String interval = "[" + operation.invokedAt() + ", "
				+ (operation.isIndeterminate() ? "?" : String.valueOf(operation.completedAt())) + "]";
		String call = switch (operation.kind()) {
			case PUT -> "PUT " + quoted(operation.value());
			case CAS -> "CAS " + quoted(operation.expected()) + " -> " + quoted(operation.value());
			case GET -> "GET";
		};
		String outcome;
		if (operation.isIndeterminate()) {
			outcome = "outcome unknown";
		}
		else if (operation.mayWrite()) {
			outcome = "returned previous " + quoted(operation.result());
		}
		else {
			outcome = "returned " + quoted(operation.result());
		}
		return "client " + operation.client() + " " + interval + " " + call + ", " + outcome;
	}

	private static String quoted(String value) {
		return (value != null) ? "\"" + value + "\"" : "null";
	}

}
