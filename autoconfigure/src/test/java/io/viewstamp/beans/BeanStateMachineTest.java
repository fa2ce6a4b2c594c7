package io.viewstamp.beans;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.viewstamp.Replicated;
import io.viewstamp.ReplicatedContext;
import io.viewstamp.ReplicatedState;
import io.viewstamp.runtime.ReplicationClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every replica does with a committed command: the real bean's method runs, with the op's
 * time and generator, and its result or exception is encoded; snapshots capture every bean's
 * state and restore it on another replica, byte for byte.
 */
class BeanStateMachineTest {

	/** 2024-01-01T00:00:00.000000123Z in nanoseconds since the epoch. */
	private static final long TIMESTAMP_NANOS = 1_704_067_200_000_000_123L;

	@Test
	void aCommandRunsTheRealBeanAndReturnsItsResult() throws Exception {
		Replica replica = new Replica();

		assertThat(replica.call(1, "add", "apple", 3)).isEqualTo(3);
		assertThat(replica.call(2, "add", "apple", 2)).isEqualTo(5);

		assertThat(replica.inventory.count("apple")).isEqualTo(5);
		assertThat(replica.inventory.lastChange()).isEqualTo(Instant.parse("2024-01-01T00:00:00.000000123Z"));
	}

	@Test
	void theOpsTimeAndGeneratorAreTheSameOnEveryReplica() throws Exception {
		Replica first = new Replica();
		Replica second = new Replica();

		Object firstDraw = first.call(5, "draw");
		Object secondDraw = second.call(5, "draw");
		Object sameOpNextCommand = first.call(5, "draw");
		Object nextOp = first.call(6, "draw");

		assertThat(firstDraw).isEqualTo(secondDraw);
		assertThat(((Draw) firstDraw).now()).isEqualTo(Instant.parse("2024-01-01T00:00:00.000000123Z"));
		assertThat(((Draw) sameOpNextCommand).numbers()).isNotEqualTo(((Draw) firstDraw).numbers());
		assertThat(((Draw) nextOp).numbers()).isNotEqualTo(((Draw) firstDraw).numbers());
	}

	@Test
	void theContextIsRefusedOutsideACommand() throws Exception {
		assertThatIllegalStateException().isThrownBy(ReplicatedContext::now)
			.withMessageContaining("outside a command being applied");
		assertThatIllegalStateException().isThrownBy(ReplicatedContext::random)
			.withMessageContaining("call it only from a command method");
	}

	@Test
	void anExceptionIsReturnedAndWhatTheMethodChangedBeforeStays() throws Exception {
		Replica replica = new Replica();
		replica.call(1, "add", "apple", 3);

		assertThatThrownBy(() -> replica.call(2, "remove", "apple", 5)).isExactlyInstanceOf(IllegalStateException.class)
			.hasMessage("Only 3 of apple in stock");
		assertThatThrownBy(() -> replica.call(3, "addThenFail", "pear", 4)).isExactlyInstanceOf(IllegalArgumentException.class)
			.hasMessage("changed my mind");
		assertThat(replica.inventory.count("pear")).isEqualTo(4);
	}

	@Test
	void anUnknownBeanOrMethodStopsTheReplicaWithAClearError() throws Exception {
		Replica replica = new Replica();
		byte[] command = replica.codec().encodeCall("warehouse", replica.method("add"), new Object[] { "apple", 1 });

		assertThatIllegalStateException().isThrownBy(() -> replica.stateMachine.apply(7, TIMESTAMP_NANOS, command))
			.withMessageContaining("Op 7 calls add(java.lang.String,int) of @Replicated bean 'warehouse'")
			.withMessageContaining("does not have")
			.withMessageContaining("The replica stops: skipping the command would make its state diverge");

		byte[] unknownMethod = new String(replica.codec().encodeCall("inventory", replica.method("add"),
				new Object[] { "apple", 1 }))
			.replace("add(", "put(")
			.getBytes();
		assertThatIllegalStateException().isThrownBy(() -> replica.stateMachine.apply(8, TIMESTAMP_NANOS, unknownMethod))
			.withMessageContaining("Op 8 calls put(java.lang.String,int) of @Replicated bean 'inventory'")
			.withMessageContaining("does not declare");
	}

	@Test
	void aSnapshotOfFieldsRestoresOnAnotherReplicaIncludingFinalFields() throws Exception {
		Replica source = new Replica();
		source.call(1, "add", "apple", 3);
		source.call(2, "add", "pear", 1);
		byte[] snapshot = source.stateMachine.snapshot();

		Replica target = new Replica();
		target.call(1, "add", "fig", 9);
		target.stateMachine.restore(snapshot);

		assertThat(target.inventory.stock()).isEqualTo(Map.of("apple", 3, "pear", 1));
		assertThat(target.inventory.lastChange()).isEqualTo(source.inventory.lastChange());
		assertThat(target.stateMachine.snapshot()).isEqualTo(snapshot);
		assertThat(target.call(3, "add", "apple", 1)).isEqualTo(4);
	}

