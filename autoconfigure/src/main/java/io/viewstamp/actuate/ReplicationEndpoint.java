package io.viewstamp.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import io.viewstamp.ReplicationAdministration;
import io.viewstamp.ReplicationAdministrationException;
import io.viewstamp.ReplicationMembers;
import io.viewstamp.ReplicationUnavailableException;

/**
 * {@code /actuator/replication}: view, status, op, commit and applied numbers, peers and journal
 * of this application's replica, and a link to the live cluster page that shows them (read); and the cluster's administration (write, on the primary's
 * application): {@code POST} with {@code {"target": 2}} moves the primary role to replica 2,
 * {@code {"add": 3, "address": "10.0.0.4:7400"}}, {@code {"remove": 4}} and
 * {@code {"replace": 2, "with": 5, "address": "10.0.0.7:7400"}} change the members.
 */
@Endpoint(id = "replication")
public class ReplicationEndpoint {

	private final ReplicationReportSource source;

	private final @Nullable ReplicationAdministration administration;

	private final @Nullable String page;

	/**
	 * @param source the replica's state
	 */
	public ReplicationEndpoint(ReplicationReportSource source) {
		this(source, null);
	}

	/**
	 * @param source the replica's state
	 * @param administration the cluster's operations, or {@code null} for a read-only endpoint
	 */
	public ReplicationEndpoint(ReplicationReportSource source, @Nullable ReplicationAdministration administration) {
		this(source, administration, null);
	}

	/**
	 * @param source the replica's state
	 * @param administration the cluster's operations, or {@code null} for a read-only endpoint
	 * @param page the path of the live cluster page that the application serves, which each report
	 * links to, or {@code null} when it serves none
	 */
	public ReplicationEndpoint(ReplicationReportSource source, @Nullable ReplicationAdministration administration,
			@Nullable String page) {
		this.source = Objects.requireNonNull(source, "source");
		this.administration = administration;
		this.page = page;
	}

	/**
	 * The replica's state, with the path of the live cluster page when the application serves it.
	 * @return the report, or {@code null} (a 404) when the replica does not run
	 */
	@ReadOperation
	public @Nullable ReplicationReport replication() {
		ReplicationReport report = this.source.report();
		return (report != null) ? report.withPage(this.page) : null;
	}

	/**
	 * Administers the cluster, one operation per request, named by its JSON body:
	 * <ul>
	 * <li>{@code {"target": 2}} moves the primary role to replica 2 ({@link ReplicationAdministration#transferPrimary});</li>
	 * <li>{@code {"add": 3, "address": "10.0.0.4:7400"}} adds the running spare 3, listening at that
	 * address, to the members ({@link ReplicationAdministration#addMember(int, String)}); without an
	 * address, at the one this replica knows for it;</li>
	 * <li>{@code {"remove": 4}} removes member 4 ({@link ReplicationAdministration#removeMember});</li>
	 * <li>{@code {"replace": 2, "with": 5, "address": "10.0.0.7:7400"}} replaces member 2 by the
	 * running spare 5 in one change ({@link ReplicationAdministration#replaceMember(int, int, String)}),
	 * the address optional as with {@code add}.</li>
	 * </ul>
	 * Each is asked of the primary's application; a backup refuses and names the primary.
	 * @return 200 with the new view and primary, or the new epoch, members and their addresses; 400
	 * when the body names no operation or more than one, or an address that is no host:port; 409 with the reason when the operation is refused or given up
	 * (nothing changed then); 503 when this application's replica does not run or the endpoint has no
	 * administration
	 */
	@WriteOperation
	public WebEndpointResponse<Map<String, Object>> administer(@Nullable Integer target, @Nullable Integer add,
			@Nullable Integer remove, @Nullable Integer replace, @Nullable Integer with, @Nullable String address) {
		ReplicationAdministration operations = this.administration;
		if (operations == null) {
			return error(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE,
					"This endpoint has no ReplicationAdministration bean: it only reads");
		}
		int named = ((target != null) ? 1 : 0) + ((add != null) ? 1 : 0) + ((remove != null) ? 1 : 0)
				+ ((replace != null || with != null) ? 1 : 0);
		boolean joins = add != null || with != null;
		if (named != 1 || (replace != null) != (with != null) || (address != null && !joins)) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Name exactly one operation: {\"target\": N} moves "
					+ "the primary to replica N, {\"add\": N} adds the running spare N, {\"remove\": N} removes member N, "
					+ "{\"replace\": N, \"with\": M} replaces member N by the running spare M; \"address\": \"host:port\" "
					+ "says where a replica that joins listens (add and replace only)");
		}
		try {
			if (target != null) {
				long view = operations.transferPrimary(target);
				Map<String, Object> body = new LinkedHashMap<>();
				body.put("view", view);
				body.put("primary", target);
				return new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_OK);
			}
			ReplicationMembers members = (add != null) ? add(operations, add, address)
					: (remove != null) ? operations.removeMember(remove)
							: replace(operations, Objects.requireNonNull(replace), Objects.requireNonNull(with), address);
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("epoch", members.epoch());
			body.put("members", members.members());
			body.put("addresses", members.addresses());
			return new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_OK);
		}
		catch (ReplicationUnavailableException ex) {
			return error(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE, String.valueOf(ex.getMessage()));
		}
		catch (ReplicationAdministrationException ex) {
			return error(409, String.valueOf(ex.getMessage()));
		}
		catch (IllegalArgumentException ex) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST, String.valueOf(ex.getMessage()));
		}
	}

	private static ReplicationMembers add(ReplicationAdministration operations, int replica, @Nullable String address) {
		return (address != null) ? operations.addMember(replica, address) : operations.addMember(replica);
	}

	private static ReplicationMembers replace(ReplicationAdministration operations, int replaced, int replacement,
			@Nullable String address) {
		return (address != null) ? operations.replaceMember(replaced, replacement, address)
				: operations.replaceMember(replaced, replacement);
	}

	private static WebEndpointResponse<Map<String, Object>> error(int status, String message) {
		return new WebEndpointResponse<>(Map.of("error", message), status);
	}

}
