package io.viewstamp.actuate;

import java.util.Objects;

import io.micrometer.observation.Observation;
import io.viewstamp.beans.CommandObserver;

/**
 * The context of a {@code replication.command} observation: one call of a replicated bean that
 * goes through the log, a command or a linearizable read.
 */
public final class ReplicatedCallContext extends Observation.Context {

	/** The op number while the call has not committed (and forever if it never does). */
	public static final long NOT_COMMITTED = -1;

	private final String bean;

	private final String method;

	private final CommandObserver.Kind kind;

	private volatile long op = NOT_COMMITTED;

	/**
	 * @param bean the replicated bean's name
	 * @param method the call's signature in the log, e.g. {@code add(int)}
	 * @param kind a command or a linearizable read
	 */
	public ReplicatedCallContext(String bean, String method, CommandObserver.Kind kind) {
		this.bean = Objects.requireNonNull(bean, "bean");
		this.method = Objects.requireNonNull(method, "method");
		this.kind = Objects.requireNonNull(kind, "kind");
	}

	/** The replicated bean's name. */
	public String getBean() {
		return this.bean;
	}

	/** The call's signature in the log, e.g. {@code add(int)}. */
	public String getMethod() {
		return this.method;
	}

	/** A command or a linearizable read. */
	public CommandObserver.Kind getKind() {
		return this.kind;
	}

	/** The op that carried the call, or {@link #NOT_COMMITTED}. */
	public long getOp() {
		return this.op;
	}

	void setOp(long op) {
		this.op = op;
	}

}
