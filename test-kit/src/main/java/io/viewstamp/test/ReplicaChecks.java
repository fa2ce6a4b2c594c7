package io.viewstamp.test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.viewstamp.runtime.ReadBarriers;
import org.jspecify.annotations.Nullable;

/**
 * What the simulated cluster checks while it runs:
 * <ul>
 * <li>every replica's result of each command equals the first result seen for it (a replica
 * that replays its journal after a restart is checked again);</li>
 * <li>every replica's snapshot of an op equals the first one taken of that op;</li>
 * <li>each newest snapshot restores, in a fresh application, beans equal field by field to those
 * of the replica that took it ({@link RestoredBeanComparison});</li>
 * <li>that restored application then applies every later command, as a replica that caught up
 * from the snapshot would, and must return the same results: a command that iterates a
 * {@code HashMap} or {@code HashSet}, whose order depends on the map's history, returns another
 * result there.</li>
 * </ul>
 * The first failure is kept; the world throws it once the tick that found it ends.
 */
final class ReplicaChecks implements RecordingStateMachine.Observer {

	/** What to look for when results or states differ. */
	static final String DETERMINISM_HINT = "A command must compute the same result and state from the same state on "
			+ "every replica. Look for iteration over a HashMap or HashSet (use a TreeMap or LinkedHashMap), the clock "
			+ "or randomness (use ReplicatedContext.now() and random()), and state kept outside the bean's snapshot.";

	private final ApplicationDefinition definition;

	/** By op: the first result seen of each of its commands. */
	private final TreeMap<Long, List<Applied>> applied = new TreeMap<>();

	/** By op: the first snapshot taken at it. */
	private final Map<Long, Captured> captured = new TreeMap<>();

	/** The application restored from the newest snapshot, applying what followed it. */
	private @Nullable ReplicaApplication restored;

	/** The op of {@link #restored}'s snapshot, and the last op it applied since. */
	private long restoredFromOp;

	private long restoredAppliedOp;

	private int restoredCommandInOp;

	private @Nullable String failure;

	private int snapshotsRestored;

	ReplicaChecks(ApplicationDefinition definition) {
		this.definition = definition;
	}

	@Override
	public void applied(int replica, long op, int commandInOp, long timestamp, byte[] command, byte[] result) {
		List<Applied> commands = this.applied.computeIfAbsent(op, (key) -> new ArrayList<>());
		if (commandInOp < commands.size()) {
			Applied first = commands.get(commandInOp);
			if (!Arrays.equals(first.result, result)) {
				fail("The replicas diverged: op " + op + " carries the command " + JsonDifference.text(command)
						+ ", which returned different results:\n  " + JsonDifference.describe(first.result, result,
								"replica " + first.replica, "replica " + replica)
						+ "\n" + DETERMINISM_HINT);
			}
			return;
		}
		commands.add(new Applied(replica, timestamp, command, result));
		applyRestored(op);
	}

	@Override
	public void captured(int replica, ReplicaApplication application, long op, byte[] state) {
		Captured first = this.captured.get(op);
		if (first != null) {
			if (!Arrays.equals(first.state, state)) {
				fail("The replicas' states diverged at op " + op + ": their snapshots differ at "
						+ JsonDifference.describe(first.state, state, "replica " + first.replica, "replica " + replica)
						+ "\n" + DETERMINISM_HINT);
			}
			return;
		}
		this.captured.put(op, new Captured(replica, state));
		checkPerJvmOrder(application);
		if (op > this.restoredFromOp) {
			restoreFrom(replica, application, op, state);
		}
	}

	/** The first failure found, {@code null} while every check holds. */
	@Nullable String failure() {
		return this.failure;
	}

	/** How many snapshots were restored in a fresh application and checked. */
	int snapshotsRestored() {
		return this.snapshotsRestored;
	}

	/** The number of ops applied by any replica. */
	long opsApplied() {
		return this.applied.isEmpty() ? 0 : this.applied.lastKey();
	}

	/** The application restored from the newest snapshot, brought up to every op applied so far; or {@code null}. */
	@Nullable ReplicaApplication restored() {
		return this.restored;
	}

