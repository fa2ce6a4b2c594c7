package io.viewstamp.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import io.viewstamp.demo.DemoProcess.Replication;
import io.viewstamp.demo.Deposits.Outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo application as three real JVMs on 127.0.0.1, with clients depositing and transferring
 * through every replica's REST API while the primary's JVM is killed with SIGKILL and later
 * restarted from its data directory. It proves what a user of the bank relies on:
 * <ul>
 * <li>the two survivors form a new view with another primary and go on serving;</li>
 * <li>every acknowledged deposit is applied exactly once and every rejected one not at all, on
 * every replica, the restarted one included ({@link Deposits} makes that exactly checkable);</li>
 * <li>the replicas hold equal accounts, transfers conserve the money, and no replica reports a
 * divergence;</li>
 * <li>the restarted replica catches up, and its whole state is then checked equal to the
 * primary's.</li>
 * </ul>
 * The figures printed (time to the new view, outcomes, time to catch up) are for the record, never
 * asserted. A failed run keeps the replicas' logs under its temporary directory, and a failed wait
 * ends its message with their tails.
 */
class DemoClusterProcessTest {

	private static final int REPLICAS = 3;

	private static final int CLIENTS = 6;

	private static final int DEPOSITS_PER_CLIENT = Deposits.PER_CLIENT_MAX;

	/** The kill comes with deposits behind it and most still to come: the primary dies under load. */
	private static final int ACKNOWLEDGED_BEFORE_KILL = CLIENTS * DEPOSITS_PER_CLIENT / 4;

	private static final String[] TRANSFER_ACCOUNTS = { "acct-0", "acct-1", "acct-2", "acct-3" };

	private static final long INITIAL = 1_000;

	/** Often, so that the restarted replica checks its whole state soon after it caught up. */
	private static final int STATE_CHECK_INTERVAL_OPS = 25;

	/** Shorter than the default, so that commands stranded by the kill answer within the test's budget. */
	private static final String REQUEST_TIMEOUT = "3s";

	/** Three Spring Boot JVMs starting side by side on two cores. */
	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration VIEW_CHANGE_TIMEOUT = Duration.ofSeconds(20);

