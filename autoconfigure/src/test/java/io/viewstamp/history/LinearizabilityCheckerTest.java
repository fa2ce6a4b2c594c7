package io.viewstamp.history;

import static io.viewstamp.history.KvOperation.cas;
import static io.viewstamp.history.KvOperation.get;
import static io.viewstamp.history.KvOperation.indeterminateCas;
import static io.viewstamp.history.KvOperation.indeterminateGet;
import static io.viewstamp.history.KvOperation.indeterminatePut;
import static io.viewstamp.history.KvOperation.put;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.viewstamp.history.LinearizabilityChecker.Result;
import io.viewstamp.history.LinearizabilityChecker.Verdict;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {

	private final LinearizabilityChecker checker = new LinearizabilityChecker();

	@Test
	void acceptsEmptyHistory() {
		Result result = this.checker.check(List.of());

		assertThat(result.verdict()).isEqualTo(Verdict.LINEARIZABLE);
		assertThat(result.explanation()).isEqualTo("0 operations on 0 keys");
	}

	@Test
	void acceptsSequentialHistoryAndSummarizesIt() {
		Result result = this.checker.check(List.of(
				get(1, 0, 1, "x", null),
				put(1, 2, 3, "x", "a", null),
				put(2, 4, 5, "x", "b", "a"),
				get(1, 6, 7, "x", "b"),
				put(2, 8, 9, "y", "c", null),
				get(1, 10, 11, "y", "c")));

		assertThat(result.linearizable()).isTrue();
		assertThat(result.explanation()).isEqualTo("6 operations on 2 keys");
	}

	@Test
	void acceptsOverlappingWritesTakingEffectInInvocationOrder() {
		Result result = this.checker.check(List.of(
				put(1, 0, 10, "x", "a", null),
				put(2, 1, 11, "x", "b", "a"),
				get(3, 12, 13, "x", "b")));

		assertThat(result.linearizable()).isTrue();
	}

	@Test
	void acceptsOverlappingWritesTakingEffectInReverseOrder() {
		Result result = this.checker.check(List.of(
				put(1, 0, 10, "x", "a", "b"),
				put(2, 1, 11, "x", "b", null),
				get(3, 12, 13, "x", "a")));

		assertThat(result.linearizable()).isTrue();
	}

	@Test
	void treatsCallsThatMeetAtTheSameTickAsConcurrent() {
		List<KvOperation> readAtTheWriteCompletion = List.of(
				put(1, 0, 5, "x", "a", null),
				get(2, 5, 6, "x", null));
		List<KvOperation> readAfterTheWriteCompletion = List.of(
				put(1, 0, 5, "x", "a", null),
				get(2, 6, 7, "x", null));

		assertThat(this.checker.check(readAtTheWriteCompletion).linearizable()).isTrue();
		assertThat(this.checker.check(readAfterTheWriteCompletion).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
	}

	@Test
	void rejectsStaleReadAndNamesTheKey() {
		Result result = this.checker.check(List.of(
				put(1, 0, 1, "account", "a", null),
				put(1, 2, 3, "account", "b", "a"),
				get(2, 4, 5, "account", "a")));

		assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
		assertThat(result.linearizable()).isFalse();
		assertThat(result.explanation()).contains("key \"account\"")
			.contains("#2 client 2 [4, 5] GET, returned \"a\"")
			.contains("Longest linearizable prefix (2 of the 3 operations to place): #0 -> \"a\", #1 -> \"b\"");
	}

	@Test
	void rejectsWriteThatReturnsPreviousValueNobodyWrote() {
		Result result = this.checker.check(List.of(
				put(1, 0, 1, "x", "b", "a"),
				get(2, 2, 3, "x", "b")));

		assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
		assertThat(result.explanation()).contains("key \"x\"");
	}

	@Test
	void rejectsReadsGoingBackInTimeAcrossTwoClients() {
		Result result = this.checker.check(List.of(
				put(1, 0, 1, "x", "a", null),
				put(1, 2, 20, "x", "b", "a"),
				get(2, 3, 4, "x", "b"),
				get(3, 5, 6, "x", "a")));

		assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
	}

	@Test
	void acceptsReadsOfAnOverlappingWriteThatSeeItTakeEffect() {
		Result result = this.checker.check(List.of(
				put(1, 0, 1, "x", "a", null),
				put(1, 2, 20, "x", "b", "a"),
				get(2, 3, 4, "x", "a"),
				get(3, 5, 6, "x", "b")));

		assertThat(result.linearizable()).isTrue();
	}

	@Test
	void acceptsIndeterminatePutWhoseValueIsLaterObserved() {
		Result result = this.checker.check(List.of(
				put(1, 0, 1, "x", "a", null),
				indeterminatePut(1, 2, "x", "b"),
				get(2, 3, 4, "x", "a"),
				get(2, 50, 51, "x", "b"),
				put(3, 60, 61, "x", "c", "b")));

		assertThat(result.linearizable()).isTrue();
	}

	@Test
	void acceptsIndeterminatePutThatIsNeverObserved() {
		Result result = this.checker.check(List.of(
				put(1, 0, 1, "x", "a", null),
				indeterminatePut(1, 2, "x", "b"),
				get(2, 3, 4, "x", "a"),
				get(2, 50, 51, "x", "a"),
				put(3, 60, 61, "x", "c", "a")));

		assertThat(result.linearizable()).isTrue();
	}

	@Test
	void ignoresIndeterminateReads() {
		Result result = this.checker.check(List.of(
				indeterminateGet(1, 0, "x"),
				put(2, 1, 2, "x", "a", null),
				get(3, 3, 4, "x", "a")));

		assertThat(result.linearizable()).isTrue();
	}

	@Test
	void rejectsObservedValueThatNoPutWrote() {
		Result result = this.checker.check(List.of(
				put(1, 0, 1, "x", "a", null),
				indeterminatePut(1, 2, "x", "b"),
				get(2, 3, 4, "x", "c")));

		assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
		assertThat(result.explanation()).contains("key \"x\"").contains("GET, returned \"c\"");
	}

	@Test
	void rejectsIndeterminatePutObservedBeforeItWasInvoked() {
		Result result = this.checker.check(List.of(
				get(1, 0, 1, "x", "b"),
				indeterminatePut(2, 2, "x", "b")));

		assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
	}

	@Test
	void rejectsValueOfIndeterminatePutVanishingOnceObserved() {
		Result result = this.checker.check(List.of(
				put(1, 0, 1, "x", "a", null),
				indeterminatePut(1, 2, "x", "b"),
				get(2, 3, 4, "x", "b"),
				get(2, 5, 6, "x", "a")));

		assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
	}

	@Test
	void acceptsRepeatedValuesWithoutAssumingWritesAreUnique() {
		Result result = this.checker.check(List.of(
				put(1, 0, 1, "x", "a", null),
				put(1, 2, 3, "x", "b", "a"),
				indeterminatePut(2, 4, "x", "a"),
				get(3, 5, 6, "x", "a"),
				put(3, 7, 8, "x", "a", "a"),
				get(3, 9, 10, "x", "a")));

		assertThat(result.linearizable()).isTrue();
	}

	@Test
	void acceptsIndeterminatePutOfRepeatedValueTakingEffectLongAfterTheValueWasFirstSeen() {
		Result result = this.checker.check(List.of(
				indeterminatePut(3, 0, "x", "a"),
				put(1, 0, 1, "x", "a", null),
				get(2, 2, 3, "x", "a"),
				put(1, 5, 6, "x", "b", "a"),
				get(2, 10, 11, "x", "a")));

		assertThat(result.linearizable()).isTrue();
	}

	@Test
	void acceptsIndeterminatePutOfNoValueTakingEffectAfterTheInitialNoValueWasSeen() {
		Result result = this.checker.check(List.of(
				indeterminatePut(3, 0, "x", null),
				put(1, 0, 1, "x", "a", null),
				get(2, 2, 3, "x", "a"),
				get(2, 5, 6, "x", null)));

		assertThat(result.linearizable()).isTrue();
	}

	@Test
	void findsViolationOnOneKeyAmongManyValidKeys() {
		List<KvOperation> history = new ArrayList<>();
		for (int key = 0; key < 40; key++) {
			history.add(put(1, 10 * key, 10 * key + 1, "key-" + key, "a" + key, null));
			history.add(put(2, 10 * key + 2, 10 * key + 3, "key-" + key, "b" + key, "a" + key));
			history.add(get(3, 10 * key + 4, 10 * key + 5, "key-" + key, (key == 27) ? "a" + key : "b" + key));
		}

		Result result = this.checker.check(history);

		assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
		assertThat(result.explanation()).contains("key \"key-27\"").doesNotContain("key-26").doesNotContain("key-28");
	}

	@Test
	void reportsUnknownWhenTheStepBudgetRunsOut() {
		Result result = new LinearizabilityChecker(1).check(List.of(
				put(1, 0, 1, "x", "a", null),
				get(2, 2, 3, "x", "a")));

		assertThat(result.verdict()).isEqualTo(Verdict.UNKNOWN);
		assertThat(result.linearizable()).isFalse();
		assertThat(result.explanation()).contains("Inconclusive").contains("key \"x\"");
	}

	@Test
	void acceptsLargeRandomValidHistoryWithinTheStepBudget() {
		List<KvOperation> history = new AtomicStoreSimulation(20240611, 8, 20, 0.05, 0).history(5_000);

		Result result = this.checker.check(history);

		assertThat(result.verdict()).as(result.explanation()).isEqualTo(Verdict.LINEARIZABLE);
		assertThat(result.explanation()).isEqualTo("5000 operations on 20 keys");
	}

	@Test
	void rejectsLargeRandomHistoryWithOneStaleRead() {
		List<KvOperation> history = new AtomicStoreSimulation(20240611, 8, 20, 0.05, 0).history(5_000);
		StaleRead staleRead = StaleRead.injectInto(history);

		Result result = this.checker.check(staleRead.history());

		assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
		assertThat(result.explanation()).contains("key \"" + staleRead.key() + "\"");
	}

	@Test
	void agreesWithExhaustiveSearchOnSmallRandomHistories() {
		Random random = new Random(7);
		int linearizable = 0;
		int notLinearizable = 0;
		for (int seed = 0; seed < 1_000; seed++) {
			int valuePoolSize = (seed % 2 == 0) ? 0 : 3;
			List<KvOperation> history = new AtomicStoreSimulation(seed, 4, 2, 0.25, valuePoolSize).history(9);
			if (random.nextBoolean()) {
				history = withOneResultChanged(history, random);
			}

			boolean expected = ExhaustiveLinearizabilityOracle.isLinearizable(history);
			Result result = this.checker.check(history);

			assertThat(result.linearizable()).as("seed %d: %s", seed, history).isEqualTo(expected);
			assertThat(result.verdict()).isNotEqualTo(Verdict.UNKNOWN);
			if (expected) {
				linearizable++;
			}
			else {
				notLinearizable++;
			}
		}
		assertThat(linearizable).isGreaterThan(200);
		assertThat(notLinearizable).isGreaterThan(200);
	}

	@Test
	void agreesWithExhaustiveSearchOnSmallRandomHistoriesWithCompareAndSet() {
		Random random = new Random(11);
		int linearizable = 0;
		int notLinearizable = 0;
		int casSucceeded = 0;
		for (int seed = 0; seed < 2_000; seed++) {
			int valuePoolSize = (seed % 3 == 0) ? 3 : 0;
			List<KvOperation> history = new AtomicStoreSimulation(seed, 4, 1 + seed % 2, 0.3, valuePoolSize, 0.4)
				.history(9);
			casSucceeded += (int) history.stream()
				.filter((operation) -> operation.kind() == KvOperation.Kind.CAS && !operation.isIndeterminate()
						&& java.util.Objects.equals(operation.expected(), operation.result()))
				.count();
			if (random.nextBoolean()) {
				history = withOneResultChanged(history, random);
			}

			boolean expected = ExhaustiveLinearizabilityOracle.isLinearizable(history);
			Result result = this.checker.check(history);

			assertThat(result.linearizable()).as("seed %d: %s", seed, history).isEqualTo(expected);
			assertThat(result.verdict()).isNotEqualTo(Verdict.UNKNOWN);
			if (expected) {
				linearizable++;
			}
			else {
				notLinearizable++;
			}
		}
		assertThat(linearizable).isGreaterThan(400);
		assertThat(notLinearizable).isGreaterThan(400);
		assertThat(casSucceeded).as("compare-and-sets that succeeded").isGreaterThan(500);
	}

	@Test
	void acceptsCompareAndSetThatFailsBecauseAnotherWriteCameFirst() {
		List<KvOperation> history = List.of(put(0, 0, 2, "k", "a", null), put(1, 3, 5, "k", "b", "a"),
				cas(2, 6, 8, "k", "a", "c", "b"), get(0, 9, 10, "k", "b"));

		assertThat(this.checker.check(history).linearizable()).isTrue();
	}

	@Test
	void rejectsCompareAndSetThatSucceedsOnAValueTheKeyNoLongerHeld() {
		List<KvOperation> history = List.of(put(0, 0, 2, "k", "a", null), put(1, 3, 5, "k", "b", "a"),
				cas(2, 6, 8, "k", "a", "c", "a"));

		Result result = this.checker.check(history);

		assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
		assertThat(result.explanation()).contains("CAS \"a\" -> \"c\"");
	}

	@Test
	void rejectsReadThatMissesASuccessfulCompareAndSet() {
		List<KvOperation> history = List.of(put(0, 0, 2, "k", "a", null), cas(1, 3, 5, "k", "a", "b", "a"),
				get(2, 6, 7, "k", "a"));

		assertThat(this.checker.check(history).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
	}

	@Test
	void acceptsChainOfCompareAndSetsOfUnknownOutcomeWhoseLastValueIsRead() {
		// Neither "a" nor "b" is returned by a completed call, but the second CAS can write "b" only
		// after the first wrote "a": the first must not be left out as unobserved.
		List<KvOperation> history = List.of(indeterminateCas(0, 0, "k", null, "a"), indeterminateCas(1, 1, "k", "a", "b"),
				get(2, 10, 11, "k", "b"));

		assertThat(this.checker.check(history).linearizable()).isTrue();
	}

	@Test
	void acceptsLargeRandomHistoryWithCompareAndSetWithinTheStepBudget() {
		List<KvOperation> history = new AtomicStoreSimulation(20261204, 8, 20, 0.05, 0, 0.3).history(5_000);

		Result result = this.checker.check(history);

		assertThat(result.verdict()).as(result.explanation()).isEqualTo(Verdict.LINEARIZABLE);
	}

	private static List<KvOperation> withOneResultChanged(List<KvOperation> history, Random random) {
		List<KvOperation> changed = new ArrayList<>(history);
		int index = random.nextInt(changed.size());
		KvOperation original = changed.get(index);
		String[] candidates = { null, "v0", "v1", "v2", "v" + random.nextInt(9) };
		String result = candidates[random.nextInt(candidates.length)];
		changed.set(index, new KvOperation(original.client(), original.invokedAt(), original.completedAt(),
				original.kind(), original.key(), original.value(), result, original.expected()));
		return changed;
	}

	/**
	 * A history in which one GET was made to return a value that had certainly been overwritten: a PUT
	 * of another value started after the stale value's PUT completed, and completed before the GET
	 * started.
	 */
	private record StaleRead(List<KvOperation> history, String key) {

		static StaleRead injectInto(List<KvOperation> history) {
			for (int index = 0; index < history.size(); index++) {
				KvOperation read = history.get(index);
				if (read.kind() != KvOperation.Kind.GET || read.isIndeterminate()) {
					continue;
				}
				String staleValue = overwrittenBefore(history, read);
				if (staleValue != null && !staleValue.equals(read.result())) {
					List<KvOperation> changed = new ArrayList<>(history);
					changed.set(index, get(read.client(), read.invokedAt(), read.completedAt(), read.key(), staleValue));
					return new StaleRead(changed, read.key());
				}
			}
			throw new IllegalStateException("No GET follows two PUTs ordered in real time");
		}

		private static String overwrittenBefore(List<KvOperation> history, KvOperation read) {
			for (KvOperation overwrite : history) {
				if (isCompletedPut(overwrite, read.key()) && overwrite.completedAt() < read.invokedAt()) {
					for (KvOperation overwritten : history) {
						if (isCompletedPut(overwritten, read.key())
								&& overwritten.completedAt() < overwrite.invokedAt()) {
							return overwritten.value();
						}
					}
				}
			}
			return null;
		}

		private static boolean isCompletedPut(KvOperation operation, String key) {
			return operation.kind() == KvOperation.Kind.PUT && !operation.isIndeterminate()
					&& operation.key().equals(key);
		}

	}

}
