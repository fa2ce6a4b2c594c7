package io.viewstamp.demo;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.viewstamp.demo.DemoProcess.Replication;

import static io.viewstamp.demo.DemoReports.accountsOf;
import static io.viewstamp.demo.DemoReports.isOneNormalView;
import static io.viewstamp.demo.DemoReports.maxCommit;
import static io.viewstamp.demo.DemoReports.percentileMillis;
import static io.viewstamp.demo.DemoReports.reportOf;
import static io.viewstamp.demo.DemoReports.reportsOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A year of a demo cluster's operations in one run, each a real JVM on 127.0.0.1, under steady load
 * through a load balancer's three slots ({@link SteadyDeposits}):
 * <ol>
 * <li>three replicas start with a peer list of the three;</li>
 * <li>a rolling restart (backups first, the primary last, each with SIGTERM), as every release does;</li>
 * <li>two new hosts start with empty data directories and a peer list that names the members and
 * themselves, and are added with {@code POST /actuator/replication {"add": n, "address": "host:port"}}:
 * the members learn where each is from the change (their own peer lists stay the three, and no member
 * restarts), the new host recovers from them and catches up: five members;</li>
 * <li>the two are removed again ({@code {"remove": n}}) and stop by themselves: three members;</li>
 * <li>a sixth host, on another port, starts empty and replaces member 2 in one change
 * ({@code {"replace": 2, "with": 5}}), which stops by itself and leaves the load balancer.</li>
 * </ol>
 * No deposit fails or times out at any step, and in the end every acknowledged deposit is in each
 * member's accounts exactly once, and no replica reports a divergence. The times and latencies
 * printed are for the record (docs/operations.md), never asserted.
 */
class DemoMembershipProcessTest {

	private static final int HOSTS = 6;

	private static final int FIRST_MEMBERS = 3;

	private static final int CALLERS = 6;

	private static final String CLUSTER_ID = "demo-membership-process-test";

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

	private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(60);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir(cleanup = CleanupMode.ON_SUCCESS)
	Path root;

	private final DemoProcess[] hosts = new DemoProcess[HOSTS];

	private final int[] runs = new int[HOSTS];

	private final int[] httpPorts = new int[HOSTS];

	private final String[] addresses = new String[HOSTS];

	private SteadyDeposits load;

	@AfterEach
	void stopEverything() throws InterruptedException {
		if (this.load != null) {
			this.load.stop();
		}
		for (DemoProcess host : this.hosts) {
			if (host != null && host.isAlive()) {
				host.kill();
			}
		}
	}

