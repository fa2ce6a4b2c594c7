package io.viewstamp.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

import io.viewstamp.faults.NetworkFaults;
import io.viewstamp.transport.LoopbackPorts;
import io.viewstamp.transport.PeerAddress;
import io.viewstamp.vsr.Status;

import static org.awaitility.Awaitility.await;

/**
 * Three {@link ReplicaProcess} JVMs on 127.0.0.1, for tests that crash, restart and wipe real
 * processes. The cluster picks free ports, formats the data directories under a root directory,
 * starts each replica as its own JVM (with this JVM's class path), writes each run's output to a
 * log file under {@code root/logs}, and talks to the replicas through their control servers.
 * Every wait is bounded, and a wait that fails says what each replica reported and ends with
 * the tail of its log. Closing kills every replica; so does the end of this JVM, as each replica
 * watches its parent.
 */
public final class ProcessCluster implements AutoCloseable {

	/** The replicas of a cluster unless a test asks for another number. */
	public static final int REPLICA_COUNT = 3;

	static final long CLUSTER_ID = 7;

	/** A JVM starts, opens its data directory and binds its ports within this. */
	static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

	/** A new view forms within this after a primary fails. */
	static final Duration VIEW_TIMEOUT = Duration.ofSeconds(30);

	/** Replicas agree within this after the load stops, including a restart's or a recovery's catch-up. */
	static final Duration CONVERGENCE_TIMEOUT = Duration.ofSeconds(60);

	/** Settles the wait for a killed process's exit; SIGKILL takes effect at once. */
	private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

	/** Status and state requests, which answer at once from a live replica. */
	private static final Duration CONTROL_REQUEST_TIMEOUT = Duration.ofSeconds(5);

	/** What {@code /submit} may take beyond the request timeout before the control server answers. */
	private static final Duration SUBMIT_MARGIN = Duration.ofSeconds(10);

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

	private static final int LOG_TAIL_LINES = 30;

