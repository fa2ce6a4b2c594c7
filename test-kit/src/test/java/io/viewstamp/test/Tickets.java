package io.viewstamp.test;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import io.viewstamp.Replicated;

/**
 * A faulty bean: it closes "the first" open ticket, first in a {@code HashMap}'s iteration order,
 * which depends on the map's history (its capacity and the order of insertion), not only on its
 * contents. A replica that restored the map from a snapshot iterates it in another order.
 */
@Replicated
public class Tickets {

	private final Map<String, Integer> open = new HashMap<>();

	public void open(String ticket, int priority) {
		this.open.put(ticket, priority);
	}

	public String closeAny() {
		Iterator<String> tickets = this.open.keySet().iterator();
		if (!tickets.hasNext()) {
			return "";
		}
		String ticket = tickets.next();
		tickets.remove();
		return ticket;
	}

}
