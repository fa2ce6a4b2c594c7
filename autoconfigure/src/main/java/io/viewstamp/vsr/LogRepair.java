package io.viewstamp.vsr;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;

import io.viewstamp.vsr.ReplicaMessage.Prepares;
import io.viewstamp.vsr.ReplicaMessage.RequestPrepares;
import io.viewstamp.vsr.ReplicaMessage.SnapshotChunk;
import org.jspecify.annotations.Nullable;

/**
 * The replica's repair and state transfer: entries a replica lacks are brought in from a peer,
 * anchored on an op and checksum that name the chain they must belong to (so that no stale log can
 * answer), a snapshot in chunks when the peer no longer holds them; and the same from the other
 * side, answering a peer's request. Whatever asked for the repair ({@link RepairPurpose}) decides
 * what happens once it is complete.
 *
 * <p>A room of {@link Replica}: it owns the repair under way and the snapshot being assembled,
 * and reads and changes the state all rooms share (the log, the commit number) through the
 * replica.
 */
final class LogRepair {

	private final Replica replica;

	/** The repair under way, {@code null} when none is. */
	private @Nullable Target repair;

	/** A snapshot arriving in chunks from a peer, while a repair needs it; {@code null} when none is. */
	private @Nullable SnapshotAssembly snapshotAssembly;

	LogRepair(Replica replica) {
		this.replica = replica;
	}

	/** Whether a repair is under way. */
	boolean isActive() {
		return this.repair != null;
	}

	/** Whether a repair for {@code purpose} is under way. */
	boolean isActive(RepairPurpose purpose) {
		return this.repair != null && this.repair.purpose == purpose;
	}

	/** Abandons the repair under way, if any: what started it no longer needs it. */
	void cancel() {
		this.repair = null;
	}

	/**
	 * Asks {@code source} next for the repair under way toward {@code anchorOp}: a replica that said
	 * it holds the anchor, where the one asked may be down. (The repair otherwise tries the members
	 * of this replica's configuration in turn, which for the start of a newer epoch may all be gone.)
	 */
	void preferSource(long anchorOp, int source) {
		Target current = this.repair;
		if (current != null && current.anchorOp == anchorOp && current.source != source) {
			current.source = source;
			request();
		}
	}


	/**
	 * Starts bringing in entries {@code fromOp..anchorOp} of the log that holds the anchor. Every
	 * entry before {@code fromOp} must already be on that log (it is committed, or the replica's log
	 * is a prefix of its primary's), which is why no entry is ever dropped that another view may
	 * still need.
	 */
	void start(long fromOp, long anchorOp, long anchorChecksum, long committed, int source,
			RepairPurpose purpose) {
		if (this.repair != null && this.repair.purpose == purpose && this.repair.anchorOp >= anchorOp) {
			return;
		}
		Invariants.check(fromOp >= 1 && fromOp <= anchorOp + 1, "repair from op %d to anchor %d", fromOp, anchorOp);
		// Whatever our snapshot covers is committed, so on every chain: no need to fetch it again.
		this.repair = new Target(Math.max(fromOp, this.replica.log.baseOp() + 1), anchorOp, anchorChecksum, committed, source,
				purpose, this.replica.options.resendIntervalTicks());
		if (isComplete(this.repair)) {
			finish();
			return;
		}
		request();
	}

	/**
	 * Whether the log now reaches the repair's anchor. A backup catching up may also have moved past
	 * it into a snapshot of its own, which only ever covers committed ops of its primary's log.
	 */
	private boolean isComplete(Target current) {
		Replica replica = this.replica;
		return replica.log.contains(current.anchorOp, current.anchorChecksum)
				|| ((current.purpose == RepairPurpose.CATCH_UP || current.purpose == RepairPurpose.FAULTY
						|| current.purpose == RepairPurpose.ENTER_EPOCH) && current.anchorOp <= replica.log.baseOp());
	}

