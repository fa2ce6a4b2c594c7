package io.viewstamp.actuate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The live cluster page: one HTML document whose CSS and script are inline, so that it needs no
 * build step and loads nothing from another origin. In the browser it reads
 * {@code /actuator/replication} of the application that served it every second and shows the
 * replica's status, view, primary, op, commit and applied numbers, each replica of the peer list
 * with its connection, acknowledged op and lag (known on the primary), the journal, and any
 * divergence; a banner says when the endpoint cannot be reached.
 *
 * <p>
 * This class only makes the document; the auto-configuration serves it at {@link #path()} and
 * {@link ReplicationEndpoint} links to it.
 */
public final class ReplicationPage {

	/** Where the auto-configuration serves the page. */
	public static final String PATH = "/replication";

	private static final String TEMPLATE = "replication-page.html";

	/** Where the template names the endpoint the script reads. */
	private static final String ENDPOINT_PLACEHOLDER = "{{endpoint}}";

	private final String path;

	private final String template;

	/**
	 * @param path where the page is served, from the application's root, such as {@link #PATH}
	 */
	public ReplicationPage(String path) {
		if (!path.startsWith("/") || path.endsWith("/")) {
			throw new IllegalArgumentException("The page's path must start with '/' and not end with one: " + path);
		}
		this.path = path;
		this.template = readTemplate();
	}

	/**
	 * Where the page is served, from the application's root (under its context path, if any).
	 * @return the path
	 */
	public String path() {
		return this.path;
	}

	/**
	 * The document.
	 * @param endpointPath where the application serves {@code /actuator/replication}, from the same
	 * root as {@link #path()}: the base path and mapping of actuator's web endpoints applied
	 * @return the HTML document
	 */
	public String html(String endpointPath) {
		return this.template.replace(ENDPOINT_PLACEHOLDER, escape(relative(endpointPath)));
	}

	/**
	 * The endpoint's address relative to the page's: the browser resolves it under whatever
	 * context path the two share, which the application does not need to know.
	 */
	String relative(String endpointPath) {
		if (!endpointPath.startsWith("/")) {
			throw new IllegalArgumentException("The endpoint's path must start with '/': " + endpointPath);
		}
		int depth = (int) this.path.chars().filter((c) -> c == '/').count() - 1;
		return "../".repeat(depth) + endpointPath.substring(1);
	}

	/** Escapes a value for a double-quoted HTML attribute. */
	private static String escape(String value) {
		return value.replace("&", "&amp;")
			.replace("\"", "&quot;")
			.replace("'", "&#39;")
			.replace("<", "&lt;")
			.replace(">", "&gt;");
	}

	private static String readTemplate() {
		try (InputStream in = ReplicationPage.class.getResourceAsStream(TEMPLATE)) {
			Objects.requireNonNull(in, () -> "The page's template " + TEMPLATE + " is missing beside "
					+ ReplicationPage.class.getName() + " in the starter's jar");
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The page's template " + TEMPLATE + " could not be read", ex);
		}
	}

}
