package io.viewstamp.vsr;

import java.util.EnumSet;
import java.util.random.RandomGenerator;

/**
 * Builds clients with a deliberate bug, so that tests can show the simulator's checkers catch a
 * bug in the client that ships, not only in the replica. The defects live in the package-private
 * {@link Defect}; this is the only way in.
 */
public final class DefectiveClients {

	private DefectiveClients() {
	}

	/** The client bugs a test can switch on; one for each client {@link Defect}. */
	public enum Bug {

		/** Callers are answered on the reply, before the local replica applied their op. */
		ANSWERS_BEFORE_LOCAL_APPLY(Defect.CLIENT_ANSWERS_BEFORE_LOCAL_APPLY),

		/** A register reply counts without echoing the session's incarnation. */
		IGNORES_INCARNATION(Defect.CLIENT_IGNORES_INCARNATION);

		private final Defect defect;

		Bug(Defect defect) {
			this.defect = defect;
		}

	}

	/** Like the {@link Client} constructor, with {@code bug} switched on. */
	public static Client create(Bug bug, Cluster cluster, int localReplica, ClientOptions options, ClientHost host,
			RandomGenerator clientIds, RandomGenerator incarnations) {
		return new Client(cluster, localReplica, options, host, clientIds, incarnations,
				new DefectiveRules(EnumSet.of(bug.defect)));
	}

}
