package io.viewstamp.demo;

import java.io.IOException;
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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import io.viewstamp.demo.DemoProcess.Replication;
import io.viewstamp.demo.Deposits.Outcome;

import static io.viewstamp.demo.DemoReports.accountsOf;
import static io.viewstamp.demo.DemoReports.isOneNormalView;
import static io.viewstamp.demo.DemoReports.maxCommit;
import static io.viewstamp.demo.DemoReports.reportOf;
import static io.viewstamp.demo.DemoReports.reportsOf;
import static org.assertj.core.api.Assertions.assertThat;

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

	private <T> T awaitOn(List<DemoProcess> replicas, String what, Duration timeout, Callable<T> probe,
			Predicate<T> done) {
		return DemoReports.awaitOn(this.root, replicas, what, timeout, probe, done);
	}

	private String describe(List<DemoProcess> replicas) {
		return DemoReports.describe(this.root, replicas);
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
