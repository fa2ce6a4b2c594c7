package io.viewstamp.benchmarks.w1.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.viewstamp.benchmarks.w1.LoadRun;
import io.viewstamp.benchmarks.w1.LoadSchedule;

/**
 * W1's callers as HTTP clients of the demo application, in a JVM of their own: each caller deposits
 * 1 into the account {@code w1} on the primary's application and waits for the answer, whose balance
 * is the counter's value after that deposit. Arguments: the three replicas' HTTP ports.
 */
public final class HttpDepositMain {

	private static final String ACCOUNT = "w1";

	private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

	private static final Pattern BALANCE = Pattern.compile("\"balance\"\\s*:\\s*(-?\\d+)");

	private static final Pattern PRIMARY = Pattern.compile("\"primary\"\\s*:\\s*(\\d+)");

	private static final Pattern REPLICA = Pattern.compile("\"replica\"\\s*:\\s*(\\d+)");

	private HttpDepositMain() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 1) {
			System.err.println("Usage: HttpDepositMain <port,port,port>");
			System.exit(2);
		}
		List<Integer> ports = new ArrayList<>();
		for (String port : args[0].split(",")) {
			ports.add(Integer.parseInt(port.trim()));
		}
		ExecutorService io = Executors.newFixedThreadPool(2, (task) -> {
			Thread thread = new Thread(task, "http-client");
			thread.setDaemon(true);
			return thread;
		});
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(io).build();
		URI primary = findPrimary(http, ports);
		System.out.println("[w1 http] the primary's application is " + primary);
		send(http, HttpRequest.newBuilder(primary.resolve("/accounts/" + ACCOUNT + "?initial=0"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
		HttpRequest deposit = HttpRequest.newBuilder(primary.resolve("/accounts/" + ACCOUNT + "/deposit?amount=1"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		LoadRun run = new LoadRun("viewstamp", System.getProperty("bench.variant", "http-deposit"),
				(caller) -> deposit(http, deposit), LoadRun.processesFromSystemProperties(),
				Path.of(System.getProperty("bench.results")));
		HttpRequest read = HttpRequest.newBuilder(primary.resolve("/accounts/" + ACCOUNT)).GET().build();
		boolean correct = run.run(LoadSchedule.fromSystemProperties(), () -> {
			try {
				return balance(send(http, read));
			}
			catch (IOException ex) {
				throw new IllegalStateException("Could not read the account's balance", ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while reading the account's balance", ex);
			}
		});
		System.exit(correct ? 0 : 1);
	}

	private static CompletableFuture<Long> deposit(HttpClient http, HttpRequest deposit) {
		return http.sendAsync(deposit, HttpResponse.BodyHandlers.ofString()).thenApply((response) -> {
			if (response.statusCode() != 200) {
				throw new IllegalStateException("deposit answered " + response.statusCode() + ": " + response.body());
			}
			return balance(response.body());
		});
	}

	/** Asks each application's actuator until one reports itself the primary of a normal view. */
	private static URI findPrimary(HttpClient http, List<Integer> ports) throws InterruptedException {
		Instant deadline = Instant.now().plus(START_TIMEOUT);
		while (Instant.now().isBefore(deadline)) {
			for (int port : ports) {
				URI application = URI.create("http://127.0.0.1:" + port);
				try {
					String report = send(http, HttpRequest.newBuilder(application.resolve("/actuator/replication")).GET()
						.build());
					Matcher primary = PRIMARY.matcher(report);
					Matcher replica = REPLICA.matcher(report);
					if (report.contains("\"NORMAL\"") && primary.find() && replica.find()
							&& primary.group(1).equals(replica.group(1))) {
						return application;
					}
				}
				catch (IOException | IllegalStateException ex) {
					// Not up yet, or not serving yet.
				}
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException("No application on ports " + ports + " reported itself the primary within "
				+ START_TIMEOUT);
	}

	private static String send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
		HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

	private static long balance(String body) {
		Matcher balance = BALANCE.matcher(body);
		if (!balance.find()) {
			throw new IllegalStateException("No balance in the answer " + body);
		}
		return Long.parseLong(balance.group(1));
	}

}