	private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);

	/** A JVM start plus the catch-up of the ops it missed. */
	private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration CONVERGENCE_TIMEOUT = Duration.ofSeconds(20);

	/** Fine enough to time a view change, coarse enough to leave the two cores to the replicas. */
	private static final Duration POLL_INTERVAL = Duration.ofMillis(25);

	private static final String CLUSTER_ID = "demo-cluster-process-test";

	@TempDir(cleanup = CleanupMode.ON_SUCCESS)
	Path root;

	private final DemoProcess[] replicas = new DemoProcess[REPLICAS];

	private final int[] runs = new int[REPLICAS];

	private final int[] httpPorts = new int[REPLICAS];

	private String peers;

	private ExecutorService clients;

	@AfterEach
	void stopEverything() {
		if (this.clients != null) {
			this.clients.shutdownNow();
		}
		for (DemoProcess replica : this.replicas) {
			if (replica != null && replica.isAlive()) {
				replica.kill();
			}
		}
	}

	@Test
	@Timeout(value = 180, unit = TimeUnit.SECONDS)
	void whenThePrimaryJvmIsKilledUnderLoadThenAcknowledgedDepositsSurviveOnEveryReplica() throws Exception {
		startCluster();
		Replication before = awaitNormalView(List.of(this.replicas), -1);
		openAccounts();
		Deposits deposits = new Deposits(CLIENTS, DEPOSITS_PER_CLIENT);
		List<Future<?>> load = startClients(deposits);
		awaitOn(List.of(this.replicas), ACKNOWLEDGED_BEFORE_KILL + " deposits acknowledged before the kill", LOAD_TIMEOUT,
				deposits::acknowledged, (acknowledged) -> acknowledged >= ACKNOWLEDGED_BEFORE_KILL);

		int killed = before.primary();
		List<DemoProcess> survivors = others(killed);
		long killedAtNanos = System.nanoTime();
		kill(killed);
		int acknowledgedAtKill = deposits.acknowledged();
		Replication after = awaitNormalView(survivors, before.view());
		long newViewMillis = millisSince(killedAtNanos);
		assertThat(after.primary()).as("the primary of the view after the kill").isNotEqualTo(killed);
		awaitCompletion(load, survivors);
		assertThat(deposits.acknowledged() - acknowledgedAtKill).as("deposits acknowledged after the kill")
			.isPositive();

		long restartOp = survivors.stream().mapToLong((survivor) -> reportOf(survivor).opNumber()).max().orElseThrow();
		long restartedAtNanos = System.nanoTime();
		this.replicas[killed] = launch(killed);
		awaitCaughtUp(this.replicas[killed], survivors);
		long caughtUpMillis = millisSince(restartedAtNanos);

		Map<String, Long> accounts = awaitEqualAccounts();
		assertAppliedAsAnswered(deposits);
		assertMoneyConserved(accounts, deposits);
		Replication checked = awaitStateChecked(this.replicas[killed], restartOp);
		assertNoDivergence();

		System.out.printf("DemoClusterProcessTest: kill -9 of primary %d (view %d) -> view %d with primary %d on both "
				+ "survivors in %d ms%n", killed, before.view(), after.view(), after.primary(), newViewMillis);
		System.out.printf("DemoClusterProcessTest: deposits acknowledged %d (%d after the kill), rejected %d, unknown %d%n",
				deposits.count(Outcome.ACKNOWLEDGED), deposits.acknowledged() - acknowledgedAtKill,
				deposits.count(Outcome.REJECTED), deposits.count(Outcome.UNKNOWN));
		System.out.printf("DemoClusterProcessTest: replica %d restarted at op %d, NORMAL and caught up %d ms after "
				+ "its JVM was launched; its state equals the primary's at op %d%n", killed, restartOp, caughtUpMillis,
				checked.lastStateCheckOp());
	}

	/**
	 * A rolling restart under load, as an orchestrator does it: each replica in turn (the backups
	 * first, the primary last) is taken out of the load balancer, stopped with SIGTERM, started
	 * again from its data directory, and put back once it has caught up. The primary's clean stop
	 * hands its view over first. Every deposit must be acknowledged (none fails or times out) and
	 * applied exactly once on every replica; the latencies are printed, not asserted
	 * (docs/operations.md has them).
	 */
	@Test
	@Timeout(value = 300, unit = TimeUnit.SECONDS)
	void aRollingRestartUnderLoadFailsNoDepositAndAppliesEachOnce() throws Exception {
		startCluster();
		Replication first = awaitNormalView(List.of(this.replicas), -1);
		for (int caller = 0; caller < CLIENTS; caller++) {
			assertAnswered200(this.replicas[caller % REPLICAS], "/accounts/" + SteadyDeposits.account(caller) + "?initial=0");
		}
		SteadyDeposits load = new SteadyDeposits(CLIENTS, List.of(this.replicas));
		load.start();
		awaitAcknowledged(load, 100);

		List<Integer> order = new ArrayList<>();
		for (int index = 1; index <= REPLICAS; index++) {
			order.add((first.primary() + index) % REPLICAS);
		}
		List<String> steps = new ArrayList<>();
		for (int replica : order) {
			load.drain(replica);
			int acknowledgedBefore = load.acknowledged();
			long stoppingNanos = System.nanoTime();
			int exitCode = this.replicas[replica].stop();
			long stoppedMillis = millisSince(stoppingNanos);
			this.replicas[replica] = launch(replica);
			awaitCaughtUp(this.replicas[replica], others(replica));
			load.undrain(replica, this.replicas[replica]);
			steps.add("replica " + replica + " stopped in " + stoppedMillis + " ms (exit " + exitCode + "), back and caught up "
					+ millisSince(stoppingNanos) + " ms after its SIGTERM, " + (load.acknowledged() - acknowledgedBefore)
					+ " deposits acknowledged meanwhile");
			awaitAcknowledged(load, 50);
		}
		load.stop();

		assertThat(load.failures()).as("deposits that failed or timed out").isEmpty();
		Map<String, Long> accounts = awaitEqualAccounts();
		for (int caller = 0; caller < CLIENTS; caller++) {
			assertThat(accounts.get(SteadyDeposits.account(caller))).as("the balance of caller %d: each acknowledged "
					+ "deposit once", caller).isEqualTo((long) load.acknowledged(caller));
		}
		assertNoDivergence();
		Replication last = awaitNormalView(List.of(this.replicas), -1);
		long[] latencies = load.sortedLatenciesNanos();
		System.out.printf("DemoClusterProcessTest: rolling restart of %s under %d callers, view %d -> %d%n", order, CLIENTS,
				first.view(), last.view());
		steps.forEach((step) -> System.out.println("DemoClusterProcessTest:   " + step));
		System.out.printf("DemoClusterProcessTest: %d deposits, none failed; latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, "
				+ "p99.9 %.1f ms, max %.1f ms; over 200 ms: %d%n", latencies.length, percentileMillis(latencies, 0.50),
				percentileMillis(latencies, 0.90), percentileMillis(latencies, 0.99), percentileMillis(latencies, 0.999),
				latencies[latencies.length - 1] / 1e6,
				Arrays.stream(latencies).filter((nanos) -> nanos > TimeUnit.MILLISECONDS.toNanos(200)).count());
	}

	private void awaitAcknowledged(SteadyDeposits load, int more) {
		int target = load.acknowledged() + more;
		awaitOn(List.of(this.replicas), more + " more deposits acknowledged", LOAD_TIMEOUT, load::acknowledged,
				(acknowledged) -> acknowledged >= target);
	}

	private static double percentileMillis(long[] sorted, double percentile) {
		int index = (int) Math.min(sorted.length - 1, Math.ceil(percentile * sorted.length) - 1);
		return sorted[Math.max(0, index)] / 1e6;
	}

	private void startCluster() {
		int[] ports = FreePorts.on127001(2 * REPLICAS);
		this.peers = IntStream.range(0, REPLICAS)
			.mapToObj((index) -> "127.0.0.1:" + ports[REPLICAS + index])
			.collect(Collectors.joining(","));
		System.arraycopy(ports, 0, this.httpPorts, 0, REPLICAS);
		// Launch every JVM before waiting on any: they start side by side.
		for (int index = 0; index < REPLICAS; index++) {
			this.replicas[index] = launch(index);
		}
	}

	private DemoProcess launch(int index) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=" + this.httpPorts[index],
				"--replication.peers=" + this.peers, "--replication.replica=" + index,
				"--replication.data-dir=" + this.root.resolve("replica-" + index),
				"--replication.cluster-id=" + CLUSTER_ID, "--replication.request-timeout=" + REQUEST_TIMEOUT,
				"--replication.state-check-interval=" + STATE_CHECK_INTERVAL_OPS, "--spring.main.banner-mode=off"));
		Path log = this.root.resolve("logs").resolve("replica-" + index + "-run-" + (++this.runs[index]) + ".log");
		// A client of its own per process: no connection of a stopped process is ever reused for its successor.
		HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
		return DemoProcess.start(index, this.httpPorts[index], arguments, log, http);
	}

	private void kill(int index) {
		DemoProcess replica = this.replicas[index];
		int exitCode = replica.kill();
		assertThat(replica.isAlive()).as("%s after SIGKILL", replica).isFalse();
		assertThat(exitCode).as("exit code of %s: 128 + 9, killed by SIGKILL", replica).isEqualTo(137);
	}

	private void openAccounts() throws Exception {
		for (int index = 0; index < TRANSFER_ACCOUNTS.length; index++) {
			assertAnswered200(this.replicas[index % REPLICAS], "/accounts/" + TRANSFER_ACCOUNTS[index] + "?initial=" + INITIAL);
		}
		for (int client = 0; client < CLIENTS; client++) {
			assertAnswered200(this.replicas[client % REPLICAS], "/accounts/" + Deposits.account(client) + "?initial=0");
		}
	}

	private static void assertAnswered200(DemoProcess replica, String path) throws Exception {
		HttpResponse<String> response = replica.post(path);
		assertThat(response.statusCode()).as("POST %s on %s: %s", path, replica, response.body()).isEqualTo(200);
	}

	private List<Future<?>> startClients(Deposits deposits) {
		this.clients = Executors.newFixedThreadPool(CLIENTS);
		List<Future<?>> load = new ArrayList<>();
		// Copied before the kill and restart: a client keeps calling the replica it knew, dead or not.
		List<DemoProcess> replicas = List.of(this.replicas);
		for (int client = 0; client < CLIENTS; client++) {
			int id = client;
			load.add(this.clients.submit(() -> runClient(id, deposits, replicas)));
		}
		return load;
	}

	/**
	 * One client: its deposits, each followed by a random transfer, go round the replicas, so every
	 * replica serves every client.
	 */
	private static void runClient(int client, Deposits deposits, List<DemoProcess> replicas) {
		SplittableRandom random = new SplittableRandom(client);
		for (int deposit = 0; deposit < deposits.perClient(); deposit++) {
			int first = (client + deposit) % REPLICAS;
			String path = "/accounts/" + Deposits.account(client) + "/deposit?amount=" + Deposits.amount(deposit);
			deposits.deposit(client, deposit, () -> postToFirstReachable(replicas, first, path));
			int from = random.nextInt(TRANSFER_ACCOUNTS.length);
			int to = (from + 1 + random.nextInt(TRANSFER_ACCOUNTS.length - 1)) % TRANSFER_ACCOUNTS.length;
			String transfer = "/transfers?from=" + TRANSFER_ACCOUNTS[from] + "&to=" + TRANSFER_ACCOUNTS[to] + "&amount="
					+ (1 + random.nextInt(300));
			// Whether a transfer happened does not matter: any subset of them conserves the money.
			Outcome.of(() -> postToFirstReachable(replicas, first, transfer));
		}
	}

	/**
	 * Posts to replica {@code first}, or to the next one when a replica refuses the connection, as
	 * a client of a cluster would. A refused connection carried no request, so trying another replica
	 * cannot apply the command twice; a request lost after it was sent is not retried.
	 */
	private static HttpResponse<String> postToFirstReachable(List<DemoProcess> replicas, int first, String path)
			throws IOException, InterruptedException {
		ConnectException refused = null;
		for (int attempt = 0; attempt < REPLICAS; attempt++) {
			try {
				return replicas.get((first + attempt) % REPLICAS).post(path);
			}
			catch (ConnectException ex) {
				refused = ex;
			}
		}
		throw refused;
	}

	private void awaitCompletion(List<Future<?>> load, List<DemoProcess> serving) throws Exception {
		long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
		try {
			for (Future<?> client : load) {
				client.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
		}
		catch (TimeoutException ex) {
			throw new AssertionError("The clients did not finish their deposits within " + LOAD_TIMEOUT
					+ describe(serving), ex);
		}
	}

	/**
	 * Waits until every one of {@code replicas} is normal in one view after {@code viewAfter} whose
	 * primary is one of them.
	 * @return the first replica's report, which names the view and its primary
	 */
	private Replication awaitNormalView(List<DemoProcess> replicas, long viewAfter) {
		String what = "normal in one view after view " + viewAfter + " with a primary among them";
		// The first view also waits for the JVMs to start.
		Duration timeout = VIEW_CHANGE_TIMEOUT.plus((viewAfter < 0) ? STARTUP_TIMEOUT : Duration.ZERO);
		List<Replication> reports = awaitOn(replicas, what, timeout, () -> reportsOf(replicas),
				(probed) -> isOneNormalView(probed, replicas, viewAfter));
		return reports.get(0);
	}

	private static boolean isOneNormalView(List<Replication> reports, List<DemoProcess> replicas, long viewAfter) {
		Replication first = reports.get(0);
		boolean primaryAmongThem = replicas.stream().anyMatch((replica) -> replica.replica() == first.primary());
		return primaryAmongThem && first.view() > viewAfter && reports.stream()
			.allMatch((report) -> report.isNormal() && report.view() == first.view() && report.primary() == first.primary());
	}

	/**
	 * Waits until {@code restarted} is normal in the survivors' view and has committed every op the
	 * survivors had committed a moment before.
	 */
	private void awaitCaughtUp(DemoProcess restarted, List<DemoProcess> survivors) {
		List<DemoProcess> all = new ArrayList<>(survivors);
		all.add(restarted);
		// The survivors are read first, so the restarted replica must reach what they had committed.
		awaitOn(all, "replica " + restarted.replica() + " normal and caught up with the others", CATCH_UP_TIMEOUT,
				() -> reportsOf(all), (reports) -> isOneNormalView(reports, all, -1)
						&& reports.get(survivors.size()).commitNumber() >= maxCommit(reports.subList(0, survivors.size())));
	}

	private static long maxCommit(List<Replication> reports) {
		return reports.stream().mapToLong(Replication::commitNumber).max().orElseThrow();
	}

	/** Waits until the local reads of {@code GET /accounts} agree on every replica. */
	private Map<String, Long> awaitEqualAccounts() {
		List<DemoProcess> all = List.of(this.replicas);
		List<Map<String, Long>> accounts = awaitOn(all, "equal accounts on every replica", CONVERGENCE_TIMEOUT,
				() -> accountsOf(all), (maps) -> maps.stream().allMatch(maps.get(0)::equals));
		return accounts.get(0);
	}

	private void assertAppliedAsAnswered(Deposits deposits) throws Exception {
		for (DemoProcess replica : this.replicas) {
			assertThat(deposits.contradictions(accountsOf(replica)))
				.as("deposits whose balance on %s contradicts their answer", replica)
				.isEmpty();
		}
	}

	private void assertMoneyConserved(Map<String, Long> accounts, Deposits deposits) throws Exception {
		long inTransferAccounts = Arrays.stream(TRANSFER_ACCOUNTS).mapToLong(accounts::get).sum();
		assertThat(inTransferAccounts).as("money in the transfer accounts: transfers neither create nor destroy it")
			.isEqualTo(TRANSFER_ACCOUNTS.length * INITIAL);
		long expectedTotal = TRANSFER_ACCOUNTS.length * INITIAL + deposits.depositedOn(accounts);
		for (DemoProcess replica : this.replicas) {
			long total = replica.read("/total", TotalAnswer.class).total();
			assertThat(total).as("linearizable total on %s", replica).isEqualTo(expectedTotal);
		}
	}

	/** Waits until {@code replica} has compared its whole state with the primary's at an op after {@code op}. */
	private Replication awaitStateChecked(DemoProcess replica, long op) {
		return awaitOn(List.of(replica), "replica " + replica.replica() + "'s state checked after op " + op,
				CONVERGENCE_TIMEOUT, () -> replica.replication(), (report) -> report.lastStateCheckOp() > op);
	}

	private void assertNoDivergence() {
		for (DemoProcess replica : this.replicas) {
			Replication report = reportOf(replica);
			assertThat(report.divergences()).as("divergences on %s (last: %s)", replica, report.lastDivergence())
				.isZero();
		}
	}

	/**
	 * Waits, polling, for {@code probe} to give a value {@code done} accepts, while every one of
	 * {@code replicas} stays alive. A wait that fails says what it waited for, what each replica
	 * reported last and how its log ends.
	 */
	private <T> T awaitOn(List<DemoProcess> replicas, String what, Duration timeout, Callable<T> probe,
			Predicate<T> done) {
		try {
			return await(what).atMost(timeout)
				.pollInterval(POLL_INTERVAL)
				.ignoreExceptions()
				.failFast("a replica's JVM exited", () -> replicas.stream().anyMatch((replica) -> !replica.isAlive()))
				.until(probe, done);
		}
		catch (ConditionTimeoutException | TerminalFailureException ex) {
			throw new AssertionError(ex.getMessage() + describe(replicas), ex);
		}
	}

	private String describe(List<DemoProcess> replicas) {
		StringBuilder description = new StringBuilder("\nlogs kept under ").append(this.root);
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

	private static List<Replication> reportsOf(List<DemoProcess> replicas) throws Exception {
		List<Replication> reports = new ArrayList<>();
		for (DemoProcess replica : replicas) {
			reports.add(replica.replication());
		}
		return reports;
	}

	private static Replication reportOf(DemoProcess replica) {
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

	private static List<Map<String, Long>> accountsOf(List<DemoProcess> replicas) throws Exception {
		List<Map<String, Long>> accounts = new ArrayList<>();
		for (DemoProcess replica : replicas) {
			accounts.add(accountsOf(replica));
		}
		return accounts;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Long> accountsOf(DemoProcess replica) throws Exception {
		Map<String, Number> balances = replica.read("/accounts", Map.class);
		Map<String, Long> accounts = new TreeMap<>();
		balances.forEach((account, balance) -> accounts.put(account, balance.longValue()));
		return accounts;
	}

	private List<DemoProcess> others(int index) {
		return IntStream.range(0, REPLICAS)
			.filter((other) -> other != index)
			.mapToObj((other) -> this.replicas[other])
			.toList();
	}

	/** The answer of {@code GET /total}. */
	record TotalAnswer(long total) {
	}

	private static long millisSince(long startNanos) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
	}

}
