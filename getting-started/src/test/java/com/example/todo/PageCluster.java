package com.example.todo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;

/**
 * The page's three replicas, as three applications in this JVM, started with the page's arguments
 * and the module's {@code application.yml}. One thing differs: every port. The page's ports are
 * fixed (8080-8082, 7401-7403), and a build must not fail because another program holds one, so
 * each replica's HTTP port is chosen by the system and each peer's replication port is a free
 * one; requests to a page port go to its replica, and answers name the page's ports again.
 */
final class PageCluster implements AutoCloseable {

	private static final Pattern PAGE_HTTP_PORT = Pattern.compile("--server\\.port=(\\d+)");

	private static final Pattern PAGE_REPLICA = Pattern.compile("--replication\\.replica=(\\d+)");

	private static final Pattern LOCALHOST_PORT = Pattern.compile("localhost:(\\d+)");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final Map<Integer, ConfigurableApplicationContext> replicas = new HashMap<>();

	/** Each page HTTP port's replica, by the command that started it. */
	private final Map<Integer, Integer> replicaOfPagePort = new HashMap<>();

	private final Map<Integer, Integer> pageReplicationPorts = new HashMap<>();

	private final String peers;

	PageCluster() {
		List<String> pagePeers = peersOfApplicationYml();
		int[] free = FreePorts.on127001(pagePeers.size());
		List<String> peers = new ArrayList<>();
		for (int index = 0; index < pagePeers.size(); index++) {
			Matcher peer = LOCALHOST_PORT.matcher(pagePeers.get(index));
			if (!peer.matches()) {
				throw new IllegalStateException("application.yml's peer " + pagePeers.get(index) + " is not localhost:port");
			}
			this.pageReplicationPorts.put(free[index], Integer.parseInt(peer.group(1)));
			peers.add("localhost:" + free[index]);
		}
		this.peers = String.join(",", peers);
	}

	/**
	 * Runs {@code java -jar <jar> <arguments>} as the page does, in this JVM.
	 * @param arguments the page's arguments
	 * @return the index of the replica it started
	 */
	int start(List<String> arguments) {
		int replica = Integer.parseInt(argument(arguments, PAGE_REPLICA));
		if (this.replicas.containsKey(replica)) {
			throw new IllegalStateException("The page starts replica " + replica + ", which runs already");
		}
		int pagePort = Integer.parseInt(argument(arguments, PAGE_HTTP_PORT));
		List<String> run = arguments.stream()
			.map((argument) -> PAGE_HTTP_PORT.matcher(argument).matches() ? "--server.port=0" : argument)
			.collect(Collectors.toCollection(ArrayList::new));
		run.add("--replication.peers=" + this.peers);
		// What TodoApplication.main does, keeping the context to close it.
		this.replicas.put(replica, SpringApplication.run(TodoApplication.class, run.toArray(String[]::new)));
		this.replicaOfPagePort.put(pagePort, replica);
		return replica;
	}

	/** What Ctrl+C does to {@code java -jar}: the JVM's shutdown hook closes the application. */
	void stop(int replica) {
		ConfigurableApplicationContext context = this.replicas.remove(replica);
		if (context == null) {
			throw new IllegalStateException("The page stops replica " + replica + ", which is not running");
		}
		context.close();
	}

	/**
	 * Sends the request of a {@code curl} command to the replica its page port names.
	 * @return what curl prints: the body, with the page's ports where the replicas' real ones are
	 */
	String send(Curl curl) throws IOException, InterruptedException {
		HttpRequest.BodyPublisher body = (curl.data() != null) ? HttpRequest.BodyPublishers.ofString(curl.data())
				: HttpRequest.BodyPublishers.noBody();
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + httpPort(curl.port()) + curl.path()))
			.timeout(Duration.ofSeconds(10))
			.method(curl.method(), body);
		if (curl.data() != null) {
			request.header("Content-Type", "application/x-www-form-urlencoded");
		}
		String answer = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
		return LOCALHOST_PORT.matcher(answer)
			.replaceAll((port) -> "localhost:" + this.pageReplicationPorts.getOrDefault(Integer.parseInt(port.group(1)),
					Integer.parseInt(port.group(1))));
	}

	@Override
	public void close() {
		this.replicas.values().forEach(ConfigurableApplicationContext::close);
		this.replicas.clear();
	}

	private int httpPort(int pagePort) {
		Integer replica = this.replicaOfPagePort.get(pagePort);
		ConfigurableApplicationContext context = (replica != null) ? this.replicas.get(replica) : null;
		if (context == null) {
			throw new IllegalStateException("The page calls port " + pagePort + ", where no replica runs now");
		}
		return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
	}

	private static String argument(List<String> arguments, Pattern pattern) {
		for (String argument : arguments) {
			Matcher matcher = pattern.matcher(argument);
			if (matcher.matches()) {
				return matcher.group(1);
			}
		}
		throw new IllegalStateException("The page's command lacks " + pattern + ", which the test maps: " + arguments);
	}

	private static List<String> peersOfApplicationYml() {
		try {
			return new Binder(ConfigurationPropertySources.from(new YamlPropertySourceLoader().load("application.yml",
					new ClassPathResource("application.yml"))))
				.bind("replication.peers", Bindable.listOf(String.class))
				.orElseThrow(() -> new IllegalStateException("application.yml has no replication.peers"));
		}
		catch (IOException ex) {
			throw new IllegalStateException("application.yml unreadable", ex);
		}
	}

}
