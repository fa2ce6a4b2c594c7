package io.viewstamp.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three replicas of the demo in one JVM, each a full Spring Boot web application with its own
 * HTTP port, replication port and data directory: concurrent REST calls on every replica, then
 * the primary's application closes under load, the other two elect a new primary, and no
 * acknowledged deposit is lost while the money is conserved.
 *
 * <p>
 * Deposits are made exactly checkable: thread {@code t} deposits only into its own account
 * {@code dep-t}, which transfers never touch, and its {@code k}-th deposit is {@code 2^k}. The
 * final balance of {@code dep-t} is therefore the bit set of the deposits that were applied:
 * every acknowledged one must be set, every rejected one clear, and an unknown one (timed out,
 * connection lost) may be either.
 */
class BankClusterTest {

	private static final int REPLICAS = 3;

	private static final int THREADS = 6;

	private static final int DEPOSITS_PER_THREAD = 15;

	private static final String[] TRANSFER_ACCOUNTS = { "acct-0", "acct-1", "acct-2", "acct-3" };

	private static final long INITIAL = 1_000;

	/** Often, so that the backup checks its whole state against the new primary's after the load. */
	private static final int STATE_CHECK_INTERVAL_OPS = 25;

	private static final Duration STARTUP = Duration.ofSeconds(40);

	private static final Duration FAILOVER = Duration.ofSeconds(20);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final ConfigurableApplicationContext[] contexts = new ConfigurableApplicationContext[REPLICAS];

	private final int[] httpPorts = new int[REPLICAS];

	@TempDir
	Path dataRoot;

	@AfterEach
	void closeReplicas() {
		for (ConfigurableApplicationContext context : this.contexts) {
			if (context != null) {
				context.close();
			}
		}
	}