	@Test
	@Timeout(value = 600, unit = TimeUnit.SECONDS)
	void aClusterRestartsRollingGrowsShrinksAndReplacesAMemberUnderLoadAndAppliesEveryDepositOnce() throws Exception {
		int[] ports = FreePorts.on127001(2 * HOSTS);
		for (int host = 0; host < HOSTS; host++) {
			this.httpPorts[host] = ports[host];
			this.addresses[host] = "127.0.0.1:" + ports[HOSTS + host];
		}
		for (int host = 0; host < FIRST_MEMBERS; host++) {
			this.hosts[host] = launch(host, FIRST_MEMBERS);
		}
		Replication first = awaitMembers(List.of(0, 1, 2), 0, STARTUP_TIMEOUT);
		for (int caller = 0; caller < CALLERS; caller++) {
			HttpResponse<String> opened = this.hosts[caller % FIRST_MEMBERS]
				.post("/accounts/" + SteadyDeposits.account(caller) + "?initial=0");
			assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
		}
		this.load = new SteadyDeposits(CALLERS, List.of(this.hosts[0], this.hosts[1], this.hosts[2]));
		this.load.start();
		awaitAcknowledged(100);
		List<String> record = new ArrayList<>();

		// 1. A rolling restart, as every release of the application does.
		int rollingMark = this.load.mark();
		for (int offset = 1; offset <= FIRST_MEMBERS; offset++) {
			int host = (first.primary() + offset) % FIRST_MEMBERS;
			this.load.drain(host);
			Replication before = reportOf(this.hosts[host]);
			record.add(String.format("rolling restart: replica %d at %.3f s (view %d, primary %d)", host,
					this.load.secondsSinceStart(), before.view(), before.primary()));
			int acknowledgedBefore = this.load.acknowledged();
			long stopping = System.nanoTime();
			int exitCode = this.hosts[host].stop();
			this.hosts[host] = launch(host, FIRST_MEMBERS);
			awaitCaughtUp(host, List.of(0, 1, 2));
			this.load.undrain(host, this.hosts[host]);
			record.add("rolling restart: replica " + host + " (exit " + exitCode + ") back and caught up "
					+ millisSince(stopping) + " ms after its SIGTERM, " + (this.load.acknowledged() - acknowledgedBefore)
					+ " deposits acknowledged meanwhile");
			awaitAcknowledged(50);
		}
		long[] rolling = this.load.sortedLatenciesNanosSince(rollingMark);
		assertThat(this.load.failures()).as("deposits that failed or timed out in the rolling restart; %s", record)
			.isEmpty();
		record.add(String.format("rolling restart: %d deposits, none failed; p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, "
				+ "max %.1f ms; over 200 ms: %d", rolling.length, percentileMillis(rolling, 0.50),
				percentileMillis(rolling, 0.99), percentileMillis(rolling, 0.999), percentileMillis(rolling, 1.0),
				Arrays.stream(rolling).filter((nanos) -> nanos > TimeUnit.MILLISECONDS.toNanos(200)).count()));
		this.load.slow().forEach((slow) -> record.add("  over 200 ms: " + slow));

		// 2. Two new hosts start empty and are added at the addresses the changes name: five members.
		this.hosts[3] = launch(3, 4);
		awaitUp(3);
		record.add(change(3, "{\"add\": 3, \"address\": \"" + this.addresses[3] + "\"}", List.of(0, 1, 2, 3), 1));
		this.hosts[4] = launch(4, 5);
		awaitUp(4);
		record.add(change(4, "{\"add\": 4, \"address\": \"" + this.addresses[4] + "\"}", List.of(0, 1, 2, 3, 4), 2));
		awaitAcknowledged(50);

		// 3. The two are removed again, and stop by themselves: three members.
		record.add(change(-1, "{\"remove\": 4}", List.of(0, 1, 2, 3), 3));
		record.add(change(-1, "{\"remove\": 3}", List.of(0, 1, 2), 4));
		for (int removed : new int[] { 3, 4 }) {
			awaitRemoved(removed);
			this.hosts[removed].stop();
		}
		awaitAcknowledged(50);

		// 4. A sixth host on another port replaces member 2 in one change; the load balancer's slot
		// of replica 2 is drained first and then sends to the new host.
		this.hosts[5] = launch(5, HOSTS);
		awaitUp(5);
		this.load.drain(2);
		record.add(change(5, "{\"replace\": 2, \"with\": 5, \"address\": \"" + this.addresses[5] + "\"}",
				List.of(0, 1, 5), 5));
		this.load.undrain(2, this.hosts[5]);
		awaitRemoved(2);
		this.hosts[2].stop();
		awaitAcknowledged(50);
		this.load.stop();

		assertThat(this.load.failures()).as("deposits that failed or timed out").isEmpty();
		List<DemoProcess> members = List.of(this.hosts[0], this.hosts[1], this.hosts[5]);
		Map<String, Long> accounts = awaitOn(members, "equal accounts on the members", CATCH_UP_TIMEOUT,
				() -> accountsOf(members), (maps) -> maps.stream().allMatch(maps.get(0)::equals))
			.get(0);
		for (int caller = 0; caller < CALLERS; caller++) {
			assertThat(accounts.get(SteadyDeposits.account(caller)))
				.as("the balance of caller %d: each acknowledged deposit once", caller)
				.isEqualTo((long) this.load.acknowledged(caller));
		}
		for (DemoProcess member : members) {
			Replication report = reportOf(member);
			assertThat(report.divergences()).as("divergences on %s (last: %s)", member, report.lastDivergence()).isZero();
		}
		long[] all = this.load.sortedLatenciesNanosSince(0);
		record.add(String.format("whole run: %d deposits, none failed; p50 %.1f ms, p99 %.1f ms, max %.1f ms",
				all.length, percentileMillis(all, 0.50), percentileMillis(all, 0.99), percentileMillis(all, 1.0)));
		record.forEach((line) -> System.out.println("DemoMembershipProcessTest: " + line));
	}