	/**
	 * Brings back the entries from a corrupt one up to the faulty head, anchored on the head itself
	 * so that only a replica on the same chain answers. Any other repair that filled the gap (a
	 * catch-up, a snapshot) counts too.
	 */
	void repairFaultyEntries() {
		Replica replica = this.replica;
		if (replica.faultyHead == null) {
			return;
		}
		if (replica.log.contains(replica.faultyHead.op(), replica.faultyHead.checksum())
				|| replica.faultyHead.op() <= replica.log.baseOp()) {
			replica.faultyHead = null;
			if (replica.status == Status.VIEW_CHANGE && replica.viewChange.hasVotedAndWaits()) {
				// The vote already cast said its log was incomplete: the complete one replaces it.
				replica.viewChange.castVote();
			}
			else {
				replica.viewChange.sendDoViewChange();
			}
			return;
		}
		if (this.repair == null && replica.status != Status.RECOVERING && replica.log.op() < replica.faultyHead.op()) {
			int source = replica.nextMemberAfter(replica.index);
			start(replica.log.op() + 1, replica.faultyHead.op(), replica.faultyHead.checksum(), replica.commitKnown, source,
					RepairPurpose.FAULTY);
		}
	}

	private void request() {
		Replica replica = this.replica;
		Target current = Objects.requireNonNull(this.repair, "a repair is under way when its entries are requested");
		current.resendTimeout.start(replica.ticks);
		replica.outbox.send(current.source, new RequestPrepares(replica.view, replica.index, current.nextOp,
				current.anchorOp, current.anchorChecksum));
	}

	void tick() {
		Replica replica = this.replica;
		repairFaultyEntries();
		if (this.repair != null && this.repair.resendTimeout.fired(replica.ticks)) {
			// Try the next replica: the one asked may be down or no longer hold the anchor.
			int source = replica.nextMemberAfter(this.repair.source);
			if (source == replica.index) {
				source = replica.nextMemberAfter(source);
			}
			this.repair.source = source;
			request();
		}
	}

	void onRequestPrepares(RequestPrepares message) {
		Replica replica = this.replica;
		if (replica.status == Status.RECOVERING || !holdsAnchor(message.anchorOp(), message.anchorChecksum())
				|| message.fromOp() < 1 || message.fromOp() > message.anchorOp()) {
			return;
		}
		if (message.fromOp() <= replica.log.baseOp()) {
			// The entries were compacted away: the snapshot that covers them goes instead.
			sendSnapshot(message);
			return;
		}
		long to = Math.min(message.anchorOp(), message.fromOp() + replica.options.repairEntriesMax() - 1);
		replica.outbox.send(message.replica(), new Prepares(replica.view, replica.index, message.anchorOp(),
				message.anchorChecksum(), replica.log.range(message.fromOp(), to, replica.options.messageEntriesBytesMax())));
	}

	/**
	 * Whether this replica's log is the chain of the entry at {@code anchorOp} with
	 * {@code anchorChecksum}: it holds the entry, or the entry is the committed start of its epoch
	 * (which a replica entering the epoch asks for, and which a snapshot may have compacted away).
	 */
	private boolean holdsAnchor(long anchorOp, long anchorChecksum) {
		Replica replica = this.replica;
		Configuration configuration = replica.configuration;
		return replica.log.contains(anchorOp, anchorChecksum) || (configuration.startOp() == anchorOp
				&& configuration.startChecksum() == anchorChecksum && anchorOp >= 1 && anchorOp <= replica.commit);
	}

	private void sendSnapshot(RequestPrepares message) {
		Replica replica = this.replica;
		Snapshot snapshot = replica.execution.snapshotToSend();
		if (snapshot == null) {
			return;
		}
		byte[] content = SnapshotContent.encode(snapshot);
		long contentChecksum = Checksums.bytes(content);
		int chunkBytesMax = replica.options.snapshotChunkBytesMax();
		for (int offset = 0; offset == 0 || offset < content.length; offset += chunkBytesMax) {
			byte[] bytes = Arrays.copyOfRange(content, offset, Math.min(content.length, offset + chunkBytesMax));
			replica.outbox.send(message.replica(),
					new SnapshotChunk(replica.view, replica.index, message.anchorOp(), message.anchorChecksum(), snapshot.op(),
							snapshot.checksum(), snapshot.timestamp(), contentChecksum, content.length, offset, bytes));
		}
	}

