package io.viewstamp.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Checks the reads that callers made of their own replica's state without a barrier ({@code LOCAL}
 * reads), which are not linearizable and so are not in the linearizability check. Two promises hold
 * for them within one run of one replica (a "site"):
 * <ul>
 * <li>read-your-writes: a read sees every command whose result the same caller was already given;</li>
 * <li>no going back: a read sees every command whose effect that replica already showed any caller,
 * through a result or a read.</li>
 * </ul>
 * Both are judged by op numbers: the op a command was applied at, and the op of the last command in
 * the state a read saw. Only observations that completed before the read was invoked count, so
 * concurrent calls never make a violation.
 */
public final class LocalReadChecker {

	private LocalReadChecker() {
	}

	/**
	 * Finds the local reads that broke a promise.
	 * @param observations every completed call whose op is known: command results, local and
	 * linearizable reads, from every site
	 * @return one line per violation, empty when there is none
	 */
	public static List<String> violations(List<Observation> observations) {
		Map<String, List<Observation>> bySite = new TreeMap<>();
		for (Observation observation : observations) {
			bySite.computeIfAbsent(observation.site(), (site) -> new ArrayList<>()).add(observation);
		}
		List<String> violations = new ArrayList<>();
		for (List<Observation> site : bySite.values()) {
			check(site, violations);
		}
		return violations;
	}

	private static void check(List<Observation> site, List<String> violations) {
		List<Observation> byCompletion = new ArrayList<>(site);
		byCompletion.sort(Comparator.comparingLong(Observation::completedAt));
		List<Observation> reads = new ArrayList<>(site.stream().filter(Observation::localRead).toList());
		reads.sort(Comparator.comparingLong(Observation::invokedAt));
		// One sweep: reads in invocation order, observations in completion order.
		Observation highest = null;
		int next = 0;
		for (Observation read : reads) {
			while (next < byCompletion.size() && byCompletion.get(next).completedAt() < read.invokedAt()) {
				Observation done = byCompletion.get(next++);
				if (highest == null || done.op() > highest.op()) {
					highest = done;
				}
			}
			if (highest != null && read.op() < highest.op()) {
				String promise = (highest.caller() == read.caller()) ? "read-your-writes"
						: "a replica's reads never go back";
				violations.add(read.site() + ": caller " + read.caller() + "'s " + read.description()
						+ " saw the state at op " + read.op() + ", older than op " + highest.op() + " that caller "
						+ highest.caller() + "'s " + highest.description() + " was given before the read began ("
						+ promise + ")");
			}
		}
	}

	/**
	 * A completed call and the op it showed its caller.
	 *
	 * @param site the replica and its run the call went to, as text
	 * @param caller the caller (one call at a time)
	 * @param invokedAt when it was issued, on the test's clock
	 * @param completedAt when its result arrived
	 * @param op the op of the command's apply, or of the last command in the state a read saw
	 * @param localRead whether it is a {@code LOCAL} read, the calls checked here
	 * @param description what the call was, for messages
	 */
	public record Observation(String site, int caller, long invokedAt, long completedAt, long op, boolean localRead,
			String description) {

		public Observation {
			Objects.requireNonNull(site, "site");
			Objects.requireNonNull(description, "description");
			if (completedAt < invokedAt) {
				throw new IllegalArgumentException("Completed at " + completedAt + " before invoked at " + invokedAt);
			}
		}

	}

}
