package io.viewstamp.vsr;

import java.util.List;

/**
 * The messages that replicas exchange. Every one names the sender's view and index; a receiver
 * checks the view before anything else, because a message of an older view describes a world
 * that may no longer exist.
 */
public sealed interface ReplicaMessage extends Message {

	/** The sender's view when it sent the message. */
	long view();

	/** The sender's index in the configuration. */
	int replica();

	/**
	 * The primary's proposal of one op, also used to resend ops that a backup is missing.
	 * @param commit the primary's commit number, piggybacked
	 */
	record Prepare(long view, int replica, long commit, LogEntry entry) implements ReplicaMessage {
	}

	/** A backup's promise that {@code op} (and every op before it) is durable in its journal. */
	record PrepareOk(long view, int replica, long op, long checksum) implements ReplicaMessage {
	}

	/**
	 * The primary's commit number, sent when idle; it is also the heartbeat that keeps backups
	 * from starting a view change. {@code commitChecksum} lets a backup check its log at that op.
	 */
	record Commit(long view, int replica, long commit, long commitChecksum) implements ReplicaMessage {
	}

	/** The sender has given up on the previous view and moves to {@code view}. */
	record StartViewChange(long view, int replica) implements ReplicaMessage {
	}

	/**
	 * The sender's vote for the new primary of {@code view}: its log as of the last view in which
	 * it was normal. {@code entries} holds the newest entries of that log (at most
	 * {@link ReplicaOptions#viewChangeEntriesMax()}), ending at {@code op}.
	 *
	 * <p>A sender whose journal was damaged below its newest entry (a torn batch, bit rot) votes
	 * with {@code complete} false: it claims the log it acknowledged, up to {@code op} and
	 * {@code headChecksum}, but its {@code entries} end where its intact journal does. Its vote
	 * counts toward the quorum and its claim ranks as any other, so no longer log is lost behind
	 * it; the new primary never chooses an incomplete log, it waits for another vote instead.
	 */
	record DoViewChange(long view, int replica, long logView, long op, long headChecksum, long commit, boolean complete,
			List<LogEntry> entries) implements ReplicaMessage {

		public DoViewChange {
			entries = List.copyOf(entries);
		}

	}

	/**
	 * The new primary's log: {@code entries} are the newest ones, ending at {@code op}; a backup
	 * whose own log does not connect to them repairs the gap before it serves the view.
	 */
	record StartView(long view, int replica, long op, long headChecksum, long commit, List<LogEntry> entries)
			implements ReplicaMessage {

		public StartView {
			entries = List.copyOf(entries);
		}

	}

	/** A replica that knows of {@code view} but missed its start asks the primary to resend it. */
	record RequestStartView(long view, int replica) implements ReplicaMessage {
	}

	/**
	 * Asks for entries {@code fromOp, fromOp + 1, ...} of the log whose entry at {@code anchorOp}
	 * has {@code anchorChecksum}; only a replica holding that anchor answers, so what it sends is
	 * on the right chain.
	 */
	record RequestPrepares(long view, int replica, long fromOp, long anchorOp, long anchorChecksum)
			implements ReplicaMessage {
	}

	/** The answer to {@link RequestPrepares}: consecutive entries from {@code fromOp}. */
	record Prepares(long view, int replica, long anchorOp, long anchorChecksum, List<LogEntry> entries)
			implements ReplicaMessage {

		public Prepares {
			entries = List.copyOf(entries);
		}

	}

	/**
	 * A piece of a snapshot, sent instead of entries to a replica whose repair starts before the
	 * sender's oldest entry. {@code content} is the state machine's and client table's bytes (see
	 * {@link SnapshotContent}); {@code contentChecksum} covers all of it, so the receiver installs
	 * nothing until every piece arrived intact.
	 */
	record SnapshotChunk(long view, int replica, long anchorOp, long anchorChecksum, long snapshotOp,
			long snapshotChecksum, long snapshotTimestamp, long contentChecksum, int contentBytes, int offset,
			byte[] bytes) implements ReplicaMessage {

		@Override
		public String toString() {
			return "SnapshotChunk[view=" + this.view + ", replica=" + this.replica + ", snapshotOp=" + this.snapshotOp
					+ ", offset=" + this.offset + ", " + this.bytes.length + " of " + this.contentBytes + " bytes]";
		}

	}

	/**
	 * Tells a replica of an older epoch that {@code configuration}'s epoch has started: the
	 * reconfiguration at its start op, with its start checksum, is committed. A replica whose log
	 * holds that entry applies up to it and enters the epoch; one whose log does not repairs it from
	 * the sender first. A replica sends it as it enters an epoch, to the members of both
	 * configurations, and again to any member of its epoch that still speaks from an older one.
	 */
	record StartEpoch(long view, int replica, Configuration configuration) implements ReplicaMessage {
	}

	/** A replica that lost its state asks the others for the current view. */
	record Recovery(long view, int replica, long nonce) implements ReplicaMessage {
	}

	/**
	 * A normal replica's answer to {@link Recovery}. Only the primary's answer carries a log head
	 * ({@code op}, {@code headChecksum}) and a commit number; the others carry {@code -1}. Each
	 * carries the configuration of its sender's epoch, which a recovering replica does not know.
	 */
	record RecoveryResponse(long view, int replica, long nonce, long op, long headChecksum, long commit,
			Configuration configuration) implements ReplicaMessage {

		/** Whether this answer came from the primary of its view. */
		public boolean fromPrimary() {
			return this.op >= 0;
		}

	}

}