	/**
	 * A piece of a snapshot for the current repair. Once every piece is in and the whole checks out,
	 * the snapshot replaces the state, and the repair goes on from the op after it.
	 */
	void onSnapshotChunk(SnapshotChunk chunk) {
		Replica replica = this.replica;
		Target current = this.repair;
		// A replica entering an epoch takes a snapshot past the epoch's start too: its sender holds that
		// start committed, so everything the snapshot covers is committed on the same chain.
		if (current == null || chunk.anchorOp() != current.anchorOp || chunk.anchorChecksum() != current.anchorChecksum
				|| chunk.snapshotOp() <= replica.commit
				|| (chunk.snapshotOp() > current.anchorOp && current.purpose != RepairPurpose.ENTER_EPOCH)) {
			return;
		}
		if (this.snapshotAssembly == null || !this.snapshotAssembly.isFor(chunk)) {
			this.snapshotAssembly = SnapshotAssembly.start(chunk);
			if (this.snapshotAssembly == null) {
				return;
			}
		}
		byte[] content = this.snapshotAssembly.add(chunk);
		if (content == null) {
			return;
		}
		this.snapshotAssembly = null;
		if (replica.execution.isWritingSnapshot()) {
			// One snapshot write at a time: the repair asks again once ours is durable.
			return;
		}
		Snapshot snapshot = SnapshotContent.decode(chunk.snapshotOp(), chunk.snapshotChecksum(), chunk.snapshotTimestamp(),
				content);
		replica.execution.installFromPeer(snapshot);
		current.nextOp = snapshot.op() + 1;
		if (isComplete(current)) {
			finish();
		}
		else {
			request();
		}
	}


	void onPrepares(Prepares message) {
		Replica replica = this.replica;
		Target current = this.repair;
		if (current == null || message.anchorOp() != current.anchorOp
				|| message.anchorChecksum() != current.anchorChecksum) {
			return;
		}
		// Our own snapshot may have compacted past where the repair started.
		current.nextOp = Math.max(current.nextOp, replica.log.baseOp() + 1);
		long nextOpBefore = current.nextOp;
		for (LogEntry entry : message.entries()) {
			if (entry.op() < current.nextOp) {
				continue;
			}
			if (entry.op() > current.nextOp || !entry.isIntact(replica.cluster.clusterId())) {
				break;
			}
			if (!replica.log.contains(entry.op(), entry.checksum())) {
				Invariants.check(replica.log.contains(entry.op() - 1, entry.parent()),
						"replica %d: repaired op %d does not chain to op %d", replica.index, entry.op(), entry.op() - 1);
				Invariants.check(current.purpose != RepairPurpose.CATCH_UP || replica.log.op() < entry.op(),
						"replica %d: catching up must not replace op %d", replica.index, entry.op());
				replica.replaceFrom(entry);
			}
			current.nextOp = entry.op() + 1;
			if (current.purpose == RepairPurpose.RECOVER) {
				// Progress: a long log may take longer than one recovery timeout to bring in.
				replica.recovery.progressed();
			}
			else if (replica.status == Status.VIEW_CHANGE) {
				// Likewise for the log a view starts from: were the view change to time out, the next
				// one would start this repair over, and a log longer than one timeout's worth of repair
				// would never be installed (the simulator found such a cluster, stuck for good).
				replica.viewChange.progressed();
			}
		}
		// Apply what is committed as it arrives: if this repair is cut short (a view change, a new
		// recovery round), the next one starts after it instead of from the same old commit.
		replica.execution.applyUpTo(Math.min(current.committed, current.nextOp - 1), false);
		if (this.repair != current) {
			// What was applied ended the repair (an op that entered a new epoch, and its view change).
			return;
		}
		if (isComplete(current)) {
			finish();
		}
		else if (current.nextOp > nextOpBefore) {
			// Only an answer that brought progress asks for more at once. Every answer asking again
			// would let each duplicated or resent answer start a chain of requests of its own; with
			// few entries per answer, a long repair multiplied them until the network drowned. An
			// answer that brought nothing waits for the resend.
			current.source = message.replica();
			request();
		}
	}

