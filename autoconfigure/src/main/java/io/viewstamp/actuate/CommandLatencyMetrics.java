package io.viewstamp.actuate;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.viewstamp.beans.CommandObserver;

/**
 * Times the commands of replicated beans with the {@code replication.command.latency} timer,
 * tagged {@code bean}, {@code method} (the command's signature in the log, e.g. {@code add(int)})
 * and {@code outcome} ({@code success} or {@code failure}), from the submission to the outcome.
 * Linearizable reads are not timed here; their observations are ({@link CommandObservations}).
 */
public final class CommandLatencyMetrics implements CommandObserver {

	/** The name of the timer. */
	public static final String METER_NAME = "replication.command.latency";

	private final MeterRegistry registry;

	/** The timers by bean, method and outcome, so that a command does not build and look up a meter's id. */
	private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

	/**
	 * @param registry where the timers are registered
	 */
	public CommandLatencyMetrics(MeterRegistry registry) {
		this.registry = Objects.requireNonNull(registry, "registry");
	}

	@Override
	public Call started(String bean, String method, Kind kind) {
		if (kind != Kind.COMMAND) {
			return Call.NONE;
		}
		long start = System.nanoTime();
		return (failure) -> this.timers.computeIfAbsent(new Key(bean, method, failure != null), this::timer)
			.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
	}

	private Timer timer(Key key) {
		return Timer.builder(METER_NAME)
			.description("Time from a replicated bean's command submission to its outcome")
			.tag("bean", key.bean())
			.tag("method", key.method())
			.tag("outcome", key.failed() ? "failure" : "success")
			.register(this.registry);
	}

	private record Key(String bean, String method, boolean failed) {
	}

}
