package io.viewstamp.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import io.viewstamp.actuate.ReplicationEndpoint;
import io.viewstamp.actuate.ReplicationPage;
import io.viewstamp.actuate.ReplicationReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.servlet.autoconfigure.actuate.web.ServletManagementContextAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.function.support.RouterFunctionMapping;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The live cluster page: served and linked from {@code /actuator/replication} by a servlet web
 * application whose endpoint is exposed over HTTP on the server's port, and nowhere else; turned off
 * by {@code replication.page.enabled=false}; served through Spring MVC as HTML that names the
 * endpoint where actuator maps it, and yielding to an application's own {@code /replication}.
 */
class ReplicationPageAutoConfigurationTest {

	private static final AutoConfigurations REPLICATION = AutoConfigurations.of(ReplicationAutoConfiguration.class,
			ReplicationEndpointAutoConfiguration.class, ReplicationPageAutoConfiguration.class);

	/** Spring MVC and actuator's web endpoints, as a web application with actuator has them. */
	private static final AutoConfigurations WEB_MVC_AND_ACTUATOR = AutoConfigurations.of(
			DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class,
			HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class,
			EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
			ManagementContextAutoConfiguration.class, ServletManagementContextAutoConfiguration.class);

	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	Path root;

	private WebApplicationContextRunner webRunner() {
		return new WebApplicationContextRunner().withConfiguration(REPLICATION)
			.withUserConfiguration(ReplicationAutoConfigurationTest.CounterConfiguration.class)
			.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"),
					"management.endpoints.web.exposure.include=replication");
	}

	@Test
	void whenTheEndpointIsExposedOverHttpThenThePageIsServedAndTheReportLinksIt() {
		webRunner().run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(ReplicationPage.class)
				.hasBean("replicationPageHandlerMapping")
				// Not a second RouterFunctionMapping beside Spring MVC's, which would make its own ambiguous by type.
				.doesNotHaveBean(RouterFunctionMapping.class);
			assertThat(context.getBean(ReplicationPage.class).path()).isEqualTo("/replication");
			assertThat(reportOf(context).page()).isEqualTo("/replication");
		});
	}

	@Test
	void whenThePageIsTurnedOffThenItIsNeitherServedNorLinked() {
		webRunner().withPropertyValues("replication.page.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(ReplicationPage.class)
				.doesNotHaveBean("replicationPageHandlerMapping");
			assertThat(reportOf(context).page()).isNull();
		});
	}

	@Test
	void withoutAWebServerThereIsNoPage() {
		new ApplicationContextRunner().withConfiguration(REPLICATION)
			.withUserConfiguration(ReplicationAutoConfigurationTest.CounterConfiguration.class)
			.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"),
					"management.endpoints.web.exposure.include=replication")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(ReplicationPage.class);
				assertThat(reportOf(context).page()).isNull();
			});
	}

	@Test
	void whenTheEndpointIsExposedOnlyOverJmxThenThereIsNoPage() {
		// The page's script reads the endpoint over HTTP.
		webRunner()
			.withPropertyValues("management.endpoints.web.exposure.include=health", "spring.jmx.enabled=true",
					"management.endpoints.jmx.exposure.include=replication")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ReplicationEndpoint.class)
				.doesNotHaveBean(ReplicationPage.class));
	}

	@Test
	void whenActuatorListensOnAPortOfItsOwnThenThereIsNoPage() {
		// The page would be on the server's port and its script could not read the other.
		webRunner().withPropertyValues("server.port=8080", "management.server.port=9090")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ReplicationEndpoint.class)
				.doesNotHaveBean(ReplicationPage.class));
	}

	@Test
	void withoutSpringMvcThereIsNoPage() {
		webRunner().withClassLoader(new FilteredClassLoader(SimpleUrlHandlerMapping.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ReplicationEndpoint.class)
				.doesNotHaveBean(ReplicationPage.class));
	}

	@Test
	void thePageIsHtmlThatReadsTheEndpointWhereActuatorMapsIt() {
		webRunner().withConfiguration(WEB_MVC_AND_ACTUATOR).run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(get("/replication"))
				.andExpect(status().isOk())
				.andExpect(content().contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8)))
				.andExpect(header().string(HttpHeaders.CACHE_CONTROL, "no-cache"))
				.andExpect(content().string(containsString("<meta name=\"replication-endpoint\" content=\"actuator/replication\">")));
			await().atMost(WAIT).until(() -> context.getBean(ReplicationEndpoint.class).replication() != null);
			mvc.perform(get("/actuator/replication"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.page").value("/replication"));
		});
	}

	@Test
	void aMovedActuatorIsFollowed() {
		webRunner().withConfiguration(WEB_MVC_AND_ACTUATOR)
			.withPropertyValues("management.endpoints.web.base-path=/manage",
					"management.endpoints.web.path-mapping.replication=cluster")
			.run((context) -> MockMvcBuilders.webAppContextSetup(context)
				.build()
				.perform(get("/replication"))
				.andExpect(status().isOk())
				.andExpect(content().string(containsString("<meta name=\"replication-endpoint\" content=\"manage/cluster\">"))));
	}

	@Test
	void anApplicationThatMapsTheSamePathKeepsIt() {
		webRunner().withConfiguration(WEB_MVC_AND_ACTUATOR)
			.withUserConfiguration(OwnReplicationController.class)
			.run((context) -> MockMvcBuilders.webAppContextSetup(context)
				.build()
				.perform(get("/replication"))
				.andExpect(status().isOk())
				.andExpect(content().string("the application's own")));
	}

	private static ReplicationReport reportOf(ApplicationContext context) {
		ReplicationEndpoint endpoint = context.getBean(ReplicationEndpoint.class);
		// The first status is published at the replica's first tick.
		return await().atMost(WAIT).until(endpoint::replication, (report) -> report != null);
	}

	@RestController
	static class OwnReplicationController {

		@GetMapping("/replication")
		String replication() {
			return "the application's own";
		}

	}

}
