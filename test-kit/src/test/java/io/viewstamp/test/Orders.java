package io.viewstamp.test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

	public void place(String order, Status status) {
		this.byStatus.computeIfAbsent(status, (key) -> new ArrayList<>()).add(order);
	}

	public List<String> everything() {
		List<String> all = new ArrayList<>();
		this.byStatus.values().forEach(all::addAll);
		return all;
	}

}
