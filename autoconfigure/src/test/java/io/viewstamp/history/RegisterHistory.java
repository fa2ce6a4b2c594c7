package io.viewstamp.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operations on one key, prepared for the search: values numbered, calls that cannot affect the
 * verdict left out, and the calls whose outcome is unknown given the tightest deadline that is safe.
 *
 * @param key the key
 * @param listing every operation on the key sorted by invocation, as shown in explanations
 * @param searched the operations the search must place, numbered from 0
 * @param values the value of each value number; number 0 is "no value" ({@code null})
 */
record RegisterHistory(String key, List<KvOperation> listing, List<RegisterOperation> searched,
		List<String> values) {

	private static final Comparator<KvOperation> BY_INVOCATION = Comparator.comparingLong(KvOperation::invokedAt)
		.thenComparingLong(KvOperation::completedAt)
		.thenComparingInt(KvOperation::client);

	/**
	 * Prepares the history of one key.
	 * @param key the key
	 * @param operations every operation on that key, in any order
	 * @return the prepared history
	 */
	static RegisterHistory of(String key, List<KvOperation> operations) {
		List<KvOperation> listing = new ArrayList<>(operations);
		listing.sort(BY_INVOCATION);
		ValueObservations observations = ValueObservations.of(listing);
		ValueNumbers numbers = new ValueNumbers();
		List<RegisterOperation> searched = new ArrayList<>();
		for (int label = 0; label < listing.size(); label++) {
			KvOperation operation = listing.get(label);
			if (operation.isIndeterminate() && cannotAffectVerdict(operation, observations)) {
				continue;
			}
			boolean writes = operation.mayWrite();
			boolean conditional = operation.kind() == KvOperation.Kind.CAS;
			boolean resultKnown = !operation.isIndeterminate();
			searched.add(new RegisterOperation(searched.size(), label, operation, deadline(operation, observations),
					writes, writes ? numbers.of(operation.value()) : 0, conditional,
					conditional ? numbers.of(operation.expected()) : 0, resultKnown,
					resultKnown ? numbers.of(operation.result()) : 0));
		}
		return new RegisterHistory(key, List.copyOf(listing), List.copyOf(searched), numbers.values());
	}

	/**
	 * Whether a call with unknown outcome can be left out without changing the verdict.
	 * <p>
	 * A GET with no result constrains nothing: it does not change the register and there is no
	 * result to match, so any linearization can place it anywhere.
	 * <p>
	 * A PUT with no result whose value no completed call returned (no GET read it, no PUT returned it
	 * as the previous value) can be left out too. Leaving it out of a linearization is always allowed,
	 * so a history linearizable without it is linearizable with it. Conversely, take a linearization
	 * with it: every completed call reads the register and returned what it held, so none comes right
	 * after this PUT with no other PUT in between (it would have returned the unobserved value). So
	 * the calls right after it, up to the next PUT, all have unknown outcomes and ignored results, and
	 * that next PUT overwrites the register anyway. Removing it thus leaves every completed call's
	 * result unchanged and keeps the real-time order (it is a subsequence): a linearization without it.
	 * The argument holds for all such PUTs at once, because it uses only the completed calls' results.
	 * Without this pruning, each such PUT would stay pending until the end of the history, and the
	 * search would try it at every point.
	 * <p>
	 * A CAS with no result is a write that may fail, and the same holds for it, with one more
	 * condition: no CAS (of any outcome) may expect its value. A CAS depends on the register, so a
	 * later CAS of unknown outcome that expects the value could take effect only after this one, and
	 * a completed call could observe what that later CAS wrote. A value that some CAS expects
	 * therefore counts as observed. Given that, in a linearization where this CAS succeeds, every call
	 * after it up to the next change of the register has an unknown outcome, none of them a CAS
	 * expecting its value; leaving it out, and leaving out those CASes that would then succeed on the
	 * old value, gives the same register after that stretch and the same results to every completed
	 * call.
	 */
	private static boolean cannotAffectVerdict(KvOperation operation, ValueObservations observations) {
		return !operation.mayWrite() || !observations.wasObserved(operation.value());
	}

	/**
	 * The latest time by which the operation must have taken effect.
	 * <p>
	 * For a completed call, its completion. For a PUT or CAS with unknown outcome, infinity, unless it
	 * is the only write (PUT or CAS) of a (non-null) value that a completed call returned: then every linearization places
	 * it before that call, since nothing else can have set the register to its value, and so before
	 * the completion of the earliest such call. Giving it that deadline adds only real-time
	 * constraints every linearization already meets (a call invoked after the deadline comes after
	 * the observer, which comes after the PUT), so the verdict stays the same, while the search no
	 * longer carries the PUT to the end of the history. When that observer completed before the PUT
	 * was even invoked, the history is not linearizable anyway; the deadline stays infinite so that
	 * the search sees the history as it is.
	 */
	private static long deadline(KvOperation operation, ValueObservations observations) {
		if (!operation.isIndeterminate()) {
			return operation.completedAt();
		}
		String value = operation.value();
		if (value != null && observations.writerCount(value) == 1) {
			long firstObservation = observations.earliestObservationCompletion(value);
			if (firstObservation >= operation.invokedAt()) {
				return firstObservation;
			}
		}
		return KvOperation.UNKNOWN_COMPLETION;
	}

	/**
	 * Which values the completed calls returned or some CAS expects, and how many writes (PUT or CAS)
	 * wrote each value.
	 */
	private record ValueObservations(Map<String, Long> earliestObservationCompletions,
			Map<String, Integer> writerCounts) {

		static ValueObservations of(List<KvOperation> operations) {
			// HashMap admits the null key, which stands for "no value".
			Map<String, Long> earliestObservationCompletions = new HashMap<>();
			Map<String, Integer> writerCounts = new HashMap<>();
			for (KvOperation operation : operations) {
				if (!operation.isIndeterminate()) {
					earliestObservationCompletions.merge(operation.result(), operation.completedAt(), Math::min);
				}
				if (operation.kind() == KvOperation.Kind.CAS) {
					// Not a completion: such a value is never given a deadline from it (see deadline),
					// only kept from the pruning (see cannotAffectVerdict).
					earliestObservationCompletions.merge(operation.expected(), KvOperation.UNKNOWN_COMPLETION, Math::min);
				}
				if (operation.mayWrite()) {
					writerCounts.merge(operation.value(), 1, Integer::sum);
				}
			}
			return new ValueObservations(earliestObservationCompletions, writerCounts);
		}

		boolean wasObserved(String value) {
			return this.earliestObservationCompletions.containsKey(value);
		}

		long earliestObservationCompletion(String value) {
			return this.earliestObservationCompletions.get(value);
		}

		int writerCount(String value) {
			return this.writerCounts.getOrDefault(value, 0);
		}

	}

	/** Numbers values in order of first use, keeping 0 for "no value". */
	private static final class ValueNumbers {

		private final Map<String, Integer> numbers = new HashMap<>();

		private final List<String> values = new ArrayList<>();

		ValueNumbers() {
			of(null);
		}

		int of(String value) {
			return this.numbers.computeIfAbsent(value, (added) -> {
				this.values.add(added);
				return this.values.size() - 1;
			});
		}

		List<String> values() {
			// List.copyOf rejects null, and value number 0 is null.
			return Collections.unmodifiableList(new ArrayList<>(this.values));
		}

	}

}
