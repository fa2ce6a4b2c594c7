package io.viewstamp.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * A {@code replication.*} property with a value the replica can not run with: Boot's
 * {@link InvalidConfigurationPropertyValueException} (the property, its value and what is wrong
 * with it), plus what to do about it, which {@link ReplicationFailureAnalyzer} shows.
 */
public class InvalidReplicationPropertyException extends InvalidConfigurationPropertyValueException {

	private static final long serialVersionUID = 1L;

	private final String action;

	/** What found the problem; Boot's public constructor leaves no way to pass it on. */
	private final @Nullable Throwable foundBy;

	/**
	 * @param property the property's name, e.g. {@code replication.peers[1]}
	 * @param value its value, or a stand-in that hides it (a secret's)
	 * @param reason what is wrong with it
	 * @param action what the user should do
	 * @param cause the exception that found the problem, or {@code null}
	 */
	public InvalidReplicationPropertyException(String property, @Nullable Object value, @Nullable String reason,
			String action, @Nullable Throwable cause) {
		super(property, value, reason);
		this.action = action;
		this.foundBy = cause;
	}

	/** The property's name. */
	public String getProperty() {
		return getName();
	}

	@Override
	public synchronized @Nullable Throwable getCause() {
		return this.foundBy;
	}

	/** What the user should do. */
	public String getAction() {
		return this.action;
	}

}