	@Test
	void aFieldDeclaredAsAnInterfaceIsRestoredAsTheClassItHeld() {
		SortedCounts source = new SortedCounts();
		source.counts.put("pear", 1);
		source.counts.put("apple", 2);
		BeanStateMachine sourceMachine = new BeanStateMachine(JsonMapper.builder().build());
		sourceMachine.register("counts", source);
		SortedCounts target = new SortedCounts();
		BeanStateMachine targetMachine = new BeanStateMachine(JsonMapper.builder().build());
		targetMachine.register("counts", target);

		targetMachine.restore(sourceMachine.snapshot());
		target.counts.put("banana", 3);
		source.counts.put("banana", 3);

		// Jackson's own Map, a LinkedHashMap, would iterate apple, pear, banana: another order than the source's.
		assertThat(target.counts).isInstanceOf(TreeMap.class);
		assertThat(target.counts.keySet()).containsExactlyElementsOf(source.counts.keySet());
		assertThat(target.names).isInstanceOf(LinkedList.class);
	}

	@Test
	void orderedContainersKeepTheirOrderAndComparatorThroughASnapshot() {
		OrderedState source = new OrderedState();
		source.arrivals.put("pear", 1);
		source.arrivals.put("apple", 2);
		source.arrivals.put("fig", 3);
		source.reversed.put("a", 1);
		source.reversed.put("c", 3);
		source.seen.add("pear");
		source.seen.add("apple");
		source.tags = List.of("x", "y");
		source.phase = new Closed("done");
		OrderedState target = restoredCopy(source);

		// Sorted by key in the snapshot, the LinkedHashMap would come back apple, fig, pear.
		assertThat(target.arrivals.keySet()).containsExactly("pear", "apple", "fig");
		assertThat(target.reversed).isInstanceOf(TreeMap.class);
		assertThat(target.reversed.keySet()).containsExactly("c", "a");
		assertThat(target.seen).containsExactly("pear", "apple");
		assertThat(target.tags).containsExactly("x", "y");
		// A polymorphic field is read by its declared type, as the subtype the snapshot names.
		assertThat(target.phase).isEqualTo(new Closed("done"));
	}

	private static OrderedState restoredCopy(OrderedState source) {
		BeanStateMachine sourceMachine = new BeanStateMachine(JsonMapper.builder().build());
		sourceMachine.register("ordered", source);
		OrderedState target = new OrderedState();
		BeanStateMachine targetMachine = new BeanStateMachine(JsonMapper.builder().build());
		targetMachine.register("ordered", target);
		targetMachine.restore(sourceMachine.snapshot());
		assertThat(targetMachine.snapshot()).isEqualTo(sourceMachine.snapshot());
		return target;
	}

	@Test
	void aReplicatedStateBeanIsSnapshotThroughItsOwnMethods() throws Exception {
		Replica source = new Replica();
		source.call(1, "record", "first");
		source.call(2, "record", "second");
		byte[] snapshot = source.stateMachine.snapshot();

		Replica target = new Replica();
		target.stateMachine.restore(snapshot);

		assertThat(target.journal.entries).containsExactly("first", "second");
		assertThat(target.journal.restores).isEqualTo(1);
		assertThat(new String(snapshot)).contains("\"journal\":{\"entries\":[\"first\",\"second\"]}");
	}

	@Test
	void equalStatesGiveEqualBytes() throws Exception {
		Replica forwards = new Replica();
		Replica backwards = new Replica();
		String[] skus = { "apple", "pear", "fig", "kiwi", "plum", "lime" };
		for (int i = 0; i < skus.length; i++) {
			forwards.call(1, "add", skus[i], 1);
			backwards.call(1, "add", skus[skus.length - 1 - i], 1);
		}

		assertThat(forwards.stateMachine.snapshot()).isEqualTo(backwards.stateMachine.snapshot());
	}

	@Test
	void aSnapshotNamingAnUnknownBeanIsRefused() throws Exception {
		Replica replica = new Replica();

		assertThatIllegalStateException()
			.isThrownBy(() -> replica.stateMachine.restore("{\"cellar\":{}}".getBytes()))
			.withMessageContaining("'cellar', which this application does not have");
	}

