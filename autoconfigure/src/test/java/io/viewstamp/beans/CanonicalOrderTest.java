package io.viewstamp.beans;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.viewstamp.Replicated;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Equal states give equal snapshot bytes, whatever the history of their hash tables: the replicas
 * compare digests of these bytes, and a difference is reported as divergence.
 */
class CanonicalOrderTest {

	private static final List<String> WORDS = List.of("apple", "pear", "fig", "kiwi", "plum", "lime", "quince", "date",
			"grape", "melon", "mango", "peach", "cherry", "lemon", "olive", "guava");

	@Test
	void setsAndMapsWhoseTablesGrewDifferentlyGiveEqualBytes() {
		Tags grown = new Tags(1024);
		Tags fresh = new Tags(0);
		for (int index = 0; index < WORDS.size(); index++) {
			grown.add(WORDS.get(index), index);
			fresh.add(WORDS.get(WORDS.size() - 1 - index), WORDS.size() - 1 - index);
		}
		// Without canonical order the two would be written differently: their iteration orders differ.
		assertThat(new ArrayList<>(grown.names)).isNotEqualTo(new ArrayList<>(fresh.names));
		assertThat(new ArrayList<>(grown.labels)).isNotEqualTo(new ArrayList<>(fresh.labels));

		assertThat(snapshot(grown)).isEqualTo(snapshot(fresh));
	}

	@Test
	void aRestoredStateGivesTheBytesItWasRestoredFrom() {
		Tags grown = new Tags(1024);
		for (int index = 0; index < WORDS.size(); index++) {
			grown.add(WORDS.get(index), index);
		}
		byte[] snapshot = snapshot(grown);
		BeanStateMachine restored = stateMachine(new Tags(0));
		restored.restore(snapshot);

		assertThat(restored.snapshot()).isEqualTo(snapshot);
	}

	@Test
	void setsThatKeepAnOrderAreWrittenInIt() {
		Tags tags = new Tags(0);
		tags.queue.add("second");
		tags.queue.add("first");

		assertThat(new String(snapshot(tags), StandardCharsets.UTF_8)).contains("\"queue\":[\"second\",\"first\"]");
	}

	@Test
	void theElementsOfASetAreSortedByValueOrByTheirJson() {
		Tags tags = new Tags(0);
		tags.add("b", 2);
		tags.add("a", 1);

		assertThat(new String(snapshot(tags), StandardCharsets.UTF_8)).contains("\"names\":[\"a\",\"b\"]")
			.contains("\"labels\":[{\"text\":\"a\",\"weight\":1},{\"text\":\"b\",\"weight\":2}]")
			.contains("\"byWeight\":{\"1\":[\"a\"],\"2\":[\"b\"]}");
	}

	@Test
	void elementsEqualToCompareToButNotToEachOtherStillHaveOneOrder() {
		// 1.0 and 1.00 are two elements of a HashSet but equal to compareTo: their JSON decides.
		Amounts forwards = new Amounts();
		forwards.values.add(new BigDecimal("1.00"));
		forwards.values.add(new BigDecimal("1.0"));
		Amounts backwards = new Amounts();
		backwards.values.add(new BigDecimal("1.0"));
		backwards.values.add(new BigDecimal("1.00"));
		BeanStateMachine first = new BeanStateMachine(JsonMapper.builder().build());
		first.register("amounts", forwards);
		BeanStateMachine second = new BeanStateMachine(JsonMapper.builder().build());
		second.register("amounts", backwards);

		assertThat(first.snapshot()).isEqualTo(second.snapshot());
	}

	@Replicated
	static class Amounts {

		final Set<BigDecimal> values = new InsertionOrderSet();

		public void add(BigDecimal value) {
			this.values.add(value);
		}

	}

	/** A set in insertion order that does not say so (it is no LinkedHashSet), so its elements are sorted. */
	static final class InsertionOrderSet extends java.util.AbstractSet<BigDecimal> {

		private final List<BigDecimal> elements = new ArrayList<>();

		@Override
		public boolean add(BigDecimal value) {
			if (this.elements.contains(value)) {
				return false;
			}
			return this.elements.add(value);
		}

		@Override
		public java.util.Iterator<BigDecimal> iterator() {
			return this.elements.iterator();
		}

		@Override
		public int size() {
			return this.elements.size();
		}

	}

	private static byte[] snapshot(Tags tags) {
		return stateMachine(tags).snapshot();
	}

	private static BeanStateMachine stateMachine(Tags tags) {
		BeanStateMachine stateMachine = new BeanStateMachine(JsonMapper.builder().build());
		stateMachine.register("tags", tags);
		return stateMachine;
	}

	/** A label: a record, so not comparable. */
	record Label(String text, int weight) {
	}

	@Replicated
	static class Tags {

		final Set<String> names;

		final Set<Label> labels;

		final Map<Integer, Set<String>> byWeight = new HashMap<>();

		final LinkedHashSet<String> queue = new LinkedHashSet<>();

		/** @param capacity the initial capacity of the hash tables, 0 for the default */
		Tags(int capacity) {
			this.names = (capacity > 0) ? new HashSet<>(capacity) : new HashSet<>();
			this.labels = (capacity > 0) ? new HashSet<>(capacity) : new HashSet<>();
		}

		public void add(String name, int weight) {
			this.names.add(name);
			this.labels.add(new Label(name, weight));
			this.byWeight.computeIfAbsent(weight, (key) -> new HashSet<>()).add(name);
		}

	}

}
