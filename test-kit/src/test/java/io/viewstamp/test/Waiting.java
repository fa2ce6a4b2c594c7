package io.viewstamp.test;

import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import io.viewstamp.Replicated;

/**
 * A bean that keeps the rules with ordered maps: a queue in arrival order (a {@code LinkedHashMap},
 * whose order is its insertion order on every replica) and a board in reverse name order (a
 * {@code TreeMap} with a comparator). A snapshot must restore both orders, not only the entries.
 */
@Replicated
public class Waiting {

	private final Map<String, Integer> queue = new LinkedHashMap<>();

	private final Map<String, Integer> board = new TreeMap<>(Comparator.reverseOrder());

	public void join(String name, int priority) {
		this.queue.put(name, priority);
		this.board.merge(name, priority, Integer::sum);
	}

	/** The first to arrive of those still waiting, who leaves the queue. */
	public String next() {
		Iterator<String> names = this.queue.keySet().iterator();
		if (!names.hasNext()) {
			return "";
		}
		String name = names.next();
		names.remove();
		return name;
	}

	/** The board's first name, in its own (reverse) order. */
	public String top() {
		return this.board.isEmpty() ? "" : this.board.keySet().iterator().next();
	}

}