	/** Small heaps and the serial collector keep three JVMs and the test's own light on two cores. */
	private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC",
			"-XX:-OmitStackTraceInFastThrow");

	private final Path root;

	private final Duration requestTimeout;

	private final OptionalInt snapshotIntervalOps;

	private final List<PeerAddress> peers;

	private final int[] controlPorts;

	private final int replicaCount;

	private final Process[] processes;

	private final int[] runs;

	/** Whether each replica printed READY since it was last started; a killed replica is not ready. */
	private final boolean[] ready;

	/** Replicas stopped with SIGSTOP and not yet continued. */
	private final boolean[] paused;

	/** The proxies between the replicas, or null when they talk directly. */
	private NetworkFaults network;

	/** More options of every replica's {@code start}. */
	private List<String> extraStartOptions = List.of();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(CONNECT_TIMEOUT)
		.build();

	private ProcessCluster(Path root, Duration requestTimeout, OptionalInt snapshotIntervalOps, int replicaCount) {
		this.replicaCount = replicaCount;
		this.processes = new Process[replicaCount];
		this.runs = new int[replicaCount];
		this.ready = new boolean[replicaCount];
		this.paused = new boolean[replicaCount];
		this.root = root;
		this.requestTimeout = requestTimeout;
		this.snapshotIntervalOps = snapshotIntervalOps;
		int[] ports = LoopbackPorts.freePorts(2 * replicaCount);
		this.peers = IntStream.range(0, replicaCount).mapToObj((index) -> new PeerAddress("127.0.0.1", ports[index])).toList();
		this.controlPorts = Arrays.copyOfRange(ports, replicaCount, 2 * replicaCount);
	}

	/**
	 * Formats three data directories under {@code root} and starts a replica on each.
	 * @param root the directory of data and logs
	 * @param requestTimeout each replica's request timeout
	 * @param snapshotIntervalOps ops between snapshots, or empty for the default
	 * @return the running cluster, every replica ready
	 */
	public static ProcessCluster start(Path root, Duration requestTimeout, OptionalInt snapshotIntervalOps) {
		return start(new ProcessCluster(root, requestTimeout, snapshotIntervalOps, REPLICA_COUNT));
	}

	/**
	 * As {@link #start(Path, Duration, OptionalInt)}, with a {@link NetworkFaults} proxy on every
	 * link between the replicas.
	 * @param replicaCount the number of replicas
	 * @param seed the seed of the proxies' jitter
	 * @param extraStartOptions more options of {@code ReplicaProcess start}, e.g. {@code --idle-timeout-ms}
	 * @return the running cluster
	 */
	static ProcessCluster startWithNetworkFaults(int replicaCount, Path root, Duration requestTimeout,
			OptionalInt snapshotIntervalOps, long seed, List<String> extraStartOptions) {
		ProcessCluster cluster = new ProcessCluster(root, requestTimeout, snapshotIntervalOps, replicaCount);
		cluster.network = NetworkFaults.start(cluster.peers, seed);
		cluster.extraStartOptions = List.copyOf(extraStartOptions);
		return start(cluster);
	}

	private static ProcessCluster start(ProcessCluster cluster) {
		try {
			for (int replica = 0; replica < cluster.replicaCount; replica++) {
				cluster.format(replica);
			}
			// Launch every JVM before waiting for any: they start in parallel.
			for (int replica = 0; replica < cluster.replicaCount; replica++) {
				cluster.launch(replica);
			}
			for (int replica = 0; replica < cluster.replicaCount; replica++) {
				cluster.awaitReady(replica);
			}
			return cluster;
		}
		catch (RuntimeException | Error ex) {
			cluster.close();
			throw ex;
		}
	}

	/** Starts {@code replica} again (from its data directory, or from its peers if it was wiped). */
	void start(int replica) {
		launch(replica);
		awaitReady(replica);
	}

	/** Kills {@code replica} with SIGKILL, a crash, and waits for the process to end. */
	void kill(int replica) {
		Process process = process(replica);
		if (process == null || !process.isAlive()) {
			throw new IllegalStateException("Replica " + replica + " is not running: nothing to kill");
		}
		process.destroyForcibly();
		try {
			if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError("Replica " + replica + " (pid " + process.pid() + ") did not exit within "
						+ EXIT_TIMEOUT + " of SIGKILL");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while killing replica " + replica, ex);
		}
		synchronized (this) {
			this.processes[replica] = null;
			this.ready[replica] = false;
			this.paused[replica] = false;
		}
	}

	/** Deletes the data directory of {@code replica}, which must not be running. */
	void wipe(int replica) {
		if (isLive(replica)) {
			throw new IllegalStateException("Replica " + replica + " is running: kill it before deleting its data");
		}
		Path directory = dataDirectory(replica);
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Deleting " + directory + " failed", ex);
		}
	}

	/** Whether {@code replica} was started and its process has not ended. */
	synchronized boolean isLive(int replica) {
		return this.processes[replica] != null && this.processes[replica].isAlive();
	}

	/** Whether {@code replica} is live, not paused, and its control server answers: it printed READY. */
	synchronized boolean isReady(int replica) {
		return isLive(replica) && this.ready[replica] && !this.paused[replica];
	}

	/** The number of replicas. */
	int size() {
		return this.replicaCount;
	}

	/** The network between the replicas; only for a cluster started with network faults. */
	NetworkFaults network() {
		if (this.network == null) {
			throw new IllegalStateException("This cluster was started without network faults");
		}
		return this.network;
	}

	/** Stops {@code replica} with SIGSTOP, as a long garbage-collection pause would: it neither runs nor dies. */
	void pause(int replica) {
		signal(replica, "STOP");
		synchronized (this) {
			this.paused[replica] = true;
		}
	}

	/** Continues a paused replica with SIGCONT. */
	void resume(int replica) {
		signal(replica, "CONT");
		synchronized (this) {
			this.paused[replica] = false;
		}
	}

	/** Whether {@code replica} is paused. */
	synchronized boolean isPaused(int replica) {
		return this.paused[replica];
	}

	private void signal(int replica, String signal) {
		Process process = process(replica);
		if (process == null || !process.isAlive()) {
			throw new IllegalStateException("Replica " + replica + " is not running: it can not get SIG" + signal);
		}
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
			if (!kill.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
				throw new AssertionError("kill -" + signal + " " + process.pid() + " failed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Sending SIG" + signal + " to replica " + replica + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while signalling replica " + replica, ex);
		}
	}

	/** The replicas started and not killed. */
	synchronized List<Integer> liveReplicas() {
		return IntStream.range(0, this.replicaCount).filter(this::isLive).boxed().toList();
	}

	/** What {@code replica} reports on {@code /status}; fails if it does not answer. */
	ReplicaStatus status(int replica) {
		return ReplicaStatus.parse(get(replica, "/status").strip());
	}

	/** The ledger of {@code replica}, from {@code /state}; fails if it does not answer. */
	LedgerState state(int replica) {
		return LedgerState.parse(get(replica, "/state"));
	}

	/**
	 * Submits {@code id} through {@code replica}'s client and waits for the outcome. Never throws:
	 * a replica that is down, or dies, gives {@link Submission.Outcome#FAILED}.
	 */
	Submission submit(int replica, String id) {
		HttpRequest request = HttpRequest.newBuilder(controlUri(replica, "/submit"))
			.timeout(this.requestTimeout.plus(SUBMIT_MARGIN))
			.POST(HttpRequest.BodyPublishers.ofString(id, StandardCharsets.UTF_8))
			.build();
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			String body = response.body().strip();
			return switch (response.statusCode()) {
				case 200 -> new Submission(Submission.Outcome.ACKED, Long.parseLong(body), body);
				case 504 -> new Submission(Submission.Outcome.TIMED_OUT, 0, body);
				default -> new Submission(Submission.Outcome.FAILED, 0, response.statusCode() + " " + body);
			};
		}
		catch (IOException ex) {
			return new Submission(Submission.Outcome.FAILED, 0, ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Submission(Submission.Outcome.FAILED, 0, "interrupted");
		}
	}

	/**
	 * Submits a register write through {@code replica}'s client ({@code /register}) and waits for the
	 * outcome. Never throws.
	 */
	RegisterAnswer write(int replica, RegisterCommand command) {
		return registerCall(replica, HttpRequest.newBuilder(controlUri(replica, "/register"))
			.timeout(this.requestTimeout.plus(SUBMIT_MARGIN))
			.POST(HttpRequest.BodyPublishers.ofString(command.id(), StandardCharsets.UTF_8))
			.build(), "previous");
	}

	/**
	 * Reads a register of {@code replica}'s state ({@code /read}), after a barrier when
	 * {@code linearizable}. Never throws.
	 */
	RegisterAnswer read(int replica, String key, boolean linearizable) {
		return registerCall(replica, HttpRequest
			.newBuilder(controlUri(replica, "/read?key=" + key + "&consistency=" + (linearizable ? "linearizable" : "local")))
			.timeout(this.requestTimeout.plus(SUBMIT_MARGIN))
			.GET()
			.build(), "value");
	}

	private RegisterAnswer registerCall(int replica, HttpRequest request, String valueName) {
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			String body = response.body().strip();
			if (response.statusCode() != 200) {
				return RegisterAnswer.unknown(response.statusCode() + " " + body);
			}
			Map<String, String> pairs = new HashMap<>();
			for (String pair : body.split(" ")) {
				int equals = pair.indexOf('=');
				pairs.put(pair.substring(0, equals), pair.substring(equals + 1));
			}
			return new RegisterAnswer(RegisterAnswer.Outcome.OK, Long.parseLong(pairs.get("op")),
					RegisterCommand.fromNone(pairs.get(valueName)), Long.parseLong(pairs.get("pid")), body);
		}
		catch (ConnectException ex) {
			// Refused at connect: nothing reached the replica.
			return new RegisterAnswer(RegisterAnswer.Outcome.NOT_SENT, 0, null, 0, ex.toString());
		}
		catch (IOException ex) {
			return RegisterAnswer.unknown(ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return RegisterAnswer.unknown("interrupted");
		}
	}

	/**
	 * Runs {@code ReplicaProcess}'s closed-loop load inside replica {@code replica} and returns its
	 * one-line report ({@code acked=... opsPerSecond=... p50Ms=... p99Ms=...}).
	 */
	public String load(int replica, int clients, Duration duration, String prefix) {
		HttpRequest request = HttpRequest
			.newBuilder(controlUri(replica,
					"/load?clients=" + clients + "&seconds=" + duration.toSeconds() + "&prefix=" + prefix))
			.timeout(duration.plus(CONTROL_REQUEST_TIMEOUT).plus(this.requestTimeout))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		return send(replica, request).strip();
	}

	/**
	 * Waits until every live replica is normal in one view, newer than {@code viewAfter}, whose
	 * primary is live.
	 * @return the view
	 */
	ClusterView awaitNormalView(long viewAfter) {
		Map<Integer, ReplicaStatus> statuses = awaitCluster("a normal view after view " + viewAfter + " with a live primary",
				VIEW_TIMEOUT, this::statuses,
				(probed) -> normalView(probed).filter((view) -> view.view() > viewAfter).isPresent());
		return normalView(statuses).orElseThrow();
	}

	/** The primary of the normal view the live replicas share; waits for one. */
	public int primary() {
		return awaitNormalView(-1).primary();
	}

	/**
	 * Waits until every live replica is normal in the same view, at the same commit, with the same
	 * ledger checksum and size.
	 * @return each live replica's ledger
	 */
	public Map<Integer, LedgerState> awaitConverged() {
		Map<Integer, Converged> converged = awaitCluster("every live replica normal at one commit with one checksum",
				CONVERGENCE_TIMEOUT, this::convergenceProbes, ProcessCluster::isConverged);
		Map<Integer, LedgerState> states = new LinkedHashMap<>();
		converged.forEach((replica, probe) -> states.put(replica, probe.state()));
		return states;
	}

	/** What every live replica reports, and the tail of each replica's log, for a failure's message. */
	String describe() {
		StringBuilder description = new StringBuilder();
		for (int replica = 0; replica < this.replicaCount; replica++) {
			description.append("\n--- replica ").append(replica).append(isLive(replica) ? " (live): " : " (not running): ");
			if (isLive(replica)) {
				try {
					description.append(get(replica, "/status").strip()).append(" | ").append(stateLine(replica));
				}
				catch (RuntimeException ex) {
					description.append("no answer: ").append(ex.getMessage());
				}
			}
			description.append("\n").append(logTail(replica));
		}
		return description.toString();
	}

	/** Kills every replica, and closes the proxies between them. */
	@Override
	public void close() {
		for (int replica = 0; replica < this.replicaCount; replica++) {
			if (isLive(replica)) {
				kill(replica);
			}
			synchronized (this) {
				this.paused[replica] = false;
			}
		}
		if (this.network != null) {
			this.network.close();
		}
	}

	private Path dataDirectory(int replica) {
		return this.root.resolve("data").resolve(Integer.toString(replica));
	}

	private void format(int replica) {
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8);
		String[] command = Stream.concat(Stream.of("format"), replicaOptions(replica).stream()).toArray(String[]::new);
		int exitCode = ReplicaProcess.run(command, print, print);
		if (exitCode != ReplicaProcess.EXIT_OK) {
			throw new AssertionError("Formatting replica " + replica + " exited with " + exitCode + ": "
					+ output.toString(StandardCharsets.UTF_8));
		}
	}

	private List<String> replicaOptions(int replica) {
		List<PeerAddress> seen = (this.network != null) ? this.network.peersSeenBy(replica) : this.peers;
		return List.of("--cluster-id", Long.toString(CLUSTER_ID), "--replica", Integer.toString(replica), "--peers",
				seen.stream().map(PeerAddress::toString).collect(Collectors.joining(",")), "--data-dir",
				dataDirectory(replica).toString());
	}

	private void launch(int replica) {
		if (isLive(replica)) {
			throw new IllegalStateException("Replica " + replica + " is already running");
		}
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(JVM_OPTIONS);
		// Surefire sets java.class.path to the test class path even when it boots from a manifest-only jar.
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), ReplicaProcess.class.getName(), "start"));
		command.addAll(replicaOptions(replica));
		command.addAll(List.of("--control-port", Integer.toString(this.controlPorts[replica]), "--request-timeout-ms",
				Long.toString(this.requestTimeout.toMillis()), "--parent-pid",
				Long.toString(ProcessHandle.current().pid())));
		this.snapshotIntervalOps
			.ifPresent((interval) -> command.addAll(List.of("--snapshot-interval", Integer.toString(interval))));
		command.addAll(this.extraStartOptions);
		try {
			Files.createDirectories(this.root.resolve("logs"));
			Path log;
			synchronized (this) {
				log = logFile(replica, ++this.runs[replica]);
			}
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
				.start();
			synchronized (this) {
				this.processes[replica] = process;
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Starting replica " + replica + " failed: " + command, ex);
		}
	}

	private void awaitReady(int replica) {
		Process process = process(replica);
		Path log = currentLog(replica);
		try {
			await("replica " + replica + " prints " + ReplicaProcess.READY_LINE).atMost(READY_TIMEOUT)
				.pollInterval(POLL_INTERVAL)
				.failFast("replica " + replica + " exited before it was ready", () -> !process.isAlive())
				.until(() -> Files.readAllLines(log, StandardCharsets.UTF_8).contains(ReplicaProcess.READY_LINE));
		}
		catch (ConditionTimeoutException | TerminalFailureException ex) {
			throw new AssertionError(ex.getMessage() + (process.isAlive() ? "" : " (exit code " + process.exitValue() + ")")
					+ "\n" + logTail(replica), ex);
		}
		synchronized (this) {
			this.ready[replica] = true;
		}
	}

	private <T> T awaitCluster(String what, Duration timeout, Callable<T> probe, Predicate<T> done) {
		List<Integer> expectedLive = liveReplicas();
		try {
			return await(what).atMost(timeout)
				.pollInterval(POLL_INTERVAL)
				.ignoreExceptions()
				.failFast("a replica's process ended on its own", () -> !liveReplicas().equals(expectedLive))
				.until(probe, done);
		}
		catch (ConditionTimeoutException | TerminalFailureException ex) {
			throw new AssertionError(ex.getMessage() + describe(), ex);
		}
	}

	private Map<Integer, ReplicaStatus> statuses() {
		Map<Integer, ReplicaStatus> statuses = new LinkedHashMap<>();
		for (int replica : liveReplicas()) {
			statuses.put(replica, status(replica));
		}
		return statuses;
	}

	private Optional<ClusterView> normalView(Map<Integer, ReplicaStatus> statuses) {
		List<ClusterView> views = statuses.values()
			.stream()
			.map((status) -> (status.status() == Status.NORMAL && !status.stopped())
					? new ClusterView(status.view(), status.primary()) : null)
			.distinct()
			.toList();
		if (statuses.isEmpty() || views.size() != 1 || views.get(0) == null || !isLive(views.get(0).primary())) {
			return Optional.empty();
		}
		return Optional.of(views.get(0));
	}

	private Map<Integer, Converged> convergenceProbes() {
		Map<Integer, Converged> probes = new LinkedHashMap<>();
		for (int replica : liveReplicas()) {
			// The ledger first: if the replica moves on in between, its commit shows it.
			LedgerState state = state(replica);
			probes.put(replica, new Converged(status(replica), state));
		}
		return probes;
	}

	private static boolean isConverged(Map<Integer, Converged> probes) {
		boolean allNormal = probes.values()
			.stream()
			.allMatch((probe) -> probe.status().status() == Status.NORMAL && !probe.status().stopped());
		long distinct = probes.values()
			.stream()
			.map((probe) -> List.of(probe.status().view(), probe.status().commit(), probe.state().checksum(),
					probe.state().size()))
			.distinct()
			.count();
		return allNormal && distinct == 1;
	}

	private String stateLine(int replica) {
		String state = get(replica, "/state");
		int newline = state.indexOf('\n');
		return (newline < 0) ? state : state.substring(0, newline);
	}

	private String get(int replica, String path) {
		HttpRequest request = HttpRequest.newBuilder(controlUri(replica, path)).timeout(CONTROL_REQUEST_TIMEOUT).GET().build();
		return send(replica, request);
	}

	private String send(int replica, HttpRequest request) {
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("Replica " + replica + " answered " + request.uri().getPath() + " with "
						+ response.statusCode() + ": " + response.body());
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Replica " + replica + " did not answer " + request.uri() + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while asking replica " + replica, ex);
		}
	}

	private URI controlUri(int replica, String pathAndQuery) {
		return URI.create("http://127.0.0.1:" + this.controlPorts[replica] + pathAndQuery);
	}

	private synchronized Process process(int replica) {
		return this.processes[replica];
	}

	private synchronized Path currentLog(int replica) {
		return logFile(replica, this.runs[replica]);
	}

	private Path logFile(int replica, int run) {
		return this.root.resolve("logs").resolve("replica-" + replica + "-run-" + run + ".log");
	}

	private String logTail(int replica) {
		Path log = currentLog(replica);
		try {
			List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
			return "(" + log + ", last " + LOG_TAIL_LINES + " lines)\n"
					+ String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
		}
		catch (IOException ex) {
			return "(no log at " + log + ": " + ex + ")";
		}
	}

	/**
	 * A view every live replica is normal in.
	 *
	 * @param view the view number
	 * @param primary its primary
	 */
	record ClusterView(long view, int primary) {
	}

	/**
	 * One line of {@code /status}.
	 *
	 * @param replica the replica's index
	 * @param status its status
	 * @param view its view
	 * @param primary the primary of that view
	 * @param op its highest op
	 * @param commit its highest committed and applied op
	 * @param stopped whether it stopped on a failure or was closed
	 */
	record ReplicaStatus(int replica, Status status, long view, int primary, long op, long commit, boolean stopped,
			long divergences) {

		static ReplicaStatus parse(String line) {
			Map<String, String> pairs = new LinkedHashMap<>();
			for (String pair : line.split(" ")) {
				int equals = pair.indexOf('=');
				pairs.put(pair.substring(0, equals), pair.substring(equals + 1));
			}
			return new ReplicaStatus(Integer.parseInt(pairs.get("replica")), Status.valueOf(pairs.get("status")),
					Long.parseLong(pairs.get("view")), Integer.parseInt(pairs.get("primary")), Long.parseLong(pairs.get("op")),
					Long.parseLong(pairs.get("commit")), Boolean.parseBoolean(pairs.get("stopped")),
					Long.parseLong(pairs.get("divergences")));
		}

	}

	/**
	 * A replica's ledger, from {@code /state}.
	 *
	 * @param checksum the ledger's checksum
	 * @param size the number of ids applied
	 * @param lastAppliedOp the op of the last id
	 * @param ids the ids in the order they were applied
	 */
	public record LedgerState(long checksum, long size, long lastAppliedOp, List<String> ids) {

		/** Without the ids, which run to thousands and would bury a failure's message. */
		@Override
		public String toString() {
			return "LedgerState[checksum=" + Long.toHexString(this.checksum) + ", size=" + this.size + ", lastAppliedOp="
					+ this.lastAppliedOp + "]";
		}

		static LedgerState parse(String text) {
			List<String> lines = text.lines().toList();
			Map<String, String> pairs = new LinkedHashMap<>();
			for (String pair : lines.get(0).split(" ")) {
				int equals = pair.indexOf('=');
				pairs.put(pair.substring(0, equals), pair.substring(equals + 1));
			}
			List<String> ids = lines.subList(1, lines.size());
			long size = Long.parseLong(pairs.get("size"));
			if (ids.size() != size) {
				throw new IllegalStateException("The ledger says size=" + size + " but lists " + ids.size() + " ids");
			}
			return new LedgerState(Long.parseUnsignedLong(pairs.get("checksum"), 16), size,
					Long.parseLong(pairs.get("lastAppliedOp")), List.copyOf(ids));
		}

		/** How often each id appears. */
		Map<String, Long> counts() {
			return this.ids.stream().collect(Collectors.groupingBy((id) -> id, Collectors.counting()));
		}

	}

	/** What a replica and its ledger reported in one convergence probe. */
	private record Converged(ReplicaStatus status, LedgerState state) {
	}

	/**
	 * The answer to one register call ({@link #write}, {@link #read}).
	 *
	 * @param outcome done, unknown, or never sent
	 * @param op when done, the op the write was applied at, or the op of the state the read saw
	 * @param value when done, the value the register held before the write, or the value read
	 * @param pid when done, the process that answered (one run of the replica)
	 * @param message the answer, for the record
	 */
	record RegisterAnswer(Outcome outcome, long op, String value, long pid, String message) {

		static RegisterAnswer unknown(String message) {
			return new RegisterAnswer(Outcome.UNKNOWN, 0, null, 0, message);
		}

		enum Outcome {
			/** Applied on the replica that took it (a write), or read from its state. */
			OK,
			/** Timed out, refused after it was sent, or cut off: a write may be applied, once, or not. */
			UNKNOWN,
			/** The replica's port refused the connection: the call never reached it. */
			NOT_SENT
		}

	}

	/**
	 * The outcome of one {@link #submit}.
	 *
	 * @param outcome acknowledged, timed out or failed
	 * @param count the id's count after its apply, when acknowledged (1 unless it was applied twice)
	 * @param message the answer, for a failure's message
	 */
	record Submission(Outcome outcome, long count, String message) {

		enum Outcome {
			/** Committed and applied on the replica that took it. */
			ACKED,
			/** The request timeout passed: it may or may not be applied, once. */
			TIMED_OUT,
			/** The replica was down, died or stopped: it may or may not be applied, once. */
			FAILED
		}

	}

}
