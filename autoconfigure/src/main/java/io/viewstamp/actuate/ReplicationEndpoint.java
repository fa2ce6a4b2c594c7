package io.viewstamp.actuate;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/replication}: view, status, op, commit and applied numbers, peers and journal
 * of this application's replica.
 */
@Endpoint(id = "replication")
public class ReplicationEndpoint {

	private final ReplicationReportSource source;

	/**
	 * @param source the replica's state
	 */
	public ReplicationEndpoint(ReplicationReportSource source) {
		this.source = Objects.requireNonNull(source, "source");
	}

	/**
	 * The replica's state.
	 * @return the report, or {@code null} (a 404) when the replica does not run
	 */
	@ReadOperation
	public @Nullable ReplicationReport replication() {
		return this.source.report();
	}

}