	@Test
	void aCallOfAnotherReplicatedBeanDuringACommandRunsDirectlyAsPartOfIt() throws Exception {
		Replica replica = new Replica();

		replica.call(1, "recordVia", "nested");

		assertThat(replica.journal.entries).containsExactly("nested");
	}

	@Test
	void theBarrierOfALinearizableReadChangesNothing() throws Exception {
		Replica replica = new Replica();
		byte[] before = replica.stateMachine.snapshot();

		byte[] result = replica.stateMachine.apply(1, TIMESTAMP_NANOS, replica.codec().encodeBarrier());

		assertThat(replica.codec().decodeResult(null, result, getClass().getClassLoader()).get()).isNull();
		assertThat(replica.stateMachine.snapshot()).isEqualTo(before);
	}

	/** One replica's beans: an inventory, a journal, and a bean that calls the journal's proxy. */
	private static final class Replica {

		final BeanStateMachine stateMachine = new BeanStateMachine(JsonMapper.builder().build());

		final Inventory inventory = new Inventory();

		final Journal journal = new Journal();

		final Tools tools = new Tools();

		Replica() {
			// Nested calls go through the journal's proxy; if they reached the log, this client would say so.
			ReplicatedBeanPostProcessor postProcessor = new ReplicatedBeanPostProcessor(this.stateMachine,
					Replica::noClient);
			postProcessor.postProcessAfterInitialization(this.inventory, "inventory");
			this.tools.journal = (Journal) postProcessor.postProcessAfterInitialization(this.journal, "journal");
			postProcessor.postProcessAfterInitialization(this.tools, "tools");
		}

		private static ReplicationClient noClient() {
			throw new AssertionError("a call during a command went through the log");
		}

		CommandCodec codec() {
			return this.stateMachine.codec();
		}

		ReplicatedMethod method(String name) {
			for (String beanName : List.of("inventory", "journal", "tools")) {
				ReplicatedBean bean = this.stateMachine.bean(beanName);
				for (ReplicatedMethod method : bean.methods().values()) {
					if (method.method().getName().equals(name)) {
						return method;
					}
				}
			}
			throw new IllegalArgumentException(name);
		}

		/** Applies a call of {@code name} as op {@code op} and returns its decoded result. */
		Object call(long op, String name, Object... arguments) throws Exception {
			ReplicatedMethod method = method(name);
			Method declared = method.method();
			String bean = (declared.getDeclaringClass() == Inventory.class) ? "inventory"
					: (declared.getDeclaringClass() == Journal.class) ? "journal" : "tools";
			byte[] result = this.stateMachine.apply(op, TIMESTAMP_NANOS, codec().encodeCall(bean, method, arguments));
			return codec().decodeResult(method, result, getClass().getClassLoader()).get();
		}

	}

	@Replicated
	static class SortedCounts {

		final Map<String, Integer> counts = new TreeMap<>();

		final List<String> names = new LinkedList<>();

		public void count(String name) {
			this.counts.merge(name, 1, Integer::sum);
			this.names.add(name);
		}

	}

	@Replicated
	static class OrderedState {

		final Map<String, Integer> arrivals = new LinkedHashMap<>();

		final Map<String, Integer> reversed = new TreeMap<>(Comparator.reverseOrder());

		final Set<String> seen = new LinkedHashSet<>();

		List<String> tags = List.of();

		Phase phase = new Open();

		public void touch() {
			this.tags = List.of();
		}

	}

	@JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
	@JsonSubTypes({ @JsonSubTypes.Type(value = Open.class, name = "open"),
			@JsonSubTypes.Type(value = Closed.class, name = "closed") })
	sealed interface Phase permits Open, Closed {
	}

	record Open() implements Phase {
	}

	record Closed(String reason) implements Phase {
	}

		record Draw(Instant now, List<Long> numbers) {
	}

	record JournalState(List<String> entries) {
	}

	@Replicated
	static class Journal implements ReplicatedState<JournalState> {

		final List<String> entries = new ArrayList<>();

		transient int restores;

		public void record(String entry) {
			this.entries.add(entry);
		}

		@Override
		public JournalState snapshot() {
			return new JournalState(List.copyOf(this.entries));
		}

		@Override
		public void restore(JournalState state) {
			this.entries.clear();
			this.entries.addAll(state.entries());
			this.restores++;
		}

	}

	@Replicated
	static class Tools {

		transient Journal journal;

		private final Map<String, Integer> scratch = new HashMap<>();

		private final TreeMap<String, Integer> sorted = new TreeMap<>();

		public Draw draw() {
			List<Long> numbers = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				numbers.add(ReplicatedContext.random().nextLong());
			}
			return new Draw(ReplicatedContext.now(), numbers);
		}

		public void recordVia(String entry) {
			this.journal.record(entry);
		}

	}

}
