package io.viewstamp.autoconfigure;

/**
 * A {@code replication.*} property with a value the replica can not run with. It names the
 * property, so that the {@link ReplicationFailureAnalyzer} can tell the user which line to fix.
 */
public class InvalidReplicationPropertyException extends RuntimeException {

	private final String property;

	private final transient Object value;

	private final String action;

	/**
	 * @param property the property's name, e.g. {@code replication.peers[1]}
	 * @param value its value
	 * @param reason what is wrong with it
	 * @param action what the user should do
	 * @param cause the exception that found the problem, or {@code null}
	 */
	public InvalidReplicationPropertyException(String property, Object value, String reason, String action,
			Throwable cause) {
		super("Property " + property + " is '" + value + "': " + reason, cause);
		this.property = property;
		this.value = value;
		this.action = action;
	}

	/** The property's name. */
	public String getProperty() {
		return this.property;
	}

	/** Its value. */
	public Object getValue() {
		return this.value;
	}

	/** What the user should do. */
	public String getAction() {
		return this.action;
	}

}
