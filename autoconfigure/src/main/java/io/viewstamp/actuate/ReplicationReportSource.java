package io.viewstamp.actuate;

import org.jspecify.annotations.Nullable;

/**
 * Where the endpoint and the health indicator read the replica's state from. The
 * auto-configuration adapts the running replica to it, so that this package depends neither on
 * the transport nor on the storage.
 */
@FunctionalInterface
public interface ReplicationReportSource {

	/**
	 * The replica's state now.
	 * @return the report, or {@code null} when the replica does not run (before start, after stop)
	 */
	@Nullable ReplicationReport report();

}