	private void finish() {
		Replica replica = this.replica;
		Target finished = Objects.requireNonNull(this.repair, "a repair is under way when it finishes");
		RepairPurpose purpose = finished.purpose;
		this.repair = null;
		switch (purpose) {
			case CATCH_UP, FAULTY -> {
				replica.backup.sendPrepareOk();
				replica.applyCommitted(false);
				repairFaultyEntries();
			}
			case INSTALL_START_VIEW -> replica.viewChange.startViewRepaired();
			case BECOME_PRIMARY -> replica.viewChange.chosenLogRepaired();
			case RECOVER -> replica.recovery.finish();
			case ENTER_EPOCH -> replica.epochs.epochStartRepaired();
		}
	}

	/** The repair under way: entries from {@code nextOp} up to the anchor, which names the chain. */
	private static final class Target {

		final long anchorOp;

		final long anchorChecksum;

		/** An op known committed on the anchor's chain: entries up to it may be applied on arrival. */
		final long committed;

		final RepairPurpose purpose;

		long nextOp;

		int source;

		/** Started by each request, so that an unanswered one goes to the next replica. */
		final Timeout resendTimeout;

		Target(long nextOp, long anchorOp, long anchorChecksum, long committed, int source, RepairPurpose purpose,
				int resendIntervalTicks) {
			this.nextOp = nextOp;
			this.anchorOp = anchorOp;
			this.anchorChecksum = anchorChecksum;
			this.committed = committed;
			this.source = source;
			this.purpose = purpose;
			this.resendTimeout = new Timeout("repair request", resendIntervalTicks);
		}

	}

	/** Collects the chunks of one snapshot; bounded by the size the first chunk announces. */
	private static final class SnapshotAssembly {

		/** The largest snapshot a replica accepts from a peer. */
		static final int SNAPSHOT_BYTES_MAX = 1 << 30;

		final long snapshotOp;

		final long contentChecksum;

		final byte[] content;

		final BitSet received = new BitSet();

		int receivedBytes;

		private SnapshotAssembly(long snapshotOp, long contentChecksum, int contentBytes) {
			this.snapshotOp = snapshotOp;
			this.contentChecksum = contentChecksum;
			this.content = new byte[contentBytes];
		}

		static @Nullable SnapshotAssembly start(SnapshotChunk chunk) {
			if (chunk.contentBytes() < 0 || chunk.contentBytes() > SNAPSHOT_BYTES_MAX) {
				return null;
			}
			return new SnapshotAssembly(chunk.snapshotOp(), chunk.contentChecksum(), chunk.contentBytes());
		}

		boolean isFor(SnapshotChunk chunk) {
			return chunk.snapshotOp() == this.snapshotOp && chunk.contentChecksum() == this.contentChecksum
					&& chunk.contentBytes() == this.content.length;
		}

		/** Adds a chunk; returns the whole content once complete and intact, else {@code null}. */
		byte @Nullable [] add(SnapshotChunk chunk) {
			int offset = chunk.offset();
			if (offset < 0 || offset > this.content.length - chunk.bytes().length || this.received.get(offset)) {
				return null;
			}
			System.arraycopy(chunk.bytes(), 0, this.content, offset, chunk.bytes().length);
			this.received.set(offset);
			this.receivedBytes += chunk.bytes().length;
			if (this.receivedBytes < this.content.length) {
				return null;
			}
			return (Checksums.bytes(this.content) == this.contentChecksum) ? this.content : null;
		}

	}

}
