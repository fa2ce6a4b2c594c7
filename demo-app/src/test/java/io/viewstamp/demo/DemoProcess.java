package io.viewstamp.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One replica of the demo application as a child JVM on 127.0.0.1: started with this JVM's
 * {@code java} and test class path, its output written to a log file, crashed with SIGKILL, and
 * asked over its REST API and {@code /actuator/replication}.
 *
 * <p>
 * The child runs {@link #main}, which runs {@link DemoApplication} unchanged and only adds one
 * thing: it exits when the JVM that started it ends. A test JVM that dies (a crash, the build
 * killed) then leaves no replica holding ports and CPU behind.
 */
final class DemoProcess {

	/** The system property that tells the child which process to outlive no longer than. */
	static final String PARENT_PID_PROPERTY = "viewstamp.demo.parent-pid";

	/**
	 * Small heaps, the serial collector and the client compiler only: three Spring Boot JVMs and
	 * the test's own then start and run side by side on two cores.
	 */
	private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC",
			"-XX:TieredStopAtLevel=1", "-XX:-OmitStackTraceInFastThrow");

	/** SIGKILL takes effect at once; this only bounds the wait for the kernel to reap the process. */
	private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

	/** A clean stop: the web server's graceful shutdown, the replica's hand-over, the JVM's exit. */
	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(40);

	/** Longer than the replicas' request timeout, so a slow command answers 503 rather than hanging up. */
	private static final Duration HTTP_REQUEST_TIMEOUT = Duration.ofSeconds(10);

	private static final int LOG_TAIL_LINES = 40;

	private static final JsonMapper JSON = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private final int replica;

	private final int httpPort;

	private final Process process;

	private final Path log;

	private final HttpClient http;

	private DemoProcess(int replica, int httpPort, Process process, Path log, HttpClient http) {
		this.replica = replica;
		this.httpPort = httpPort;
		this.process = process;
		this.log = log;
		this.http = http;
	}

	/**
	 * Starts a replica of the demo in a new JVM.
	 * @param replica the replica's index, for messages
	 * @param httpPort the HTTP port, which {@code arguments} must set as {@code --server.port}
	 * @param arguments the application's arguments
	 * @param log the file that receives the JVM's stdout and stderr
	 * @param http the client to talk to the replica with
	 * @return the running process (not yet serving: wait on {@link #replication()})
	 */
	static DemoProcess start(int replica, int httpPort, List<String> arguments, Path log, HttpClient http) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(JVM_OPTIONS);
		command.add("-D" + PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
		// Surefire sets java.class.path to the test class path, which holds the demo and the starter.
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), DemoProcess.class.getName()));
		command.addAll(arguments);
		try {
			Files.createDirectories(log.getParent());
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
				.start();
			return new DemoProcess(replica, httpPort, process, log, http);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Starting replica " + replica + " failed: " + command, ex);
		}
	}

	int replica() {
		return this.replica;
	}

	/** The address of {@code path} on this replica's HTTP server. */
	URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.httpPort + path);
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Stops the JVM with SIGTERM, as a rolling restart or an orchestrator does: Spring Boot closes
	 * the application (the web server's graceful shutdown, then the replica's clean stop), and the
	 * JVM exits. Waits until it has.
	 * @return the exit code, 143 (128 + SIGTERM) on Linux once the shutdown hook has run
	 */
	int stop() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError("Replica " + this.replica + " (pid " + this.process.pid()
						+ ") was still alive " + STOP_TIMEOUT + " after SIGTERM" + logTail());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while stopping replica " + this.replica, ex);
		}
		return this.process.exitValue();
	}

	/**
	 * Kills the JVM with SIGKILL, a crash: no shutdown hook runs and nothing is flushed, and waits
	 * until the process has ended.
	 * @return the exit code, 137 (128 + SIGKILL) on Linux
	 */
	int kill() {
		this.process.destroyForcibly();
		try {
			if (!this.process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError("Replica " + this.replica + " (pid " + this.process.pid()
						+ ") was still alive " + EXIT_TIMEOUT + " after SIGKILL");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while killing replica " + this.replica, ex);
		}
		return this.process.exitValue();
	}

	/**
	 * What the replica reports on {@code /actuator/replication}.
	 * @return the report
	 * @throws IOException when the replica does not answer
	 * @throws InterruptedException when interrupted
	 */
	Replication replication() throws IOException, InterruptedException {
		HttpResponse<String> response = get("/actuator/replication");
		if (response.statusCode() != 200) {
			throw new IOException("/actuator/replication on replica " + this.replica + " answered "
					+ response.statusCode() + ": " + response.body());
		}
		return JSON.readValue(response.body(), Replication.class);
	}

	/**
	 * Reads a JSON answer of the replica.
	 * @param <T> the answer's type
	 * @param path the path
	 * @param type the answer's type
	 * @return the answer
	 * @throws IOException when the replica does not answer 200
	 * @throws InterruptedException when interrupted
	 */
	<T> T read(String path, Class<T> type) throws IOException, InterruptedException {
		HttpResponse<String> response = get(path);
		if (response.statusCode() != 200) {
			throw new IOException(path + " on replica " + this.replica + " answered " + response.statusCode() + ": "
					+ response.body());
		}
		return JSON.readValue(response.body(), type);
	}

	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> post(String path) throws IOException, InterruptedException {
		return this.http.send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
		return postJson(path, json, HTTP_REQUEST_TIMEOUT);
	}

	/** A POST whose answer may take up to {@code timeout}: an operation that waits for the cluster. */
	HttpResponse<String> postJson(String path, String json, Duration timeout) throws IOException, InterruptedException {
		return this.http.send(request(path).timeout(timeout)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** The last lines of this JVM's output, for a failure's message. */
	String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.log, StandardCharsets.UTF_8);
			List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
			return "--- last " + tail.size() + " lines of " + this.log + " ---\n" + String.join("\n", tail);
		}
		catch (IOException | UncheckedIOException ex) {
			return "--- " + this.log + " is unreadable: " + ex + " ---";
		}
	}

	@Override
	public String toString() {
		return "replica " + this.replica + " (pid " + this.process.pid() + ", http " + this.httpPort
				+ (isAlive() ? ")" : ", exited " + this.process.exitValue() + ")");
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(uri(path))
			.timeout(HTTP_REQUEST_TIMEOUT);
	}

	/**
	 * The child's entry point: the demo application, ended with the JVM that started it.
	 * @param args the application's arguments
	 */
	public static void main(String[] args) {
		String parentPid = System.getProperty(PARENT_PID_PROPERTY);
		if (parentPid != null) {
			// An already-ended parent gives no handle: exit at once rather than run unwatched.
			ProcessHandle parent = ProcessHandle.of(Long.parseLong(parentPid)).orElse(null);
			if (parent == null) {
				System.exit(1);
			}
			parent.onExit().thenRun(() -> {
				// A halt, not a clean close: no test is left to care, and nothing may hold the exit up.
				System.err.println("DemoProcess: the test JVM " + parentPid + " ended; this replica exits too");
				Runtime.getRuntime().halt(1);
			});
		}
		DemoApplication.main(args);
	}

	/**
	 * The part of {@code /actuator/replication} the tests read.
	 *
	 * @param status {@code NORMAL}, {@code VIEW_CHANGE} or {@code RECOVERING}
	 * @param view the replica's view
	 * @param primary the primary of that view
	 * @param opNumber the highest op in its log
	 * @param commitNumber the highest op it has committed
	 * @param divergences how many of the primary's results or states this replica's contradicted
	 * @param lastDivergence the last such contradiction, or {@code null}
	 * @param lastStateCheckOp the op of the last check that found its state equal to the primary's
	 * @param stopped whether the replica stopped
	 * @param stopCause why, or {@code null}
	 * @param configuration the epoch and members the replica is in
	 */
	record Replication(String status, long view, int primary, long opNumber, long commitNumber, long divergences,
			String lastDivergence, long lastStateCheckOp, boolean stopped, String stopCause, Members configuration) {

		boolean isNormal() {
			return "NORMAL".equals(this.status);
		}

	}

	/**
	 * The configuration a replica is in.
	 *
	 * @param epoch the epoch
	 * @param members the members' indexes, ascending
	 */
	record Members(long epoch, List<Integer> members) {
	}

}
