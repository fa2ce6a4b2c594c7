package io.viewstamp.demo;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.awaitility.Awaitility.await;

/**
 * A real browser for the tests, with no library: headless Chromium started with its DevTools
 * protocol on a local port, and driven over it with the JDK's own HTTP and WebSocket clients. A
 * {@link Tab} stays open while the test changes the world under it, so what the test reads is what
 * the page's own script made of it, live, without a reload.
 */
final class HeadlessChromium implements AutoCloseable {

	/** Where Debian's {@code chromium} package installs it, then the names other installs use. */
	static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "chromium", "chromium-browser",
			"google-chrome", "google-chrome-stable");

	/**
	 * {@code --no-sandbox} because tests run as root in CI, where Chromium's sandbox refuses to
	 * start; the pages are the test's own. The rest keep a headless browser quiet and independent of
	 * the machine: no GPU, no shared-memory size limits, no first-run or extension work, no
	 * throttling of a page's timers.
	 */
	private static final List<String> HEADLESS = List.of("--headless=new", "--no-sandbox", "--disable-gpu",
			"--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
			"--hide-scrollbars", "--mute-audio", "--disable-background-timer-throttling",
			"--disable-renderer-backgrounding", "--remote-debugging-port=0", "about:blank");

	/** A browser start on two busy cores. */
	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	/** One command of the protocol: an evaluation or a screenshot. */
	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Path executable;

	private final Process process;

	private final Path log;

	private final URI devTools;

	private final HttpClient http = HttpClient.newHttpClient();

	private HeadlessChromium(Path executable, Process process, Path log, URI devTools) {
		this.executable = executable;
		this.process = process;
		this.log = log;
		this.devTools = devTools;
	}

	/**
	 * The browser installed on this machine.
	 * @return its executable, or empty when none of {@link #CANDIDATES} is installed
	 */
	static Optional<Path> find() {
		return CANDIDATES.stream()
			.flatMap((candidate) -> candidate.startsWith("/") ? Stream.of(Path.of(candidate)) : onPath(candidate))
			.filter(Files::isExecutable)
			.findFirst();
	}

	private static Stream<Path> onPath(String name) {
		String path = System.getenv("PATH");
		return (path != null) ? Stream.of(path.split(File.pathSeparator)).map((dir) -> Path.of(dir, name))
				: Stream.empty();
	}

	/**
	 * Starts the browser and waits until its DevTools protocol answers.
	 * @param executable the browser, as {@link #find()} gave it
	 * @param workDir where it keeps its profile and log
	 * @return the running browser
	 */
	static HeadlessChromium launch(Path executable, Path workDir) {
		Path profile = workDir.resolve("profile");
		Path log = workDir.resolve("chromium.log");
		List<String> command = new ArrayList<>();
		command.add(executable.toString());
		command.addAll(HEADLESS);
		command.add(1, "--user-data-dir=" + profile.toAbsolutePath());
		Process process;
		try {
			Files.createDirectories(profile);
			process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Starting Chromium failed: " + command, ex);
		}
		// Chromium writes the port it chose, and its browser target's path, into the profile.
		Path activePort = profile.resolve("DevToolsActivePort");
		try {
			List<String> lines = await("Chromium's DevTools port in " + activePort).atMost(START_TIMEOUT)
				.pollInterval(Duration.ofMillis(100))
				.ignoreExceptions()
				.failFast("Chromium exited", () -> !process.isAlive())
				.until(() -> Files.readAllLines(activePort), (read) -> read.size() >= 2);
			return new HeadlessChromium(executable, process, log,
					URI.create("http://127.0.0.1:" + Integer.parseInt(lines.get(0).trim())));
		}
		catch (ConditionTimeoutException | TerminalFailureException ex) {
			destroy(process);
			throw new AssertionError(ex.getMessage() + logTail(log), ex);
		}
	}

	Path executable() {
		return this.executable;
	}

	/**
	 * Opens the page in a new tab, as a window of the given size shows it.
	 * @param page the page's address
	 * @param width the viewport's width in CSS pixels
	 * @param height its height
	 * @return the tab
	 */
	Tab open(URI page, int width, int height) {
		try {
			// A new target is created with PUT: Chromium refuses a GET to this path.
			String query = URLEncoder.encode(page.toString(), StandardCharsets.UTF_8);
			HttpResponse<String> created = this.http.send(HttpRequest
				.newBuilder(this.devTools.resolve("/json/new?" + query))
				.PUT(HttpRequest.BodyPublishers.noBody())
				.timeout(COMMAND_TIMEOUT)
				.build(), HttpResponse.BodyHandlers.ofString());
			if (created.statusCode() != 200) {
				throw new AssertionError("Chromium did not open " + page + ": " + created.statusCode() + " "
						+ created.body() + logTail(this.log));
			}
			JsonNode target = JSON.readTree(created.body());
			Tab tab = new Tab(target.get("id").asString(), URI.create(target.get("webSocketDebuggerUrl").asString()));
			tab.command("Emulation.setDeviceMetricsOverride",
					Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
			return tab;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Opening " + page + " in Chromium failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Ends the browser and every process it started. */
	@Override
	public void close() {
		destroy(this.process);
	}

	private static void destroy(Process process) {
		process.descendants().forEach(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
		try {
			process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static String logTail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
			return "\n--- " + log + " ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
		}
		catch (IOException | UncheckedIOException ex) {
			return "\n(no browser log: " + ex + ")";
		}
	}

	/**
	 * One tab, over its own WebSocket: commands go out numbered, and each answer completes the
	 * command of its number. Nothing subscribes to events, so nothing else arrives.
	 */
	final class Tab implements WebSocket.Listener {

		private final String id;

		private final WebSocket socket;

		private final AtomicInteger commands = new AtomicInteger();

		private final Map<Integer, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();

		/** A message may come in parts (a screenshot does): they are joined here until the last. */
		private final StringBuilder message = new StringBuilder();

		private Tab(String id, URI debugger) {
			this.id = id;
			this.socket = HeadlessChromium.this.http.newWebSocketBuilder()
				.connectTimeout(COMMAND_TIMEOUT)
				.buildAsync(debugger, this)
				.join();
		}

		/**
		 * Evaluates a JavaScript expression in the page.
		 * @param expression an expression whose value JSON can carry
		 * @return its value
		 */
		JsonNode evaluate(String expression) {
			JsonNode result = command("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
			if (result.has("exceptionDetails")) {
				throw new AssertionError("The page threw on " + expression + ": " + result.get("exceptionDetails"));
			}
			return result.path("result").path("value");
		}

		/**
		 * Saves what the tab's viewport shows.
		 * @param png the file to write
		 */
		void screenshot(Path png) {
			JsonNode shot = command("Page.captureScreenshot", Map.of("format", "png"));
			try {
				Files.createDirectories(png.toAbsolutePath().getParent());
				Files.write(png, Base64.getDecoder().decode(shot.get("data").asString()));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Writing " + png + " failed", ex);
			}
		}

		private JsonNode command(String method, Map<String, Object> parameters) {
			int number = this.commands.incrementAndGet();
			CompletableFuture<JsonNode> answer = new CompletableFuture<>();
			this.answers.put(number, answer);
			ObjectNode request = JSON.createObjectNode().put("id", number).put("method", method);
			request.set("params", JSON.valueToTree(parameters));
			try {
				this.socket.sendText(JSON.writeValueAsString(request), true).get(COMMAND_TIMEOUT.toMillis(),
						TimeUnit.MILLISECONDS);
				JsonNode response = answer.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				if (response.has("error")) {
					throw new AssertionError("Chromium refused " + method + ": " + response.get("error"));
				}
				return response.get("result");
			}
			catch (TimeoutException ex) {
				throw new AssertionError("No answer from Chromium to " + method + " within " + COMMAND_TIMEOUT
						+ logTail(HeadlessChromium.this.log), ex);
			}
			catch (ExecutionException ex) {
				throw new AssertionError("Chromium's connection failed during " + method, ex.getCause());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			finally {
				this.answers.remove(number);
			}
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.message.append(data);
			if (last) {
				JsonNode response = JSON.readTree(this.message.toString());
				this.message.setLength(0);
				CompletableFuture<JsonNode> answer = this.answers.get(response.path("id").asInt(-1));
				if (answer != null) {
					answer.complete(response);
				}
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.answers.values().forEach((answer) -> answer.completeExceptionally(error));
		}

		@Override
		public String toString() {
			return "tab " + this.id;
		}

	}

}
