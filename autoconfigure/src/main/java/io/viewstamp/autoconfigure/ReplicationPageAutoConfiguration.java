package io.viewstamp.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

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
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

/**
 * Auto-configuration of the live cluster page ({@link ReplicationPage}) at {@code /replication}:
 * in a servlet web application whose {@code replication} endpoint is exposed over HTTP on the
 * server's own port, since the page's script reads the endpoint from the page's origin. Off with
 * {@code replication.page.enabled=false}.
 */
@AutoConfiguration(after = ReplicationEndpointAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ Endpoint.class, SimpleUrlHandlerMapping.class })
@ConditionalOnBean(ReplicationEndpoint.class)
@ConditionalOnAvailableEndpoint(endpoint = ReplicationEndpoint.class, exposure = EndpointExposure.WEB)
@ConditionalOnManagementPort(ManagementPortType.SAME)
@ConditionalOnBooleanProperty(name = "replication.page.enabled", matchIfMissing = true)
public final class ReplicationPageAutoConfiguration {

	/**
	 * After the application's own {@code @RequestMapping}s (order 0), router functions (-1) and view
	 * controllers (1), so that an application that maps {@code /replication} itself keeps it; before
	 * the static resources' catch-all ({@code Ordered.LOWEST_PRECEDENCE - 1}).
	 */
	static final int HANDLER_MAPPING_ORDER = 2;

	@Bean
	@ConditionalOnMissingBean
	ReplicationPage replicationPage() {
		return new ReplicationPage(ReplicationPage.PATH);
	}

	/**
	 * A handler mapping of the page's own, typed as a plain {@code HandlerMapping}: a second
	 * {@code RouterFunctionMapping} bean would make Spring MVC's own ambiguous to whoever looks it up
	 * by type.
	 */
	@Bean
	HandlerMapping replicationPageHandlerMapping(ReplicationPage page, ObjectProvider<PathMappedEndpoints> endpoints) {
		HttpRequestHandler handler = (request, response) -> render(page, endpoints, request, response);
		return new SimpleUrlHandlerMapping(Map.of(page.path(), handler), HANDLER_MAPPING_ORDER);
	}

	/**
	 * The page, naming the endpoint where actuator maps it now: read at each request rather than at
	 * startup, as the endpoints are mapped only once every bean, this one included, exists.
	 */
	private static void render(ReplicationPage page, ObjectProvider<PathMappedEndpoints> endpoints,
			HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
			response.setHeader(HttpHeaders.ALLOW, "GET, HEAD");
			response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
			return;
		}
		PathMappedEndpoints mapped = endpoints.getIfAvailable();
		String endpointPath = (mapped != null) ? mapped.getPath(EndpointId.of("replication")) : null;
		if (endpointPath == null) {
			response.sendError(HttpServletResponse.SC_NOT_FOUND);
			return;
		}
		byte[] html = page.html(endpointPath).getBytes(StandardCharsets.UTF_8);
		response.setContentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8).toString());
		response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noCache().getHeaderValue());
		response.setContentLength(html.length);
		if ("GET".equals(request.getMethod())) {
			response.getOutputStream().write(html);
		}
	}

}
