package io.viewstamp.actuate;

import java.util.Objects;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.viewstamp.beans.CommandObserver;
import org.jspecify.annotations.Nullable;

/**
 * Makes each command and linearizable read of a replicated bean a Micrometer {@link Observation}
 * named {@code replication.command}. It is started on the caller's thread, so its parent is the
 * observation current there (the HTTP request that made the call, say): Spring Boot's tracing
 * shows the replicated call inside that request.
 */
public final class CommandObservations implements CommandObserver {

	private static final ReplicatedCallObservationConvention DEFAULT_CONVENTION = new DefaultReplicatedCallObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable ReplicatedCallObservationConvention convention;

	/**
	 * @param registry where the observations are made
	 * @param convention the application's convention, or {@code null} for the default one
	 */
	public CommandObservations(ObservationRegistry registry, @Nullable ReplicatedCallObservationConvention convention) {
		this.registry = Objects.requireNonNull(registry, "registry");
		this.convention = convention;
	}

	@Override
	public Call started(String bean, String method, Kind kind) {
		if (this.registry.isNoop()) {
			return Call.NONE;
		}
		ReplicatedCallContext context = new ReplicatedCallContext(bean, method,
				(kind == Kind.COMMAND) ? ReplicatedCallContext.Kind.COMMAND : ReplicatedCallContext.Kind.LINEARIZABLE_READ);
		Observation observation = Observation
			.createNotStarted(this.convention, DEFAULT_CONVENTION, () -> context, this.registry)
			.start();
		return new ObservedCall(context, observation);
	}

	private record ObservedCall(ReplicatedCallContext context, Observation observation) implements Call {

		@Override
		public void committedAt(long op) {
			this.context.setOp(op);
		}

		@Override
		public void completed(@Nullable Throwable failure) {
			if (failure != null) {
				this.observation.error(failure);
			}
			this.observation.stop();
		}

	}

}
