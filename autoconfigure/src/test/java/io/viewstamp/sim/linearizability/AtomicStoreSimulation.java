package io.viewstamp.sim.linearizability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates client histories that are linearizable by construction: each call is given a random
 * interval and a point inside it, and a real atomic map applies the calls in the order of those
 * points to compute their results.
 */
final class AtomicStoreSimulation {

	private static final int TIMEOUT = 30;

	private final Random random;

	private final int clientCount;

	private final int keyCount;

	private final double indeterminateFraction;

	private final int valuePoolSize;

	/**
	 * A simulation.
	 * @param seed the random seed
	 * @param clientCount how many clients issue calls concurrently
	 * @param keyCount how many keys the calls spread over
	 * @param indeterminateFraction the fraction of calls whose outcome the client never learns
	 * @param valuePoolSize how many distinct values PUTs draw from, or 0 for a fresh value each PUT
	 */
	AtomicStoreSimulation(long seed, int clientCount, int keyCount, double indeterminateFraction, int valuePoolSize) {
		this.random = new Random(seed);
		this.clientCount = clientCount;
		this.keyCount = keyCount;
		this.indeterminateFraction = indeterminateFraction;
		this.valuePoolSize = valuePoolSize;
	}

	/**
	 * Runs the simulation.
	 * @param operationCount how many calls to make
	 * @return the history, in invocation order
	 */
	List<KvOperation> history(int operationCount) {
		long[] clientFreeAt = new long[this.clientCount];
		List<PlannedCall> calls = new ArrayList<>();
		for (int sequence = 0; sequence < operationCount; sequence++) {
			int client = clientFreeSoonest(clientFreeAt);
			PlannedCall call = plan(sequence, client, clientFreeAt[client] + this.random.nextInt(4));
			calls.add(call);
			clientFreeAt[client] = call.indeterminate() ? call.invokedAt() + TIMEOUT : call.completedAt();
		}
		return apply(calls);
	}

	private int clientFreeSoonest(long[] clientFreeAt) {
		int soonest = 0;
		for (int client = 1; client < clientFreeAt.length; client++) {
			if (clientFreeAt[client] < clientFreeAt[soonest]) {
				soonest = client;
			}
		}
		return soonest;
	}

	private PlannedCall plan(int sequence, int client, long invokedAt) {
		boolean put = this.random.nextBoolean();
		String key = "key-" + this.random.nextInt(this.keyCount);
		String value = !put ? null
				: (this.valuePoolSize > 0) ? "v" + this.random.nextInt(this.valuePoolSize) : "v" + sequence;
		boolean indeterminate = this.random.nextDouble() < this.indeterminateFraction;
		if (indeterminate) {
			// The call may still take effect long after the client gave up on it, or never.
			boolean takesEffect = this.random.nextBoolean();
			long effectiveAt = invokedAt + this.random.nextInt(2 * TIMEOUT);
			return new PlannedCall(sequence, client, invokedAt, effectiveAt, KvOperation.UNKNOWN_COMPLETION, put, key,
					value, takesEffect);
		}
		long effectiveAt = invokedAt + this.random.nextInt(8);
		long completedAt = effectiveAt + this.random.nextInt(8);
		return new PlannedCall(sequence, client, invokedAt, effectiveAt, completedAt, put, key, value, true);
	}

	private static List<KvOperation> apply(List<PlannedCall> calls) {
		List<PlannedCall> byEffect = new ArrayList<>(calls);
		byEffect.sort(Comparator.comparingLong(PlannedCall::effectiveAt).thenComparingInt(PlannedCall::sequence));
		Map<String, String> store = new HashMap<>();
		String[] results = new String[calls.size()];
		for (PlannedCall call : byEffect) {
			if (call.takesEffect()) {
				results[call.sequence()] = call.put() ? store.put(call.key(), call.value()) : store.get(call.key());
			}
		}
		List<KvOperation> history = new ArrayList<>();
		for (PlannedCall call : calls) {
			String result = call.indeterminate() ? null : results[call.sequence()];
			history.add(new KvOperation(call.client(), call.invokedAt(), call.completedAt(),
					call.put() ? KvOperation.Kind.PUT : KvOperation.Kind.GET, call.key(), call.value(), result));
		}
		return history;
	}

	private record PlannedCall(int sequence, int client, long invokedAt, long effectiveAt, long completedAt,
			boolean put, String key, String value, boolean takesEffect) {

		boolean indeterminate() {
			return this.completedAt == KvOperation.UNKNOWN_COMPLETION;
		}

	}

}
