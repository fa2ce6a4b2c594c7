package io.viewstamp.runtime;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.viewstamp.transport.PeerStatus;

/**
 * The HTTP control server of a {@link ReplicaProcess}, on 127.0.0.1 only. Every answer is plain
 * text that a test or a shell reads without a JSON library:
 *
 * <ul>
 * <li>{@code POST /submit} with an id as body submits it and waits: 200 with the id's count after
 * the apply (1, or more for a duplicate), 504 on a request timeout, 503 on another
 * {@link RequestFailedException}, 500 otherwise, each with the message.</li>
 * <li>{@code GET /status}: one line of {@code key=value} pairs (replica, status, view, primary, op,
 * commit, stopped, clientSessions, divergences found by the state checks, connected peers).</li>
 * <li>{@code GET /state}: {@code checksum=<hex> size=<n> lastAppliedOp=<op> duplicates=<n>}, then the
 * ledger, one id per line, in order.</li>
 * <li>{@code POST /load?clients=C&seconds=S&prefix=X}: a closed-loop load from this process (see
 * {@link ClosedLoopLoad}), answered with its figures.</li>
 * <li>{@code POST /register} with a {@link RegisterCommand} as body ({@code put k v},
 * {@code cas k e v}) submits it as {@code /submit} does: 200 with {@code op=<op> previous=<value>
 * pid=<pid>}, {@code -} standing for no value; failures as for {@code /submit}.</li>
 * <li>{@code GET /read?key=K&consistency=local|linearizable} reads a register of this replica's
 * state, after a {@linkplain ReplicationClient#barrier() barrier} when linearizable (what a
 * {@code @ReadOnly} method does): 200 with {@code op=<op of the state read> value=<value>
 * pid=<pid>}; a failed barrier as a failed {@code /submit}.</li>
 * </ul>
 *
 * The process id in those answers tells one run of a replica from the next: the checks of local
 * reads hold within one run, as a restarted replica may start behind what the last run returned.
 */
final class ControlServer {

	/**
	 * Threads that serve requests: every {@code /submit} holds one until its command completes, so
	 * this is how many concurrent submits are served without queueing.
	 */
	static final int SERVER_THREADS = 64;

	/** Connections the kernel queues before the server accepts them. */
	private static final int ACCEPT_BACKLOG = 256;

	/** The largest id accepted by {@code /submit}; ids are short, a larger body is a mistake. */
	private static final int SUBMIT_BODY_BYTES_MAX = 4096;

	/** Extra time {@code /submit} waits beyond the request timeout, for the client's own timeout to fire first. */
	private static final Duration SUBMIT_WAIT_MARGIN = Duration.ofSeconds(5);

	private static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

	private static final long PID = ProcessHandle.current().pid();

	private final HttpServer server;

	private final ExecutorService executor;

	private final ReplicaNode node;

	private final LedgerStateMachine ledger;

	private final Duration requestTimeout;

	private ControlServer(HttpServer server, ExecutorService executor, ReplicaNode node, LedgerStateMachine ledger,
			Duration requestTimeout) {
		this.server = server;
		this.executor = executor;
		this.node = node;
		this.ledger = ledger;
		this.requestTimeout = requestTimeout;
	}

