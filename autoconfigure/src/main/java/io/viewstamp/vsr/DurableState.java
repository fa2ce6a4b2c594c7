package io.viewstamp.vsr;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What a replica finds in its storage when it starts: the superblock, the newest intact snapshot,
 * and the journal's entries after it.
 *
 * <p>The journal may end early: a crash lost unsynced writes, or tore the last one. An entry in the
 * middle that fails its checksum is not trusted and not returned; its op is listed in
 * {@code faultyOps}, and the replica repairs it from its peers before it vouches for it again.
 *
 * @param superblock the newest intact superblock
 * @param snapshot the newest intact snapshot, or {@code null} when there is none
 * @param journal the intact journal entries after the snapshot, in op order (with gaps at faulty ops)
 * @param faultyOps the ops whose journal entry is corrupt, in ascending order
 */
public record DurableState(Superblock superblock, @Nullable Snapshot snapshot, List<LogEntry> journal,
		List<Long> faultyOps) {

	public DurableState {
		Objects.requireNonNull(superblock, "superblock");
		journal = List.copyOf(journal);
		faultyOps = List.copyOf(faultyOps);
	}

	/** A state without snapshot or faulty entries. */
	public DurableState(Superblock superblock, List<LogEntry> journal) {
		this(superblock, null, journal, List.of());
	}

	/** The state of a freshly formatted replica of a new cluster: view 0, empty log. */
	public static DurableState formatted(long clusterId, int replica, int replicaCount) {
		return new DurableState(new Superblock(clusterId, replica, replicaCount, 0, 0, 0), List.of());
	}

}
