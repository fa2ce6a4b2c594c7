package io.viewstamp.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

	private final double casFraction;

	/** The values planned for each key so far, which a CAS draws its expected value from. */
	private final Map<String, List<String>> plannedValues = new HashMap<>();

	/**
	 * A simulation.
	 * @param seed the random seed
	 * @param clientCount how many clients issue calls concurrently
	 * @param keyCount how many keys the calls spread over
	 * @param indeterminateFraction the fraction of calls whose outcome the client never learns
	 * @param valuePoolSize how many distinct values PUTs draw from, or 0 for a fresh value each PUT
	 */
	AtomicStoreSimulation(long seed, int clientCount, int keyCount, double indeterminateFraction, int valuePoolSize) {
		this(seed, clientCount, keyCount, indeterminateFraction, valuePoolSize, 0);
	}

	/**
	 * A simulation with compare-and-set calls too.
	 * @param seed the random seed
	 * @param clientCount how many clients issue calls concurrently
	 * @param keyCount how many keys the calls spread over
	 * @param indeterminateFraction the fraction of calls whose outcome the client never learns
	 * @param valuePoolSize how many distinct values writes draw from, or 0 for a fresh value each write
	 * @param casFraction the fraction of calls that are a CAS; the rest are PUTs and GETs in equal parts
	 */
	AtomicStoreSimulation(long seed, int clientCount, int keyCount, double indeterminateFraction, int valuePoolSize,
			double casFraction) {
		this.casFraction = casFraction;
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
		KvOperation.Kind kind = (this.random.nextDouble() < this.casFraction) ? KvOperation.Kind.CAS
				: this.random.nextBoolean() ? KvOperation.Kind.PUT : KvOperation.Kind.GET;
		String key = "key-" + this.random.nextInt(this.keyCount);
		List<String> keyValues = this.plannedValues.computeIfAbsent(key, (added) -> new ArrayList<>());
		// A CAS expects a value the key may hold (none, or one written before), so that some succeed.
		String expected = null;
		if (kind == KvOperation.Kind.CAS && !keyValues.isEmpty() && this.random.nextInt(4) != 0) {
			expected = keyValues.get(keyValues.size() - 1 - this.random.nextInt(Math.min(3, keyValues.size())));
		}
		String value = (kind == KvOperation.Kind.GET) ? null
				: (this.valuePoolSize > 0) ? "v" + this.random.nextInt(this.valuePoolSize) : "v" + sequence;
		if (value != null) {
			keyValues.add(value);
		}
		boolean indeterminate = this.random.nextDouble() < this.indeterminateFraction;
		if (indeterminate) {
			// The call may still take effect long after the client gave up on it, or never.
			boolean takesEffect = this.random.nextBoolean();
			long effectiveAt = invokedAt + this.random.nextInt(2 * TIMEOUT);
			return new PlannedCall(sequence, client, invokedAt, effectiveAt, KvOperation.UNKNOWN_COMPLETION, kind, key,
					expected, value, takesEffect);
		}
		long effectiveAt = invokedAt + this.random.nextInt(8);
		long completedAt = effectiveAt + this.random.nextInt(8);
		return new PlannedCall(sequence, client, invokedAt, effectiveAt, completedAt, kind, key, expected, value, true);
	}

	private static List<KvOperation> apply(List<PlannedCall> calls) {
		List<PlannedCall> byEffect = new ArrayList<>(calls);
		byEffect.sort(Comparator.comparingLong(PlannedCall::effectiveAt).thenComparingInt(PlannedCall::sequence));
		Map<String, String> store = new HashMap<>();
		String[] results = new String[calls.size()];
		for (PlannedCall call : byEffect) {
			if (call.takesEffect()) {
				String current = store.get(call.key());
				boolean sets = call.kind() == KvOperation.Kind.PUT
						|| (call.kind() == KvOperation.Kind.CAS && Objects.equals(call.expected(), current));
				if (sets) {
					store.put(call.key(), call.value());
				}
				results[call.sequence()] = current;
			}
		}
		List<KvOperation> history = new ArrayList<>();
		for (PlannedCall call : calls) {
			String result = call.indeterminate() ? null : results[call.sequence()];
			history.add(new KvOperation(call.client(), call.invokedAt(), call.completedAt(), call.kind(), call.key(),
					call.value(), result, call.expected()));
		}
		return history;
	}

	private record PlannedCall(int sequence, int client, long invokedAt, long effectiveAt, long completedAt,
			KvOperation.Kind kind, String key, String expected, String value, boolean takesEffect) {

		boolean indeterminate() {
			return this.completedAt == KvOperation.UNKNOWN_COMPLETION;
		}

	}

}