	/**
	 * Starts serving on 127.0.0.1:{@code port}.
	 * @param port the port
	 * @param node the replica
	 * @param ledger its state machine
	 * @param requestTimeout the replica client's request timeout
	 * @return the running server
	 */
	static ControlServer start(int port, ReplicaNode node, LedgerStateMachine ledger, Duration requestTimeout) {
		// The JDK's server writes headers and body separately; with Nagle's algorithm on, the body then
		// waits for the client's delayed ACK (some 40 ms) and the control path, not the replica, would
		// set the latency. Read once, when the first server is created, so it is set before that.
		System.setProperty(NODELAY_PROPERTY, "true");
		HttpServer server;
		try {
			server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), ACCEPT_BACKLOG);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Control port 127.0.0.1:" + port + " can not be bound: " + ex.getMessage()
					+ "; give another --control-port", ex);
		}
		ExecutorService executor = Executors.newFixedThreadPool(SERVER_THREADS, (runnable) -> {
			Thread thread = new Thread(runnable, "control-" + port);
			thread.setDaemon(true);
			return thread;
		});
		ControlServer control = new ControlServer(server, executor, node, ledger, requestTimeout);
		server.setExecutor(executor);
		server.createContext("/submit", (exchange) -> control.handle(exchange, "POST", control::submit));
		server.createContext("/status", (exchange) -> control.handle(exchange, "GET", control::status));
		server.createContext("/state", (exchange) -> control.handle(exchange, "GET", control::state));
		server.createContext("/load", (exchange) -> control.handle(exchange, "POST", control::load));
		server.createContext("/register", (exchange) -> control.handle(exchange, "POST", control::register));
		server.createContext("/read", (exchange) -> control.handle(exchange, "GET", control::read));
		server.start();
		return control;
	}

	/** Stops serving at once; requests in progress are cut off. */
	void stop() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private void handle(HttpExchange exchange, String method, Handler handler) throws IOException {
		try (exchange) {
			if (!exchange.getRequestMethod().equals(method)) {
				respond(exchange, 405, exchange.getRequestURI().getPath() + " takes " + method);
				return;
			}
			handler.handle(exchange);
		}
		catch (RuntimeException ex) {
			respond(exchange, 500, ex.toString());
		}
	}

	private void submit(HttpExchange exchange) throws IOException {
		byte[] id = readBody(exchange.getRequestBody());
		if (id.length == 0 || id.length > SUBMIT_BODY_BYTES_MAX) {
			respond(exchange, 400, "The body must be an id of 1.." + SUBMIT_BODY_BYTES_MAX + " bytes, got "
					+ ((id.length > SUBMIT_BODY_BYTES_MAX) ? "more" : "none"));
			return;
		}
		byte[] result = await(exchange, this.node.client().submit(id));
		if (result != null) {
			respond(exchange, 200, Long.toString(ByteBuffer.wrap(result).getLong()));
		}
	}

	private void register(HttpExchange exchange) throws IOException {
		String id = new String(readBody(exchange.getRequestBody()), StandardCharsets.UTF_8);
		Optional<RegisterCommand> command;
		try {
			command = RegisterCommand.parse(id);
		}
		catch (IllegalArgumentException ex) {
			respond(exchange, 400, ex.getMessage());
			return;
		}
		if (command.isEmpty()) {
			respond(exchange, 400, "The body must be 'put <key> <value>' or 'cas <key> <expected> <value>', got '" + id + "'");
			return;
		}
		byte[] result = await(exchange, this.node.client().submit(id.getBytes(StandardCharsets.UTF_8)));
		if (result != null) {
			respond(exchange, 200, "op=" + LedgerStateMachine.appliedOp(result) + " previous="
					+ RegisterCommand.orNone(LedgerStateMachine.previousValue(result)) + " pid=" + PID);
		}
	}

	private void read(HttpExchange exchange) throws IOException {
		Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
		String key = query.get("key");
		String consistency = query.getOrDefault("consistency", "");
		if (key == null || key.isBlank() || !(consistency.equals("local") || consistency.equals("linearizable"))) {
			respond(exchange, 400, "Query parameters: key=<key> and consistency=local or linearizable, got "
					+ exchange.getRequestURI().getRawQuery());
			return;
		}
		if (consistency.equals("linearizable") && await(exchange, this.node.client().barrier()) == null) {
			return;
		}
		LedgerStateMachine.RegisterRead read = this.ledger.read(key);
		respond(exchange, 200, "op=" + read.stateOp() + " value=" + RegisterCommand.orNone(read.value()) + " pid=" + PID);
	}

	/**
	 * Waits for a submitted command, answering the exchange when it fails.
	 * @return its result, or {@code null} when it failed and the failure was answered
	 */
	private byte[] await(HttpExchange exchange, CompletableFuture<byte[]> submitted) throws IOException {
		try {
			return submitted.get(this.requestTimeout.plus(SUBMIT_WAIT_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			int code = (cause instanceof RequestTimeoutException) ? 504
					: (cause instanceof RequestFailedException) ? 503 : 500;
			respond(exchange, code, cause.getClass().getSimpleName() + ": " + cause.getMessage());
		}
		catch (TimeoutException ex) {
			respond(exchange, 504, "No answer within " + this.requestTimeout.plus(SUBMIT_WAIT_MARGIN)
					+ ", longer than the request timeout: the replica's client did not time the command out");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			respond(exchange, 503, "The control server is stopping");
		}
		return null;
	}

	private void status(HttpExchange exchange) throws IOException {
		NodeStatus status = this.node.status();
		String connected = status.peers()
			.stream()
			.filter(PeerStatus::connected)
			.map((peer) -> Integer.toString(peer.replica()))
			.collect(Collectors.joining(","));
		respond(exchange, 200, "replica=" + status.replica() + " status=" + status.status() + " view=" + status.view()
				+ " primary=" + status.primary() + " op=" + status.op() + " commit=" + status.commit() + " stopped="
				+ status.stopped() + " clientSessions=" + status.clientSessions() + " divergences=" + status.divergences()
				+ " connected="
				+ (connected.isEmpty() ? "-" : connected));
	}

	private void state(HttpExchange exchange) throws IOException {
		LedgerStateMachine.LedgerView view = this.ledger.view();
		long duplicates = view.ids().size() - view.ids().stream().distinct().count();
		exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
		exchange.sendResponseHeaders(200, 0);
		try (Writer out = new BufferedWriter(new OutputStreamWriter(exchange.getResponseBody(), StandardCharsets.UTF_8))) {
			out.write("checksum=" + Long.toHexString(view.checksum()) + " size=" + view.ids().size() + " lastAppliedOp="
					+ view.lastAppliedOp() + " duplicates=" + duplicates + "\n");
			for (String id : view.ids()) {
				out.write(id);
				out.write('\n');
			}
		}
	}

	private void load(HttpExchange exchange) throws IOException {
		Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
		ClosedLoopLoad.Result result;
		try {
			int clients = parameter(query, "clients", 1, ClosedLoopLoad.CLIENTS_MAX);
			int seconds = parameter(query, "seconds", 1, ClosedLoopLoad.DURATION_SECONDS_MAX);
			String prefix = query.getOrDefault("prefix", "load");
			result = new ClosedLoopLoad(this.node.client(), this.requestTimeout).run(clients, Duration.ofSeconds(seconds),
					prefix);
		}
		catch (IllegalArgumentException ex) {
			respond(exchange, 400, ex.getMessage());
			return;
		}
		respond(exchange, 200, result.toString());
	}

	private static int parameter(Map<String, String> query, String name, int min, int max) {
		String value = query.get(name);
		try {
			int number = Integer.parseInt(value);
			if (number >= min && number <= max) {
				return number;
			}
		}
		catch (NumberFormatException ex) {
			// Reported below with the range.
		}
		throw new IllegalArgumentException("Query parameter " + name + " must be a whole number in " + min + ".." + max
				+ ", got " + value);
	}

	private static Map<String, String> query(String rawQuery) {
		Map<String, String> query = new HashMap<>();
		if (rawQuery == null) {
			return query;
		}
		for (String pair : rawQuery.split("&")) {
			int equals = pair.indexOf('=');
			if (equals > 0) {
				query.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
						URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
			}
		}
		return query;
	}

	private static byte[] readBody(InputStream body) throws IOException {
		// One byte more than allowed tells a body that is too long from one that is just long enough.
		return body.readNBytes(SUBMIT_BODY_BYTES_MAX + 1);
	}

	private static void respond(HttpExchange exchange, int code, String text) throws IOException {
		byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
		exchange.sendResponseHeaders(code, bytes.length);
		exchange.getResponseBody().write(bytes);
	}

	/** One endpoint. */
	@FunctionalInterface
	private interface Handler {

		void handle(HttpExchange exchange) throws IOException;

	}

}