	/** The op the restored application has applied. */
	long restoredAppliedOp() {
		return this.restoredAppliedOp;
	}

	private void restoreFrom(int replica, ReplicaApplication application, long op, byte[] state) {
		ReplicaApplication fresh = ReplicaApplication.start(this.definition, null);
		List<String> differences;
		try {
			fresh.stateMachine().restore(state);
			differences = RestoredBeanComparison.differences(application, fresh);
		}
		catch (RuntimeException ex) {
			// Recorded, not thrown: this runs inside the replica's step, which must not be cut short.
			fresh.close();
			fail("The snapshot of op " + op + " (replica " + replica + ") can not be restored: " + ex);
			return;
		}
		this.snapshotsRestored++;
		if (!differences.isEmpty()) {
			fresh.close();
			fail("The snapshot of op " + op + " (replica " + replica + ") does not restore the beans it was taken of: "
					+ String.join("; ", differences) + ".\nA replica that restarts or catches up from this snapshot "
					+ "would go on from another state than the others. Keep every field that commands read in the "
					+ "snapshot: not transient, or returned by ReplicatedState.snapshot() and set by restore().");
			return;
		}
		byte[] again = fresh.stateMachine().snapshot();
		if (!Arrays.equals(again, state)) {
			fresh.close();
			fail("The snapshot of op " + op + " (replica " + replica + ") does not restore to an equal state: its "
					+ "restored beans snapshot differently at " + JsonDifference.describe(state, again, "the snapshot",
							"the restored beans' snapshot"));
			return;
		}
		if (this.restored != null) {
			this.restored.close();
		}
		this.restored = fresh;
		this.restoredFromOp = op;
		this.restoredAppliedOp = op;
		this.restoredCommandInOp = 0;
		applyRestored(Long.MAX_VALUE);
	}

	/** Brings the restored application up to {@code throughOp}, or as far as commands were seen. */
	private void applyRestored(long throughOp) {
		ReplicaApplication application = this.restored;
		if (application == null) {
			return;
		}
		for (Map.Entry<Long, List<Applied>> op : this.applied.tailMap(this.restoredAppliedOp, true).entrySet()) {
			if (op.getKey() > throughOp) {
				return;
			}
			int from = (op.getKey() == this.restoredAppliedOp) ? this.restoredCommandInOp : 0;
			List<Applied> commands = op.getValue();
			for (int i = from; i < commands.size(); i++) {
				Applied command = commands.get(i);
				this.restoredAppliedOp = op.getKey();
				this.restoredCommandInOp = i + 1;
				if (op.getKey() <= this.restoredFromOp || ReadBarriers.isBarrier(command.command)) {
					continue;
				}
				byte[] result = application.stateMachine().apply(op.getKey(), command.timestamp, command.command);
				if (!Arrays.equals(command.result, result)) {
					fail("The replicas diverged after a snapshot: op " + op.getKey() + " carries the command "
							+ JsonDifference.text(command.command) + ", which returned different results on replica "
							+ command.replica + " and on a replica restored from the snapshot of op " + this.restoredFromOp
							+ ":\n  " + JsonDifference.describe(command.result, result, "replica " + command.replica,
									"the restored replica")
							+ "\n" + DETERMINISM_HINT);
					return;
				}
			}
		}
	}

	/** Fails on state that three replicas in one JVM iterate alike but three hosts would not. */
	void checkPerJvmOrder(ReplicaApplication application) {
		List<String> found = PerJvmOrderCheck.find(application.replicatedBeans());
		if (!found.isEmpty()) {
			fail("The replicated state holds an order that differs from one JVM to another, which the replicas of "
					+ "this test share but hosts do not; a command that iterates it would compute another result on each "
					+ "host:\n  " + String.join("\n  ", found));
		}
	}

	private void fail(String problem) {
		if (this.failure == null) {
			this.failure = problem;
		}
	}

	/** Closes the restored application. */
	void close() {
		if (this.restored != null) {
			this.restored.close();
			this.restored = null;
		}
	}

	private record Applied(int replica, long timestamp, byte[] command, byte[] result) {

	}

	private record Captured(int replica, byte[] state) {

	}

}
