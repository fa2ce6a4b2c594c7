package io.viewstamp.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo's live cluster page on its real web server (Tomcat, Spring MVC, actuator, as the demo
 * runs): {@code /replication} is served as HTML that reads the endpoint, and
 * {@code /actuator/replication} links to it; {@code replication.page.enabled=false} removes both.
 * What the page's script makes of the report is {@link ClusterPageBrowserTest}'s, in a browser.
 */
class ClusterPageTest {

	private static final Duration STARTUP = Duration.ofSeconds(30);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@TempDir
	Path dataDir;

	@Test
	void theDemoServesThePageAndItsReportLinksIt() throws Exception {
		try (ConfigurableApplicationContext demo = startAlone()) {
			HttpResponse<String> page = get(demo, "/replication");
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
			assertThat(page.body()).contains("<meta name=\"replication-endpoint\" content=\"actuator/replication\">");
			JsonNode report = awaitReport(demo);
			assertThat(report.get("page").asString()).isEqualTo("/replication");
		}
	}

	@Test
	void whenThePageIsTurnedOffThenItIsNeitherServedNorLinked() throws Exception {
		try (ConfigurableApplicationContext demo = startAlone("--replication.page.enabled=false")) {
			assertThat(get(demo, "/replication").statusCode()).isEqualTo(404);
			assertThat(awaitReport(demo).get("page").isNull()).as("the report's page").isTrue();
		}
	}

	/** The demo as one replica without peers, on a free port. */
	private ConfigurableApplicationContext startAlone(String... more) {
		String[] arguments = { "--server.port=0", "--replication.peers=", "--replication.replica=0",
				"--replication.data-dir=" + this.dataDir, "--spring.main.banner-mode=off" };
		String[] all = new String[arguments.length + more.length];
		System.arraycopy(arguments, 0, all, 0, arguments.length);
		System.arraycopy(more, 0, all, arguments.length, more.length);
		return new SpringApplicationBuilder(DemoApplication.class).run(all);
	}

	private JsonNode awaitReport(ConfigurableApplicationContext demo) {
		// The replica publishes its first status at its first tick.
		return await().atMost(STARTUP).ignoreExceptions().until(() -> {
			HttpResponse<String> response = get(demo, "/actuator/replication");
			return (response.statusCode() == 200) ? JSON.readTree(response.body()) : null;
		}, (report) -> report != null);
	}

	private HttpResponse<String> get(ConfigurableApplicationContext demo, String path) throws Exception {
		int port = ((WebServerApplicationContext) demo).getWebServer().getPort();
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
