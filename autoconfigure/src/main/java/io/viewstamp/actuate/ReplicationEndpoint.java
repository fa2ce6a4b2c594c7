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
import io.viewstamp.ReplicationUnavailableException;

/**
 * {@code /actuator/replication}: view, status, op, commit and applied numbers, peers and journal
 * of this application's replica (read); and the cluster's administration (write): {@code POST}
 * with {@code {"target": 2}} on the primary's application moves the primary role to replica 2.
 */
@Endpoint(id = "replication")
public class ReplicationEndpoint {

	private final ReplicationReportSource source;

	private final @Nullable ReplicationAdministration administration;

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
		this.source = Objects.requireNonNull(source, "source");
		this.administration = administration;
	}

	/**
	 * The replica's state.
	 * @return the report, or {@code null} (a 404) when the replica does not run
	 */
	@ReadOperation
	public @Nullable ReplicationReport replication() {
		return this.source.report();
	}

	/**
	 * Moves the primary role to replica {@code target} ({@link ReplicationAdministration#transferPrimary}).
	 * @param target the index of the replica to lead next
	 * @return 200 with the new view and primary; 409 with the reason when the hand-over is refused
	 * or given up (this replica is not the primary, the target is not a member or did not catch up);
	 * 503 when this application's replica does not run or the endpoint has no administration
	 */
	@WriteOperation
	public WebEndpointResponse<Map<String, Object>> transferPrimary(int target) {
		ReplicationAdministration operations = this.administration;
		if (operations == null) {
			return error(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE,
					"This endpoint has no ReplicationAdministration bean: it only reads");
		}
		try {
			long view = operations.transferPrimary(target);
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("view", view);
			body.put("primary", target);
			return new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_OK);
		}
		catch (ReplicationUnavailableException ex) {
			return error(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE, String.valueOf(ex.getMessage()));
		}
		catch (ReplicationAdministrationException ex) {
			return error(409, String.valueOf(ex.getMessage()));
		}
	}

	private static WebEndpointResponse<Map<String, Object>> error(int status, String message) {
		return new WebEndpointResponse<>(Map.of("error", message), status);
	}

}
