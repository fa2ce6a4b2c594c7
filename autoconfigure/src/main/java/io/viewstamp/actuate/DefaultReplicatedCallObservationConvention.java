package io.viewstamp.actuate;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The {@code replication.command} observation of a call of a replicated bean, named
 * {@code <bean> <method>} in traces (e.g. {@code bank deposit}), with low-cardinality keys
 * {@code bean}, {@code method} (the signature in the log), {@code kind} ({@code command} or
 * {@code linearizable-read}) and {@code outcome} ({@code success} or {@code failure}, as the
 * command latency timer tags it), and the high-cardinality key {@code op}: the op that carried the
 * call, to find it in the replicas' logs.
 */
public class DefaultReplicatedCallObservationConvention implements ReplicatedCallObservationConvention {

	/** The observation's name. */
	public static final String NAME = "replication.command";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(ReplicatedCallContext context) {
		String method = context.getMethod();
		int parameters = method.indexOf('(');
		return context.getBean() + " " + ((parameters >= 0) ? method.substring(0, parameters) : method);
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ReplicatedCallContext context) {
		return KeyValues.of(KeyValue.of("bean", context.getBean()), KeyValue.of("method", context.getMethod()),
				KeyValue.of("kind", context.getKind().value()),
				KeyValue.of("outcome", (context.getError() != null) ? "failure" : "success"));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(ReplicatedCallContext context) {
		Long op = context.getOp();
		return (op != null) ? KeyValues.of("op", op.toString()) : KeyValues.empty();
	}

}