	@Test
	@Timeout(value = 120, unit = TimeUnit.SECONDS)
	void acknowledgedDepositsSurviveThePrimarysShutdownAndTheMoneyIsConserved() throws Exception {
		startCluster();
		JsonNode before = awaitOneNormalView();
		int oldPrimary = before.get("primary").asInt();
		long oldView = before.get("view").asLong();

		for (String account : TRANSFER_ACCOUNTS) {
			assertThat(post(0, "/accounts/" + account + "?initial=" + INITIAL).statusCode()).isEqualTo(200);
		}
		for (int thread = 0; thread < THREADS; thread++) {
			// Through another replica than the accounts above: a backup forwards to the primary.
			assertThat(post(1, "/accounts/dep-" + thread + "?initial=0").statusCode()).isEqualTo(200);
		}

		// Concurrent deposits and transfers through every replica; the primary closes midway.
		Outcome[][] deposits = new Outcome[THREADS][DEPOSITS_PER_THREAD];
		AtomicInteger acknowledged = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(THREADS);
		List<Future<?>> load = new ArrayList<>();
		for (int thread = 0; thread < THREADS; thread++) {
			int t = thread;
			load.add(pool.submit(() -> runClient(t, deposits[t], acknowledged)));
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.get() >= THREADS * DEPOSITS_PER_THREAD / 2);

		long closing = System.nanoTime();
		this.contexts[oldPrimary].close();
		this.contexts[oldPrimary] = null;
		long closed = System.nanoTime();
		int[] survivors = IntStream.range(0, REPLICAS).filter((index) -> index != oldPrimary).toArray();
		JsonNode after = await().atMost(FAILOVER)
			.pollInterval(Duration.ofMillis(20))
			.until(() -> replication(survivors[0]), (report) -> isNewView(report, oldView, oldPrimary)
					&& isNewView(replication(survivors[1]), oldView, oldPrimary));
		long viewChanged = System.nanoTime();
		int newPrimary = after.get("primary").asInt();
		System.out.printf("BankClusterTest: closing primary %d took %d ms; view %d -> %d (primary %d) %d ms after close() "
				+ "began, %d ms after it returned%n", oldPrimary, millis(closed - closing), oldView,
				after.get("view").asLong(), newPrimary, millis(viewChanged - closing), millis(viewChanged - closed));

		for (Future<?> client : load) {
			client.get(60, TimeUnit.SECONDS);
		}
		pool.shutdown();

		// Further transfers succeed on both survivors (the first ones may still meet the end of the view change).
		for (int survivor : survivors) {
			await().atMost(FAILOVER)
				.until(() -> post(survivor, "/transfers?from=acct-0&to=acct-1&amount=1").statusCode() == 200);
		}

		// One command's latency: sequential deposits on the new primary.
		long[] latencies = new long[50];
		for (int i = 0; i < latencies.length; i++) {
			long start = System.nanoTime();
			HttpResponse<String> response = post(newPrimary, "/accounts/dep-latency/deposit?amount=1");
			latencies[i] = System.nanoTime() - start;
			if (i == 0 && response.statusCode() == 400) {
				// The account does not exist yet: open it, and time this deposit again.
				assertThat(post(newPrimary, "/accounts/dep-latency?initial=0").statusCode()).isEqualTo(200);
				i--;
				continue;
			}
			assertThat(response.statusCode()).isEqualTo(200);
		}
		Arrays.sort(latencies);
		System.out.printf("BankClusterTest: median deposit latency on the new primary over HTTP: %.2f ms (min %.2f, max %.2f)%n",
				latencies[latencies.length / 2] / 1e6, latencies[0] / 1e6, latencies[latencies.length - 1] / 1e6);

		// The survivors converge: a local read on each sees the same accounts.
		await().atMost(FAILOVER).untilAsserted(() -> assertThat(accounts(survivors[1])).isEqualTo(accounts(survivors[0])));
		Map<String, Long> accounts = accounts(survivors[0]);

		long transferAccounts = Arrays.stream(TRANSFER_ACCOUNTS).mapToLong(accounts::get).sum();
		assertThat(transferAccounts).as("transfers move money, they never create or destroy it")
			.isEqualTo(TRANSFER_ACCOUNTS.length * INITIAL);
		assertThat(accounts.get("dep-latency")).isEqualTo(latencies.length);
		long deposited = 0;
		int[] counts = new int[Outcome.values().length];
		for (int thread = 0; thread < THREADS; thread++) {
			long balance = accounts.get("dep-" + thread);
			for (int k = 0; k < DEPOSITS_PER_THREAD; k++) {
				boolean applied = (balance & (1L << k)) != 0;
				Outcome outcome = deposits[thread][k];
				counts[outcome.ordinal()]++;
				if (outcome == Outcome.ACKNOWLEDGED) {
					assertThat(applied).as("acknowledged deposit %d of thread %d is applied", k, thread).isTrue();
				}
				else if (outcome == Outcome.REJECTED) {
					assertThat(applied).as("rejected deposit %d of thread %d is not applied", k, thread).isFalse();
				}
			}
			assertThat(balance).as("dep-%d holds only its own deposits", thread).isLessThan(1L << DEPOSITS_PER_THREAD);
			deposited += balance;
		}
		long expectedTotal = TRANSFER_ACCOUNTS.length * INITIAL + deposited + latencies.length;
		for (int survivor : survivors) {
			assertThat(total(survivor)).as("linearizable total on replica %d", survivor).isEqualTo(expectedTotal);
		}
		// Beyond the balances read here: the backup compared a digest of its whole state with the
		// primary's, at an op after the failover, and found them equal.
		int backup = (survivors[0] == newPrimary) ? survivors[1] : survivors[0];
		long viewChangeOp = after.get("opNumber").asLong();
		JsonNode checked = await().atMost(FAILOVER)
			.until(() -> replication(backup), (report) -> report.get("lastStateCheckOp").asLong() > viewChangeOp);
		for (int survivor : survivors) {
			assertThat(replication(survivor).get("divergences").asLong()).as("divergences on replica %d", survivor).isZero();
		}
		System.out.printf("BankClusterTest: replica %d's state equals the primary's at op %d (the view changed at op %d)%n",
				backup, checked.get("lastStateCheckOp").asLong(), viewChangeOp);
		System.out.printf("BankClusterTest: deposits acknowledged %d, rejected %d, unknown %d; total %d conserved on replicas %s%n",
				counts[Outcome.ACKNOWLEDGED.ordinal()], counts[Outcome.REJECTED.ordinal()],
				counts[Outcome.UNKNOWN.ordinal()], expectedTotal, Arrays.toString(survivors));
		assertThat(counts[Outcome.ACKNOWLEDGED.ordinal()]).isGreaterThanOrEqualTo(THREADS * DEPOSITS_PER_THREAD / 2);
	}

