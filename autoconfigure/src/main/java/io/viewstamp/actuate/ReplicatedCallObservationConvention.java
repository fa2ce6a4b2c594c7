package io.viewstamp.actuate;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The convention of {@code replication.command} observations. Declare a bean of this type to
 * change their name or key values; {@link DefaultReplicatedCallObservationConvention} is the one
 * used otherwise, and the one to extend.
 */
public interface ReplicatedCallObservationConvention extends ObservationConvention<ReplicatedCallContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof ReplicatedCallContext;
	}

}
