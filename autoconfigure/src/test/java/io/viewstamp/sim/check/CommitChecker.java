package io.viewstamp.sim.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.viewstamp.sim.SimulatedReplica;
import io.viewstamp.sim.SimulationFailure.Check;
import io.viewstamp.sim.SimulationFailure;
import io.viewstamp.sim.TraceFingerprint;
import io.viewstamp.vsr.Checksums;
import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.Request;

/**
 * Follows the one canonical committed history. The first replica to commit an op fixes the entry
 * at that op; every other replica that commits it must hold the same checksum. The canonical
 * history must form a hash chain from {@link Checksums#root}, each entry must be intact, and every
 * request in it must be one a client sent. Run after every event, it names the first event at
 * which two replicas disagree.
 */
public final class CommitChecker {

	private long committedRequests;

	private final long seed;

	private final long clusterId;

	private final RequestRegistry registry;

	private final TraceFingerprint fingerprint;

	private final List<CanonicalEntry> canonical = new ArrayList<>();

	private final long[] checkedCommit;

	/**
	 * Creates a checker with an empty canonical history.
	 * @param seed the world's seed, for messages
	 * @param clusterId the cluster id, for checksums
	 * @param replicaCount the number of replicas
	 * @param registry every request the clients sent
	 * @param fingerprint where commits are recorded
	 */
	public CommitChecker(long seed, long clusterId, int replicaCount, RequestRegistry registry,
			TraceFingerprint fingerprint) {
		this.seed = seed;
		this.clusterId = clusterId;
		this.registry = registry;
		this.fingerprint = fingerprint;
		this.checkedCommit = new long[replicaCount];
	}

	/**
	 * A new process started for the replica: it may report a lower commit number than its
	 * predecessor did, and everything it reports is checked again.
	 * @param replica the replica's index
	 */
	public void replicaStarted(int replica) {
		this.checkedCommit[replica] = 0;
	}

	/**
	 * Checks every op the replica committed since the last check.
	 * @param replica the replica
	 * @param tick the current tick, for messages
	 * @throws SimulationFailure when an entry disagrees with the canonical history, is corrupt,
	 * breaks the hash chain or carries a request no client sent
	 */
	public void check(SimulatedReplica replica, long tick) {
		int index = replica.index();
		long commit = replica.commit();
		long checked = this.checkedCommit[index];
		if (commit < checked) {
			throw failure(tick, Check.COMMITTED_LOG,
					"replica " + index + " went back from commit " + checked + " to " + commit + " without restarting");
		}
		// Ops the replica took in through a snapshot were never in its log; the snapshot's state is
		// checked by the state checker, and its origin's entries were checked here.
		long first = Math.max(checked + 1, replica.logBaseOp() + 1);
		if (commit >= first) {
			checkChain(replica, first, tick);
		}
		for (long op = first; op <= commit; op++) {
			checkCommitted(index, op, replica.entry(op), tick);
		}
		this.checkedCommit[index] = commit;
	}

	/**
	 * A replica's log is one hash chain, committed part and uncommitted tail alike: each entry names
	 * the one before it as its parent. Checked from the first newly committed op to the head each
	 * time the commit number moves, so that a log spliced from two histories fails here, where it
	 * broke, before its wrong entry is committed and compared with the canonical one.
	 */
	private void checkChain(SimulatedReplica replica, long from, long tick) {
		LogEntry previous = replica.entry(from - 1);
		for (long op = from; op <= replica.op(); op++) {
			LogEntry entry = replica.entry(op);
			if (previous != null && entry != null && entry.parent() != previous.checksum()) {
				throw failure(tick, Check.HASH_CHAIN, "replica " + replica.index() + "'s log does not chain at op " + op + ": "
						+ entry + " names parent " + Long.toHexString(entry.parent()) + ", its entry at op " + (op - 1)
						+ " is " + previous);
			}
			previous = entry;
		}
	}

	/**
	 * The canonical entry at {@code op}.
	 * @param op the op
	 * @return the entry, or {@code null} when no replica has committed {@code op} yet
	 */
	public LogEntry committed(long op) {
		return (op >= 1 && op <= this.canonical.size()) ? this.canonical.get((int) (op - 1)).entry() : null;
	}

	/** The highest op any replica committed. */
	public long committedMax() {
		return this.canonical.size();
	}

	/** The requests in the committed ops: more than {@link #committedMax()} means ops carried batches. */
	public long committedRequests() {
		return this.committedRequests;
	}

	private void checkCommitted(int replica, long op, LogEntry entry, long tick) {
		if (entry == null) {
			throw failure(tick, Check.COMMITTED_LOG,
					"replica " + replica + " reports commit of op " + op + " but has no entry at op " + op);
		}
		if (entry.op() != op) {
			throw failure(tick, Check.COMMITTED_LOG,
					"replica " + replica + " holds " + entry + " at op " + op + ": expected an entry of op " + op);
		}
		if (!entry.isIntact(this.clusterId)) {
			throw failure(tick, Check.COMMITTED_LOG,
					"replica " + replica + " committed a corrupt entry at op " + op + ": " + entry
							+ " does not match its checksum");
		}
		if (op <= this.canonical.size()) {
			CanonicalEntry expected = this.canonical.get((int) (op - 1));
			if (expected.entry().checksum() != entry.checksum()) {
				throw failure(tick, Check.COMMITTED_LOG,
						"two different entries committed at op " + op + ": replica " + expected.replica() + " committed "
								+ expected.entry() + " at tick " + expected.tick() + ", replica " + replica + " committed "
								+ entry);
			}
			return;
		}
		addCanonical(replica, entry, tick);
	}

	private void addCanonical(int replica, LogEntry entry, long tick) {
		long op = entry.op();
		this.committedRequests += entry.requests().size();
		LogEntry parent = committed(op - 1);
		long expectedParent = (op == 1) ? Checksums.root(this.clusterId) : parent.checksum();
		if (entry.parent() != expectedParent) {
			throw failure(tick, Check.HASH_CHAIN,
					"replica " + replica + " committed " + entry + " whose parent is " + Long.toHexString(entry.parent())
							+ ", expected " + Long.toHexString(expectedParent) + ((op == 1) ? " (the cluster's root)"
									: " (the committed entry at op " + (op - 1) + ")"));
		}
		if (parent != null && entry.timestamp() <= parent.timestamp()) {
			throw failure(tick, Check.HASH_CHAIN, "replica " + replica + " committed op " + op + " with timestamp "
					+ entry.timestamp() + ", not after its parent's " + parent.timestamp());
		}
		for (Request request : entry.requests()) {
			if (!this.registry.contains(request)) {
				throw failure(tick, Check.REQUEST_ORIGIN,
						"replica " + replica + " committed " + request + " at op " + op + " (body "
								+ Arrays.toString(request.body()) + "), which no client sent");
			}
		}
		this.canonical.add(new CanonicalEntry(entry, replica, tick));
		this.fingerprint.record(tick, op, entry.checksum(), replica);
	}

	private SimulationFailure failure(long tick, Check check, String detail) {
		return new SimulationFailure(this.seed, tick, check, detail);
	}

	private record CanonicalEntry(LogEntry entry, int replica, long tick) {

	}

}
