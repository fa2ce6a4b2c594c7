package io.viewstamp.vsr;

import java.util.ArrayList;
import java.util.List;

/**
 * Logs of registrations for tests that drive one {@link Replica} by hand: a registration runs no
 * command, so such a replica needs no state machine of the application's ({@link #NO_COMMANDS}).
 */
final class RegistrationLogs {

	/** A state machine that no registration calls; a command reaching it fails the test. */
	static final StateMachine NO_COMMANDS = new StateMachine() {

		@Override
		public byte[] apply(long op, long timestamp, byte[] command) {
			throw new AssertionError("no command runs");
		}

		@Override
		public byte[] snapshot() {
			return new byte[0];
		}

		@Override
		public void restore(byte[] snapshot) {
		}

	};

	private RegistrationLogs() {
	}

	/**
	 * Ops 1 to {@code count} of view 1, each the registration of client {@code op}, chained from
	 * the cluster's root.
	 * @param clusterId the cluster
	 * @param count the number of ops
	 * @return the entries, in op order
	 */
	static List<LogEntry> chain(long clusterId, int count) {
		List<LogEntry> entries = new ArrayList<>();
		long parent = Checksums.root(clusterId);
		for (long op = 1; op <= count; op++) {
			LogEntry entry = LogEntry.create(clusterId, 1, op, op * 10, parent, List.of(Request.register(op, op)));
			entries.add(entry);
			parent = entry.checksum();
		}
		return entries;
	}

}
