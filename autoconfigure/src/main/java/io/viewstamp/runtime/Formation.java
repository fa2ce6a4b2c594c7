package io.viewstamp.runtime;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import org.jspecify.annotations.Nullable;

/**
 * How a replica that starts without data decides whether it forms a new cluster or recovers from
 * its peers, with no setting that says which: it forms only when every other member of the
 * configuration has answered (in its handshake) that it holds no data either, and recovers as soon
 * as one says it holds some. So a new cluster forms on its first start with the same configuration
 * as every later start, and a replica that lost its data never formats itself while a member still
 * holds the cluster's state: it waits for the members it can not reach, however long, rather than
 * risk forming a second cluster beside the first. (When every member has lost its data there is
 * nothing left to recover, and forming anew is all there is.)
 */
final class Formation {

	/** Ticks between two reports of the members still awaited. */
	private static final long REPORT_INTERVAL_TICKS = 500;

	private static final System.Logger logger = System.getLogger(Formation.class.getName());

	private final NodeConfiguration configuration;

	private long ticks;

	Formation(NodeConfiguration configuration) {
		this.configuration = configuration;
	}

	/** What to do now. */
	enum Decision {

		/** Some member has not answered yet, and none said it holds data. */
		WAIT,

		/** Every other member answered that it holds no data: format and start a new cluster. */
		FORM,

		/** A member holds data: recover from the peers. */
		RECOVER

	}

	/**
	 * Decides from what each peer's last handshake said.
	 * @param holdsData per replica index: whether it holds data, {@code null} before a handshake
	 * @return the decision
	 */
	Decision decide(IntFunction<@Nullable Boolean> holdsData) {
		boolean everyAnswered = true;
		for (int replica = 0; replica < this.configuration.peers().size(); replica++) {
			if (replica == this.configuration.replica()) {
				continue;
			}
			Boolean answer = holdsData.apply(replica);
			if (Boolean.TRUE.equals(answer)) {
				return Decision.RECOVER;
			}
			everyAnswered &= answer != null;
		}
		return everyAnswered ? Decision.FORM : Decision.WAIT;
	}

	/** Logs, now and then, which members are still awaited. */
	void reportWaiting(IntFunction<@Nullable Boolean> holdsData) {
		if (this.ticks++ % REPORT_INTERVAL_TICKS != REPORT_INTERVAL_TICKS - 1) {
			return;
		}
		List<String> awaited = new ArrayList<>();
		for (int replica = 0; replica < this.configuration.peers().size(); replica++) {
			if (replica != this.configuration.replica() && holdsData.apply(replica) == null) {
				awaited.add(replica + " (" + this.configuration.peers().get(replica) + ")");
			}
		}
		logger.log(Level.WARNING, () -> "Replica " + this.configuration.replica() + " has no data and still waits for "
				+ String.join(", ", awaited) + " to answer whether they hold any: it forms a new cluster only once every "
				+ "member has said it holds none. Start them, or check that they run with the same cluster id and "
				+ "peer list (their logs say why a connection is refused).");
	}

}