	@Test
	@Timeout(value = 120, unit = TimeUnit.SECONDS)
	void anOperatorMovesThePrimaryThroughTheActuatorAndABackupRefusesWithTheReason() throws Exception {
		startCluster();
		JsonNode before = awaitOneNormalView();
		int primary = before.get("primary").asInt();
		int backup = (primary + 1) % REPLICAS;
		int target = (primary + 2) % REPLICAS;
		assertThat(post(0, "/accounts/moved?initial=10").statusCode()).isEqualTo(200);

		HttpResponse<String> refused = postJson(backup, "/actuator/replication", "{\"target\": " + target + "}");
		assertThat(refused.statusCode()).isEqualTo(409);
		assertThat(JSON.readTree(refused.body()).get("error").asString())
			.contains("Replica " + backup + " can not hand over the view: it is not the primary")
			.contains("replica " + primary + " leads view");

		HttpResponse<String> moved = postJson(primary, "/actuator/replication", "{\"target\": " + target + "}");
		assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
		JsonNode answer = JSON.readTree(moved.body());
		assertThat(answer.get("primary").asInt()).isEqualTo(target);
		long view = answer.get("view").asLong();
		await().atMost(FAILOVER).until(() -> allNormalInView(view));
		assertThat(replication(backup).get("primary").asInt()).isEqualTo(target);
		assertThat(post(backup, "/accounts/moved/deposit?amount=5").statusCode()).isEqualTo(200);
		await().atMost(FAILOVER).until(() -> accounts(target).get("moved") == 15L);
	}

	@Test
	@Timeout(value = 120, unit = TimeUnit.SECONDS)
	void changesOfMembersThatCannotBeDoneAreRefusedSayingWhyAndChangeNothing() throws Exception {
		startCluster();
		JsonNode before = awaitOneNormalView();
		int primary = before.get("primary").asInt();
		int backup = (primary + 1) % REPLICAS;

		assertRefused(backup, "{\"remove\": " + primary + "}", 409, "replica " + backup + " is not the primary, which "
				+ "changes the members: ask replica " + primary + " (127.0.0.1:");
		assertRefused(primary, "{\"add\": " + backup + "}", 409, "Replica " + backup + " is a member already (epoch 0 has "
				+ "[0, 1, 2]): nothing to do");
		assertRefused(primary, "{\"add\": 3}", 409, "Replica 3 has no address: neither replica " + primary
				+ "'s replication.peers nor its committed configuration say where it is. Name it with the change "
				+ "(POST /actuator/replication {\"add\":3,\"address\":\"host:port\"}");
		assertRefused(primary, "{\"add\": 3, \"address\": \"nowhere\"}", 400, "The address 'nowhere' given for "
				+ "replica 3 is no host:port");
		assertRefused(primary, "{\"remove\": 1, \"address\": \"127.0.0.1:9\"}", 400, "Name exactly one operation");
		assertRefused(primary, "{\"remove\": 7}", 409, "Replica 7 is not a member (epoch 0 has [0, 1, 2])");
		assertRefused(primary, "{\"replace\": 1, \"with\": 2}", 409, "Replica 2 is a member already: the replacement "
				+ "must be a running spare");
		assertRefused(primary, "{\"add\": 3, \"remove\": 1}", 400, "Name exactly one operation");
		assertRefused(primary, "{\"replace\": 1}", 400, "Name exactly one operation");

		for (int replica = 0; replica < REPLICAS; replica++) {
			JsonNode configuration = replication(replica).get("configuration");
			assertThat(configuration.get("epoch").asLong()).as("epoch on replica %d", replica).isZero();
			assertThat(configuration.get("members").toString()).isEqualTo("[0,1,2]");
		}
		assertThat(post(backup, "/accounts/after-refusals?initial=3").statusCode()).isEqualTo(200);
	}

	private void assertRefused(int replica, String body, int status, String reason) throws Exception {
		HttpResponse<String> refused = postJson(replica, "/actuator/replication", body);
		assertThat(refused.statusCode()).as("POST %s on replica %d: %s", body, replica, refused.body()).isEqualTo(status);
		assertThat(JSON.readTree(refused.body()).get("error").asString()).contains(reason);
	}

	/** Waits until every replica is normal in one view, and returns replica 0's report, which names it. */
	private JsonNode awaitOneNormalView() {
		return await().atMost(STARTUP)
			.until(() -> replication(0),
					(report) -> report.get("status").asString().equals("NORMAL") && allNormalInView(report.get("view").asLong()));
	}

	/**
	 * One client: alternates a deposit into its own account and a random transfer, through the
	 * replica {@code thread % 3}, recording what each deposit's answer says about it.
	 */
	private void runClient(int thread, Outcome[] deposits, AtomicInteger acknowledged) {
		SplittableRandom random = new SplittableRandom(thread);
		int replica = thread % REPLICAS;
		for (int k = 0; k < DEPOSITS_PER_THREAD; k++) {
			long amount = 1L << k;
			deposits[k] = outcome(() -> post(replica, "/accounts/dep-" + thread + "/deposit?amount=" + amount));
			if (deposits[k] == Outcome.ACKNOWLEDGED) {
				acknowledged.incrementAndGet();
			}
			int from = random.nextInt(TRANSFER_ACCOUNTS.length);
			int to = (from + 1 + random.nextInt(TRANSFER_ACCOUNTS.length - 1)) % TRANSFER_ACCOUNTS.length;
			// The outcome of a transfer does not matter here: any subset of them conserves the total.
			outcome(() -> post(replica, "/transfers?from=" + TRANSFER_ACCOUNTS[from] + "&to=" + TRANSFER_ACCOUNTS[to]
					+ "&amount=" + (1 + random.nextInt(300))));
		}
	}

