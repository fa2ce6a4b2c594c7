package io.viewstamp;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A command was refused before it was submitted, because some members of the cluster do not know
 * it yet: they run an older release of the application, which lacks the method (a rolling upgrade
 * is under way). Had it been submitted, those replicas would have had to stop at it. Nothing was
 * sent, so nothing is applied anywhere; call it again once every replica runs the release that
 * has it.
 */
public class CommandNotYetAvailableException extends ReplicationException {

	private static final long serialVersionUID = 1L;

	private final String command;

	private final SortedMap<Integer, String> replicasLacking;

	/**
	 * @param command the command refused, {@code bean#method(parameter types)}
	 * @param replicasLacking index to address of each member that does not know it
	 */
	public CommandNotYetAvailableException(String command, Map<Integer, String> replicasLacking) {
		super("Command " + command + " is not known yet to " + describe(replicasLacking) + ", which "
				+ (replicasLacking.size() == 1 ? "runs" : "run") + " an older release of the application: finish the "
				+ "rolling upgrade (run the release that has it on every replica), then call it again. It was not "
				+ "submitted, so no replica applied it.");
		this.command = command;
		this.replicasLacking = new TreeMap<>(replicasLacking);
	}

	private static String describe(Map<Integer, String> replicas) {
		StringBuilder text = new StringBuilder((replicas.size() == 1) ? "replica " : "replicas ");
		int written = 0;
		for (Map.Entry<Integer, String> replica : new TreeMap<>(replicas).entrySet()) {
			if (written > 0) {
				text.append((written == replicas.size() - 1) ? " and " : ", ");
			}
			text.append(replica.getKey()).append(" (").append(replica.getValue()).append(')');
			written++;
		}
		return text.toString();
	}

	/** The command refused, {@code bean#method(parameter types)}. */
	public String command() {
		return this.command;
	}

	/** Index to address of each member of the cluster that does not know the command, in index order. */
	public SortedMap<Integer, String> replicasLacking() {
		return this.replicasLacking;
	}

}