	/**
	 * Asks the primary's application for a change of members, and waits until every new member is
	 * normal in one view of the new epoch. A replica that joins ({@code joining}, -1 when none does)
	 * must have the address the body gave recorded in the answer.
	 * @return what the change took, for the record
	 */
	private String change(int joining, String body, List<Integer> members, long epoch) throws Exception {
		int acknowledgedBefore = this.load.acknowledged();
		int mark = this.load.mark();
		long started = System.nanoTime();
		int primary = reportOf(this.hosts[members.get(0)]).primary();
		// A change waits until the new member recovered and caught up (a change gives it ten view-change
		// timeouts, the administration twice that and more): longer than an ordinary request.
		HttpResponse<String> answer = this.hosts[primary].postJson("/actuator/replication", body, CHANGE_TIMEOUT);
		assertThat(answer.statusCode()).as("POST %s on replica %d: %s", body, primary, answer.body()).isEqualTo(200);
		JsonNode changed = JSON.readTree(answer.body());
		assertThat(changed.get("epoch").asLong()).isEqualTo(epoch);
		List<Integer> answered = new ArrayList<>();
		changed.get("members").forEach((member) -> answered.add(member.asInt()));
		assertThat(answered).isEqualTo(members);
		if (joining >= 0) {
			assertThat(changed.get("addresses").get(String.valueOf(joining)).asString())
				.as("the address the change recorded for replica %d", joining)
				.isEqualTo(this.addresses[joining]);
		}
		long answeredMillis = millisSince(started);
		awaitMembers(members, epoch, CHANGE_TIMEOUT);
		long[] latencies = this.load.sortedLatenciesNanosSince(mark);
		return String.format("%s on primary %d: answered in %d ms, every member normal in epoch %d after %d ms; "
				+ "%d deposits acknowledged meanwhile, max %.1f ms", body, primary, answeredMillis, epoch,
				millisSince(started), this.load.acknowledged() - acknowledgedBefore, percentileMillis(latencies, 1.0));
	}

	/** Waits until each of {@code members} is normal in one view of {@code epoch}, with those members. */
	private Replication awaitMembers(List<Integer> members, long epoch, Duration timeout) {
		List<DemoProcess> processes = members.stream().map((member) -> this.hosts[member]).toList();
		return awaitOn(processes, "members " + members + " normal in one view of epoch " + epoch, timeout,
				() -> reportsOf(processes), (reports) -> isOneNormalView(reports, processes, -1) && reports.stream()
					.allMatch((report) -> report.configuration().epoch() == epoch
							&& report.configuration().members().equals(members)))
			.get(0);
	}

	/**
	 * Waits until a host started empty is up (its actuator answers): it listens for the members, which
	 * learn its address from the change that adds it.
	 */
	private void awaitUp(int host) {
		awaitOn(List.of(this.hosts[host]), "replica " + host + " up", STARTUP_TIMEOUT, () -> reportOf(this.hosts[host]),
				(report) -> true);
	}

	/** Waits until a restarted member is normal in the others' view and holds what they had committed. */
	private void awaitCaughtUp(int host, List<Integer> members) {
		List<DemoProcess> others = new ArrayList<>(members.stream()
			.filter((member) -> member != host)
			.map((member) -> this.hosts[member])
			.toList());
		List<DemoProcess> all = new ArrayList<>(others);
		all.add(this.hosts[host]);
		awaitOn(all, "replica " + host + " normal and caught up with the others", CATCH_UP_TIMEOUT,
				() -> reportsOf(all), (reports) -> isOneNormalView(reports, all, -1)
						&& reports.get(others.size()).commitNumber() >= maxCommit(reports.subList(0, others.size())));
	}

	/** Waits until a removed member's replica has stopped by itself, saying why. */
	private void awaitRemoved(int host) {
		DemoProcess removed = this.hosts[host];
		awaitOn(List.of(removed), "replica " + host + " stopped, removed from the members", CHANGE_TIMEOUT,
				() -> removed.replication(), (report) -> report.stopped() && report.stopCause() != null
						&& report.stopCause().contains("removed from the members"));
	}

	private void awaitAcknowledged(int more) {
		int target = this.load.acknowledged() + more;
		List<DemoProcess> running = Arrays.stream(this.hosts).filter((host) -> host != null && host.isAlive()).toList();
		awaitOn(running, more + " more deposits acknowledged", LOAD_TIMEOUT, this.load::acknowledged,
				(acknowledged) -> acknowledged >= target);
	}

	private DemoProcess launch(int host, int peerCount) {
		String peers = IntStream.range(0, peerCount).mapToObj((index) -> this.addresses[index])
			.collect(Collectors.joining(","));
		List<String> arguments = List.of("--server.port=" + this.httpPorts[host], "--replication.peers=" + peers,
				"--replication.replica=" + host, "--replication.data-dir=" + this.root.resolve("replica-" + host),
				"--replication.cluster-id=" + CLUSTER_ID, "--replication.request-timeout=3s",
				"--spring.main.banner-mode=off");
		Path log = this.root.resolve("logs").resolve("replica-" + host + "-run-" + (++this.runs[host]) + ".log");
		HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
		return DemoProcess.start(host, this.httpPorts[host], arguments, log, http);
	}

	private <T> T awaitOn(List<DemoProcess> processes, String what, Duration timeout, Callable<T> probe,
			Predicate<T> done) {
		return DemoReports.awaitOn(this.root, processes, what, timeout, probe, done);
	}

	private static long millisSince(long startNanos) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
	}

}
