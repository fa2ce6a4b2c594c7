package io.viewstamp.autoconfigure;

import java.nio.charset.StandardCharsets;

import io.viewstamp.actuate.ReplicationEndpoint;
import io.viewstamp.actuate.ReplicationPage;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.servlet.function.support.RouterFunctionMapping;

/**
 * Auto-configuration of the live cluster page ({@link ReplicationPage}) at {@code /replication}:
 * in a servlet web application whose {@code replication} endpoint is exposed over HTTP on the
 * server's own port, since the page's script reads the endpoint from the page's origin. Off with
 * {@code replication.page.enabled=false}.
 */
@AutoConfiguration(after = ReplicationEndpointAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ Endpoint.class, RouterFunctionMapping.class })
@ConditionalOnBean(ReplicationEndpoint.class)
@ConditionalOnAvailableEndpoint(endpoint = ReplicationEndpoint.class, exposure = EndpointExposure.WEB)
@ConditionalOnManagementPort(ManagementPortType.SAME)
@ConditionalOnBooleanProperty(name = "replication.page.enabled", matchIfMissing = true)
public final class ReplicationPageAutoConfiguration {

	/**
	 * After the application's own {@code @RequestMapping}s (order 0) and router functions (-1), so
	 * that an application that maps {@code /replication} itself keeps it; before the static
	 * resources' catch-all ({@code Ordered.LOWEST_PRECEDENCE - 1}).
	 */
	static final int HANDLER_MAPPING_ORDER = 1;

	@Bean
	@ConditionalOnMissingBean
	ReplicationPage replicationPage() {
		return new ReplicationPage(ReplicationPage.PATH);
	}

	/**
	 * A handler mapping of the page's own rather than a {@code RouterFunction} bean, which Spring
	 * MVC would map ahead of the application's controllers.
	 */
	@Bean
	RouterFunctionMapping replicationPageHandlerMapping(ReplicationPage page,
			ObjectProvider<PathMappedEndpoints> endpoints) {
		RouterFunctionMapping mapping = new RouterFunctionMapping(
				RouterFunctions.route().GET(page.path(), (request) -> render(page, endpoints)).build());
		mapping.setOrder(HANDLER_MAPPING_ORDER);
		return mapping;
	}

	/**
	 * The page, naming the endpoint where actuator maps it now: read at each request rather than at
	 * startup, as the endpoints are mapped only once every bean, this one included, exists.
	 */
	private static ServerResponse render(ReplicationPage page, ObjectProvider<PathMappedEndpoints> endpoints) {
		PathMappedEndpoints mapped = endpoints.getIfAvailable();
		String endpointPath = (mapped != null) ? mapped.getPath(EndpointId.of("replication")) : null;
		if (endpointPath == null) {
			return ServerResponse.notFound().build();
		}
		return ServerResponse.ok()
			.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
			.cacheControl(CacheControl.noCache())
			.body(page.html(endpointPath));
	}

}