	private static Outcome outcome(HttpCall call) {
		try {
			int status = call.send().statusCode();
			if (status / 100 == 2) {
				return Outcome.ACKNOWLEDGED;
			}
			// 400 is the bank's own rejection, decided by the applied command; 503 (timeout,
			// replica unavailable) and anything else leave the command's fate open.
			return (status == 400) ? Outcome.REJECTED : Outcome.UNKNOWN;
		}
		catch (IOException ex) {
			// A request to the closed replica: it may have been forwarded before the close.
			return Outcome.UNKNOWN;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Outcome.UNKNOWN;
		}
	}

	private void startCluster() throws Exception {
		String peers = Arrays.stream(FreePorts.on127001(REPLICAS))
			.mapToObj((port) -> "127.0.0.1:" + port)
			.collect(Collectors.joining(","));
		// One after the other: Spring Boot's start-up (its logging system, for one) is not made to
		// run concurrently in one JVM, and a replica whose peers are not up yet just keeps dialing.
		for (int index = 0; index < REPLICAS; index++) {
			this.contexts[index] = new SpringApplicationBuilder(DemoApplication.class)
				.properties("spring.main.banner-mode=off")
				// Arguments, not default properties: these must override application.yml's peers and ports.
				.run("--server.port=0", "--replication.cluster-id=bank-cluster-test", "--replication.replica=" + index,
						"--replication.peers=" + peers, "--replication.data-dir=" + this.dataRoot.resolve("replica-" + index),
						// No initialize: a new cluster forms on its first start with the configuration of every later one.
						"--replication.request-timeout=3s",
						"--replication.state-check-interval=" + STATE_CHECK_INTERVAL_OPS);
			this.httpPorts[index] = Integer
				.parseInt(this.contexts[index].getEnvironment().getRequiredProperty("local.server.port"));
		}
	}

	private boolean allNormalInView(long view) {
		for (int index = 0; index < REPLICAS; index++) {
			JsonNode report = replication(index);
			if (!report.get("status").asString().equals("NORMAL") || report.get("view").asLong() != view) {
				return false;
			}
		}
		return true;
	}

	private static boolean isNewView(JsonNode report, long oldView, int oldPrimary) {
		return report.get("status").asString().equals("NORMAL") && report.get("view").asLong() > oldView
				&& report.get("primary").asInt() != oldPrimary;
	}

	private JsonNode replication(int replica) {
		try {
			HttpResponse<String> response = get(replica, "/actuator/replication");
			assertThat(response.statusCode()).isEqualTo(200);
			return JSON.readTree(response.body());
		}
		catch (IOException ex) {
			// Awaitility predicates cannot throw checked exceptions; an unreachable replica just fails this poll.
			throw new IllegalStateException("replica " + replica + " unreachable", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private Map<String, Long> accounts(int replica) throws Exception {
		HttpResponse<String> response = get(replica, "/accounts");
		assertThat(response.statusCode()).isEqualTo(200);
		return JSON.readValue(response.body(), new TypeReference<TreeMap<String, Long>>() {
		});
	}

	private long total(int replica) throws Exception {
		HttpResponse<String> response = get(replica, "/total");
		assertThat(response.statusCode()).isEqualTo(200);
		return JSON.readTree(response.body()).get("total").asLong();
	}

	private HttpResponse<String> get(int replica, String path) throws IOException, InterruptedException {
		return this.http.send(request(replica, path).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(int replica, String path) throws IOException, InterruptedException {
		return this.http.send(request(replica, path).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> postJson(int replica, String path, String json) throws IOException, InterruptedException {
		return this.http.send(request(replica, path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest.Builder request(int replica, String path) {
		// Longer than the replication request timeout, so a slow command answers 503 rather than hanging up.
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPorts[replica] + path))
			.timeout(Duration.ofSeconds(10));
	}

	private static long millis(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(nanos);
	}

	/** What a call's answer says about whether its command was applied. */
	private enum Outcome {

		/** 2xx: applied. */
		ACKNOWLEDGED,

		/** 400: the command ran and changed nothing. */
		REJECTED,

		/** Timed out or the connection was lost: applied or not. */
		UNKNOWN

	}

	/** An HTTP call that may fail with I/O. */
	@FunctionalInterface
	private interface HttpCall {

		HttpResponse<String> send() throws IOException, InterruptedException;

	}

}
