package io.viewstamp.test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.viewstamp.Replicated;

/**
 * A faulty bean that passes on one JVM: orders grouped by status in a {@code HashMap} keyed by an
 * enum, whose hash codes differ on each host, and a command that lists the groups in its order.
 */
@Replicated
public class Orders {

	public enum Status {

		NEW, PAID, SHIPPED

	}

	private final Map<Status, List<String>> byStatus = new HashMap<>();

	/** Nested: customer to the statuses of their orders, a HashSet of enums inside a sorted map. */
	private final Map<String, Set<Status>> statusesByCustomer = new TreeMap<>();

	public void place(String order, Status status) {
		this.byStatus.computeIfAbsent(status, (key) -> new ArrayList<>()).add(order);
		this.statusesByCustomer.computeIfAbsent(order.substring(0, 7), (key) -> new HashSet<>()).add(status);
	}

	public List<String> everything() {
		List<String> all = new ArrayList<>();
		this.byStatus.values().forEach(all::addAll);
		return all;
	}

}
