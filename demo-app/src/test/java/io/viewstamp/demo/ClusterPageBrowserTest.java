package io.viewstamp.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import io.viewstamp.demo.DemoProcess.Replication;

import static io.viewstamp.demo.DemoReports.isOneNormalView;
import static io.viewstamp.demo.DemoReports.reportsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The live cluster page in a real browser: the demo as three JVMs, headless Chromium showing the
 * {@code /replication} page of a backup, the primary's JVM killed with SIGKILL, and the same page,
 * never reloaded, showing a new primary of a new view and the killed replica unreachable. Then a
 * screenshot of the new primary's page, for the docs.
 *
 * <p>
 * What the test reads is what the page's script rendered from its own fetches of
 * {@code /actuator/replication}: the {@code data-*} attributes it keeps on the body and on each
 * replica's row, read in the open tab over Chromium's DevTools protocol. The screenshot goes to
 * {@code target/cluster-page/cluster-page.png}, or to the directory that
 * {@code -Dviewstamp.screenshot.dir} names ({@code ../docs/images} refreshes the docs' picture).
 *
 * <p>
 * Chromium is Debian's {@code chromium} package, which {@code .ci/run} installs; where it is not
 * installed, the test is skipped and says so.
 */
class ClusterPageBrowserTest {

	private static final int REPLICAS = 3;

	/** Commands before and after the kill, so that the page shows ops, commits and a state check. */
	private static final int DEPOSITS = 24;

	/** Often, so that the screenshot shows a state check after the new view. */
	private static final int STATE_CHECK_INTERVAL_OPS = 8;

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(80);

	/** The view change, seen by a page that polls every second, on two busy cores. */
	private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(40);

	private static final int SCREENSHOT_WIDTH = 1280;

	private static final int SCREENSHOT_HEIGHT = 860;

	private static final String SCREENSHOT_DIR_PROPERTY = "viewstamp.screenshot.dir";

	private static final String CLUSTER_ID = "demo";

	@TempDir(cleanup = CleanupMode.ON_SUCCESS)
	Path root;

	private final DemoProcess[] replicas = new DemoProcess[REPLICAS];

	@AfterEach
	void stopEverything() {
		for (DemoProcess replica : this.replicas) {
			if (replica != null && replica.isAlive()) {
				replica.kill();
			}
		}
	}

	@Test
	@Timeout(value = 240, unit = TimeUnit.SECONDS)
	void thePageOfASurvivorShowsTheNewPrimaryAfterThePrimaryIsKilled() throws Exception {
		Path executable = HeadlessChromium.find().orElse(null);
		if (executable == null) {
			String reason = "ClusterPageBrowserTest skipped: no Chromium installed (looked for "
					+ String.join(", ", HeadlessChromium.CANDIDATES) + "); install Debian's chromium package, as .ci/run does";
			// On the console too: Surefire keeps an assumption's message in its reports only.
			System.out.println(reason);
			abort(reason);
		}

		startCluster();
		List<DemoProcess> all = List.of(this.replicas);
		Replication before = awaitOn(all, "one normal view of all three", STARTUP_TIMEOUT, () -> reportsOf(all),
				(reports) -> isOneNormalView(reports, all, -1)).get(0);
		deposit(all, "alice", DEPOSITS / 2);

		try (HeadlessChromium chromium = HeadlessChromium.launch(executable, this.root.resolve("chromium"))) {
			int killed = before.primary();
			DemoProcess watched = this.replicas[(killed + 1) % REPLICAS];
			HeadlessChromium.Tab page = chromium.open(watched.uri("/replication"), SCREENSHOT_WIDTH, SCREENSHOT_HEIGHT);
			Rendered first = awaitRendered(page, all, "the page of replica " + watched.replica() + " showing primary "
					+ killed + " in view " + before.view() + " with every replica connected",
					(shown) -> shown.isLive() && shown.primary() == killed && shown.view() == before.view()
							&& shown.connected().size() == REPLICAS && !shown.connected().containsValue(false));
			assertThat(first.replica()).as("the replica whose page it is").isEqualTo(watched.replica());
			assertThat(first.status()).isEqualTo("NORMAL");

			long killedAt = System.nanoTime();
			assertThat(this.replicas[killed].kill()).as("exit code of replica %d, killed by SIGKILL", killed)
				.isEqualTo(137);
			List<DemoProcess> survivors = IntStream.range(0, REPLICAS)
				.filter((index) -> index != killed)
				.mapToObj((index) -> this.replicas[index])
				.toList();
			// The same tab, not reloaded: only the page's own polling can show the change.
			Rendered after = awaitRendered(page, survivors, "the page of replica " + watched.replica()
					+ " showing a primary other than " + killed + ", normal, with " + killed + " unreachable",
					(shown) -> shown.isLive() && "NORMAL".equals(shown.status()) && shown.primary() != killed
							&& shown.view() > before.view() && Boolean.FALSE.equals(shown.connected().get(killed)));
			long shownMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
			assertThat(after.primary()).as("the new primary the page shows, one of the survivors")
				.isIn(survivors.stream().map(DemoProcess::replica).toList());
			assertThat(after.primaryRow()).as("the row the page highlights as the primary's").isEqualTo(after.primary());
			assertThat(after.primary()).as("the primary the replica itself reports")
				.isEqualTo(DemoReports.reportOf(watched).primary());

			// The primary's page shows every peer's lag: the picture for the docs.
			deposit(survivors, "bob", DEPOSITS / 2);
			DemoProcess newPrimary = this.replicas[after.primary()];
			HeadlessChromium.Tab primaryPage = (newPrimary == watched) ? page
					: chromium.open(newPrimary.uri("/replication"), SCREENSHOT_WIDTH, SCREENSHOT_HEIGHT);
			long committed = DemoReports.reportOf(newPrimary).commitNumber();
			awaitRendered(primaryPage, survivors, "the new primary's page, showing itself the primary at op " + committed,
					(shown) -> shown.isLive() && shown.primary() == newPrimary.replica() && shown.commit() >= committed);
			Path screenshot = screenshotDirectory().resolve("cluster-page.png");
			primaryPage.screenshot(screenshot);
			assertThat(pngSize(screenshot)).as("the screenshot's size in pixels")
				.containsExactly(SCREENSHOT_WIDTH, SCREENSHOT_HEIGHT);

			System.out.printf("ClusterPageBrowserTest: %s; replica %d's page showed primary %d, then, without a reload, "
					+ "primary %d of view %d %d ms after the kill of %d; screenshot of replica %d's page in %s%n",
					chromium.executable(), watched.replica(), killed, after.primary(), after.view(), shownMillis, killed,
					newPrimary.replica(), screenshot.toAbsolutePath().normalize());
		}
	}

	private void startCluster() {
		int[] ports = FreePorts.on127001(2 * REPLICAS);
		String peers = IntStream.range(0, REPLICAS)
			.mapToObj((index) -> "127.0.0.1:" + ports[REPLICAS + index])
			.collect(Collectors.joining(","));
		for (int index = 0; index < REPLICAS; index++) {
			List<String> arguments = List.of("--server.port=" + ports[index], "--replication.peers=" + peers,
					"--replication.replica=" + index, "--replication.data-dir=" + this.root.resolve("replica-" + index),
					"--replication.cluster-id=" + CLUSTER_ID,
					"--replication.state-check-interval=" + STATE_CHECK_INTERVAL_OPS, "--spring.main.banner-mode=off");
			HttpClient http = HttpClient.newBuilder()
				.version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(Duration.ofSeconds(2))
				.build();
			this.replicas[index] = DemoProcess.start(index, ports[index], arguments,
					this.root.resolve("logs").resolve("replica-" + index + ".log"), http);
		}
	}

	/** Opens the account and deposits into it, round the replicas, each deposit acknowledged. */
	private static void deposit(List<DemoProcess> through, String account, int deposits) throws Exception {
		HttpResponse<String> opened = through.get(0).post("/accounts/" + account + "?initial=100");
		assertThat(opened.statusCode()).as("opening %s: %s", account, opened.body()).isEqualTo(200);
		for (int deposit = 0; deposit < deposits; deposit++) {
			DemoProcess replica = through.get(deposit % through.size());
			HttpResponse<String> response = replica.post("/accounts/" + account + "/deposit?amount=" + (deposit + 1));
			assertThat(response.statusCode()).as("deposit %d through %s: %s", deposit, replica, response.body())
				.isEqualTo(200);
		}
	}

	/**
	 * Reads what the open page shows until {@code done} accepts it.
	 * @param alive the replicas that must stay alive meanwhile
	 */
	private Rendered awaitRendered(HeadlessChromium.Tab page, List<DemoProcess> alive, String what,
			Predicate<Rendered> done) {
		AtomicReference<JsonNode> last = new AtomicReference<>();
		try {
			return awaitOn(alive, what, PAGE_TIMEOUT, () -> {
				JsonNode shown = page.evaluate(Rendered.EXPRESSION);
				last.set(shown);
				return Rendered.of(shown);
			}, done);
		}
		catch (AssertionError ex) {
			throw new AssertionError(ex.getMessage() + "\n=== what the page showed last ===\n" + last.get(), ex);
		}
	}

	private <T> T awaitOn(List<DemoProcess> replicas, String what, Duration timeout,
			Callable<T> probe, Predicate<T> done) {
		return DemoReports.awaitOn(this.root, replicas, what, timeout, probe, done);
	}

	private static Path screenshotDirectory() {
		String configured = System.getProperty(SCREENSHOT_DIR_PROPERTY);
		// By default under target/, so that a build leaves the work tree as it found it.
		return (configured != null && !configured.isBlank()) ? Path.of(configured)
				: Path.of("target", "cluster-page");
	}

	/** Width and height from the PNG's header chunk. */
	private static List<Integer> pngSize(Path png) throws IOException {
		try (InputStream in = Files.newInputStream(png)) {
			ByteBuffer header = ByteBuffer.wrap(in.readNBytes(24));
			assertThat(header.getLong(0)).as("the PNG signature of %s", png).isEqualTo(0x89504E470D0A1A0AL);
			return List.of(header.getInt(16), header.getInt(20));
		}
	}

	/**
	 * What the page's script rendered, from the {@code data-*} attributes it keeps on the body and
	 * on each row of the replicas' table.
	 *
	 * @param state {@code live} once a report is shown and the last fetch succeeded, {@code error}
	 * after a failed one, {@code waiting} before the first
	 * @param replica the replica whose page it is
	 * @param status its status
	 * @param view its view
	 * @param primary the primary it shows
	 * @param commit the commit number it shows
	 * @param primaryRow the row highlighted as the primary's, or -1
	 * @param connected each replica of the table, this one included, and whether it is connected
	 */
	record Rendered(String state, int replica, String status, long view, int primary, long commit, int primaryRow,
			Map<Integer, Boolean> connected) {

		/** The attributes, read in the page. */
		static final String EXPRESSION = "({ body: Object.assign({}, document.body.dataset), rows: Array.from("
				+ "document.querySelectorAll('tr[data-replica]'), (row) => Object.assign({}, row.dataset)) })";

		static Rendered of(JsonNode shown) {
			JsonNode body = shown.path("body");
			Map<Integer, Boolean> connected = new TreeMap<>();
			int primaryRow = -1;
			for (JsonNode row : shown.path("rows")) {
				int index = Integer.parseInt(row.path("replica").asString());
				connected.put(index, Boolean.parseBoolean(row.path("connected").asString()));
				if (Boolean.parseBoolean(row.path("primary").asString())) {
					primaryRow = index;
				}
			}
			return new Rendered(body.path("state").asString("?"), (int) number(body, "replica"),
					body.path("status").asString(null), number(body, "view"), (int) number(body, "primary"),
					number(body, "commit"), primaryRow, connected);
		}

		boolean isLive() {
			return "live".equals(this.state);
		}

		private static long number(JsonNode attributes, String name) {
			JsonNode value = attributes.get(name);
			return (value != null) ? Long.parseLong(value.asString()) : -1;
		}

	}

}
