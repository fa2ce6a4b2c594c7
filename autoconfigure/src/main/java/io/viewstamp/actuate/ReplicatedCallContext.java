package io.viewstamp.actuate;

import java.util.Objects;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * The context of a {@code replication.command} observation: one call of a replicated bean that
 * goes through the log, a command or a linearizable read.
 */
public final class ReplicatedCallContext extends Observation.Context {

	private final String bean;

	private final String method;

	private final Kind kind;

	private volatile @Nullable Long op;

	/**
	 * @param bean the replicated bean's name
	 * @param method the call's signature in the log, e.g. {@code add(int)}
	 * @param kind a command or a linearizable read
	 */
	public ReplicatedCallContext(String bean, String method, Kind kind) {
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
	public Kind getKind() {
		return this.kind;
	}

	/** The op that carried the call, or {@code null} while it has not committed (and if it never does). */
	public @Nullable Long getOp() {
		return this.op;
	}

	void setOp(long op) {
		this.op = op;
	}

	/** What a replicated call is. */
	public enum Kind {

		/** A call of a method that is not {@code @ReadOnly}: a command, applied by every replica. */
		COMMAND("command"),

		/** A {@code @ReadOnly(consistency = LINEARIZABLE)} read, whose barrier goes through the log. */
		LINEARIZABLE_READ("linearizable-read");

		private final String value;

		Kind(String value) {
			this.value = value;
		}

		/** The value of the observation's {@code kind} key. */
		public String value() {
			return this.value;
		}

	}

}
