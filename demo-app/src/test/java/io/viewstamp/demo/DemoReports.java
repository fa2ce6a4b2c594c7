package io.viewstamp.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

import io.viewstamp.demo.DemoProcess.Replication;

import static org.awaitility.Awaitility.await;

/**
 * What the process tests ask of demo JVMs: their reports and accounts, and waits on them that, when
 * they fail, say what they waited for, what each replica reported last and how its log ends.
 */
final class DemoReports {

	private static final Duration POLL_INTERVAL = Duration.ofMillis(25);

	private DemoReports() {
	}

	/**
	 * Waits, polling, for {@code probe} to give a value {@code done} accepts, while every one of
	 * {@code replicas} stays alive.
	 * @param logs where the replicas' logs are kept, named in a failure's message
	 */
	static <T> T awaitOn(Path logs, List<DemoProcess> replicas, String what, Duration timeout, Callable<T> probe,
			Predicate<T> done) {
		try {
			return await(what).atMost(timeout)
				.pollInterval(POLL_INTERVAL)
				.ignoreExceptions()
				.failFast("a replica's JVM exited", () -> replicas.stream().anyMatch((replica) -> !replica.isAlive()))
				.until(probe, done);
		}
		catch (ConditionTimeoutException | TerminalFailureException ex) {
			throw new AssertionError(ex.getMessage() + describe(logs, replicas), ex);
		}
	}

	/** Each replica's last report and the tail of its log. */
	static String describe(Path logs, List<DemoProcess> replicas) {
		StringBuilder description = new StringBuilder("\nlogs kept under ").append(logs);
		for (DemoProcess replica : replicas) {
			description.append("\n=== ").append(replica).append(": ");
			try {
				description.append(replica.replication());
			}
			catch (IOException | RuntimeException ex) {
				description.append("no report: ").append(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				description.append("interrupted");
			}
			description.append("\n").append(replica.logTail());
		}
		return description.toString();
	}

	static List<Replication> reportsOf(List<DemoProcess> replicas) throws Exception {
		List<Replication> reports = new ArrayList<>();
		for (DemoProcess replica : replicas) {
			reports.add(replica.replication());
		}
		return reports;
	}

	static Replication reportOf(DemoProcess replica) {
		try {
			return replica.replication();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No /actuator/replication from " + replica + "\n" + replica.logTail(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static List<Map<String, Long>> accountsOf(List<DemoProcess> replicas) throws Exception {
		List<Map<String, Long>> accounts = new ArrayList<>();
		for (DemoProcess replica : replicas) {
			accounts.add(accountsOf(replica));
		}
		return accounts;
	}

	/** The replica's local read of {@code GET /accounts}. */
	@SuppressWarnings("unchecked")
	static Map<String, Long> accountsOf(DemoProcess replica) throws Exception {
		Map<String, Number> balances = replica.read("/accounts", Map.class);
		Map<String, Long> accounts = new TreeMap<>();
		balances.forEach((account, balance) -> accounts.put(account, balance.longValue()));
		return accounts;
	}

	/** Whether every one of {@code reports} is normal in the view of the first, and its primary is one of {@code replicas}. */
	static boolean isOneNormalView(List<Replication> reports, List<DemoProcess> replicas, long viewAfter) {
		Replication first = reports.get(0);
		boolean primaryAmongThem = replicas.stream().anyMatch((replica) -> replica.replica() == first.primary());
		return primaryAmongThem && first.view() > viewAfter && reports.stream()
			.allMatch((report) -> report.isNormal() && report.view() == first.view() && report.primary() == first.primary());
	}

	static long maxCommit(List<Replication> reports) {
		return reports.stream().mapToLong(Replication::commitNumber).max().orElseThrow();
	}

	static double percentileMillis(long[] sorted, double percentile) {
		if (sorted.length == 0) {
			return 0;
		}
		int index = (int) Math.min(sorted.length - 1, Math.ceil(percentile * sorted.length) - 1);
		return sorted[Math.max(0, index)] / 1e6;
	}

}
