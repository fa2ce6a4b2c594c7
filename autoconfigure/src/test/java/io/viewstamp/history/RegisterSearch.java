package io.viewstamp.history;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Searches for a linearization of one key's history: Wing and Gong's backtracking search over the
 * history's call and return events, with Lowe's memoisation of the configurations already explored
 * (the set of operations linearized and the register's value), as in Lowe's "Testing for
 * linearizability" (2017) and Porcupine.
 * <p>
 * The events sit in a doubly linked list ordered by time. The search walks it from the start: at a
 * call it tries to linearize that operation next, removing its call and return from the list; at a
 * return it has met an operation that must already have been linearized, so it backtracks. Removed
 * events are put back in reverse order, which the list supports in constant time.
 * <p>
 * One more reduction, specific to reads, keeps the search from backtracking once for every read
 * that overlaps a write: a read that can come next is linearized at once and never second-guessed
 * (see {@link #firstReadyRead()}).
 */
final class RegisterSearch {

	/** Calls before returns at equal times: a call that completes when another is invoked overlaps it. */
	private static final Comparator<Event> BY_TIME = Comparator.comparingLong(Event::time)
		.thenComparing(Event::isReturn)
		.thenComparingInt((event) -> event.operation.number());

	private final long stepsMax;

	private final Event head = new Event(null, false, Long.MIN_VALUE);

	private final Set<Configuration> explored = new HashSet<>();

	private final BitSet linearized;

	/** The register's value number after the linearized operations. */
	private int value;

	/** The linearized operations, most recent first. */
	private Frame top;

	/** The deepest stack seen, for explanations. */
	private Frame longest;

	private long steps;

	private RegisterSearch(RegisterHistory history, long stepsMax) {
		this.stepsMax = stepsMax;
		this.linearized = new BitSet(history.searched().size());
		List<Event> events = new ArrayList<>();
		for (RegisterOperation operation : history.searched()) {
			Event call = new Event(operation, false, operation.invokedAt());
			call.match = new Event(operation, true, operation.deadline());
			events.add(call);
			events.add(call.match);
		}
		events.sort(BY_TIME);
		Event previous = this.head;
		for (Event event : events) {
			previous.next = event;
			event.previous = previous;
			previous = event;
		}
	}

	/**
	 * Searches one key's history.
	 * @param history the prepared history
	 * @param stepsMax the most search steps to take before giving up
	 * @return what the search found
	 */
	static SearchOutcome run(RegisterHistory history, long stepsMax) {
		return new RegisterSearch(history, stepsMax).run();
	}

	private SearchOutcome run() {
		Event event = firstReadyRead();
		while (this.head.next != null) {
			if (++this.steps > this.stepsMax) {
				return outcome(LinearizabilityChecker.Verdict.UNKNOWN, this.longest);
			}
			if (event.isReturn) {
				// An operation that completed here is not linearized yet: this configuration leads nowhere.
				event = backtrack();
			}
			else if (!event.operation.canTakeEffectOn(this.value)) {
				event = event.next;
			}
			else if (linearize(event)) {
				event = firstReadyRead();
				continue;
			}
			else if (!event.operation.writes()) {
				// A ready read whose configuration was already explored (see firstReadyRead): the
				// current configuration fails with it, so it fails.
				event = backtrack();
			}
			else {
				event = event.next;
			}
			if (event == null) {
				return outcome(LinearizabilityChecker.Verdict.NOT_LINEARIZABLE, this.longest);
			}
		}
		return outcome(LinearizabilityChecker.Verdict.LINEARIZABLE, this.top);
	}

	/**
	 * Linearizes the operation of a call next, unless that configuration was explored before (Lowe's
	 * improvement: it led nowhere then, so it leads nowhere now).
	 * @return whether the operation was linearized
	 */
	private boolean linearize(Event call) {
		RegisterOperation operation = call.operation;
		int valueAfter = operation.valueAfter(this.value);
		BitSet linearizedAfter = (BitSet) this.linearized.clone();
		linearizedAfter.set(operation.number());
		if (!this.explored.add(new Configuration(linearizedAfter, valueAfter))) {
			return false;
		}
		this.top = new Frame(call, this.value, this.top, (this.top != null) ? this.top.depth + 1 : 1);
		if (this.longest == null || this.top.depth > this.longest.depth) {
			this.longest = this.top;
		}
		this.value = valueAfter;
		this.linearized.set(operation.number());
		call.lift();
		return true;
	}

	/**
	 * Undoes linearized operations up to the last write, which may have alternatives.
	 * @return the event to go on scanning from, or {@code null} when no alternatives are left
	 */
	private Event backtrack() {
		while (this.top != null) {
			Frame frame = this.top;
			this.top = frame.below;
			this.value = frame.valueBefore;
			this.linearized.clear(frame.call.operation.number());
			frame.call.unlift();
			if (frame.call.operation.writes()) {
				return frame.call.next;
			}
			// A read was linearized only as a ready read (see firstReadyRead): when it fails, every
			// alternative at its configuration fails as well.
		}
		return null;
	}

	/**
	 * Where to go on after linearizing an operation: the first ready read if there is one, otherwise
	 * the first call.
	 * <p>
	 * A ready read is a read that can take effect now (it returned the register's current value) and
	 * that no pending operation precedes in real time (its call comes before the first return left in
	 * the list; the search only ever considers such calls). If any linearization extends the current
	 * configuration, one places the ready read next: moving it to the front changes no value any
	 * operation sees, since a read does not change the register, and breaks no real-time order, since
	 * no pending operation completed before it was invoked. So the search may linearize it at once and
	 * need never try alternatives to it. Without this, the search often puts a write before reads of
	 * the value it overwrote and backtracks once for each such read, which grows with concurrency.
	 */
	private Event firstReadyRead() {
		for (Event event = this.head.next; event != null && !event.isReturn; event = event.next) {
			this.steps++;
			RegisterOperation operation = event.operation;
			if (!operation.writes() && operation.canTakeEffectOn(this.value)) {
				return event;
			}
		}
		return this.head.next;
	}

	private SearchOutcome outcome(LinearizabilityChecker.Verdict verdict, Frame deepest) {
		return new SearchOutcome(verdict, prefix(deepest), Math.min(this.steps, this.stepsMax));
	}

	private static List<RegisterOperation> prefix(Frame top) {
		List<RegisterOperation> operations = new ArrayList<>();
		for (Frame frame = top; frame != null; frame = frame.below) {
			operations.add(frame.call.operation);
		}
		Collections.reverse(operations);
		return operations;
	}

	/**
	 * What the search of one key found.
	 *
	 * @param verdict whether the key's history is linearizable, or UNKNOWN when the budget ran out
	 * @param longestPrefix the longest sequence of operations the search managed to linearize
	 * @param steps the search steps taken
	 */
	record SearchOutcome(LinearizabilityChecker.Verdict verdict, List<RegisterOperation> longestPrefix, long steps) {
	}

	/** A point of the search: the operations linearized so far and the register's value after them. */
	private record Configuration(BitSet linearized, int value) {
	}

	/**
	 * One linearized operation on the search stack. Frames are immutable and share their tails, so
	 * keeping the deepest stack seen costs one reference.
	 */
	private record Frame(Event call, int valueBefore, Frame below, int depth) {
	}

	/** A call or return event in the history's time-ordered list. */
	private static final class Event {

		final RegisterOperation operation;

		final boolean isReturn;

		final long time;

		/** For a call, its operation's return event. */
		Event match;

		Event previous;

		Event next;

		Event(RegisterOperation operation, boolean isReturn, long time) {
			this.operation = operation;
			this.isReturn = isReturn;
			this.time = time;
		}

		long time() {
			return this.time;
		}

		boolean isReturn() {
			return this.isReturn;
		}

		/** Removes this call and its return; a call always has its return after it. */
		void lift() {
			this.previous.next = this.next;
			this.next.previous = this.previous;
			Event returnEvent = this.match;
			returnEvent.previous.next = returnEvent.next;
			if (returnEvent.next != null) {
				returnEvent.next.previous = returnEvent.previous;
			}
		}

		/** Puts back this call and its return; calls are put back in the reverse order of removal. */
		void unlift() {
			Event returnEvent = this.match;
			returnEvent.previous.next = returnEvent;
			if (returnEvent.next != null) {
				returnEvent.next.previous = returnEvent;
			}
			this.previous.next = this;
			this.next.previous = this;
		}

	}

}
