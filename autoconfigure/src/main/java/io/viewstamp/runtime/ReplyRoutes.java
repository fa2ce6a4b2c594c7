package io.viewstamp.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which peer forwarded each client's requests to this replica, so that the primary's reply goes
 * back the same way. Bounded: the least recently used routes are forgotten, and a client whose
 * route was forgotten resends and is routed again.
 */
final class ReplyRoutes {

	static final int ROUTES_MAX = 16_384;

	private final Map<Long, Integer> routes = new LinkedHashMap<>(1024, 0.75f, true) {

		private static final long serialVersionUID = 1L;

		@Override
		protected boolean removeEldestEntry(Map.Entry<Long, Integer> eldest) {
			return size() > ROUTES_MAX;
		}

	};

	/** Remembers that {@code clientId}'s requests come from replica {@code replica}. */
	void learn(long clientId, int replica) {
		this.routes.put(clientId, replica);
	}

	/** The replica that forwards {@code clientId}'s requests, or -1 when unknown. */
	int route(long clientId) {
		Integer replica = this.routes.get(clientId);
		return (replica != null) ? replica : -1;
	}

}
