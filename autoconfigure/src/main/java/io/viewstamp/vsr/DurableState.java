package io.viewstamp.vsr;

import java.util.List;
import java.util.Objects;

/**
 * What a replica finds in its storage when it starts: the superblock and the journal's entries in
 * op order. The journal may end early (a crash lost unsynced writes); the replica uses the longest
 * prefix that forms an intact hash chain.
 *
 * @param superblock the newest intact superblock
 * @param journal the journal's entries, in op order from op 1
 */
public record DurableState(Superblock superblock, List<LogEntry> journal) {

	public DurableState {
		Objects.requireNonNull(superblock, "superblock");
		journal = List.copyOf(journal);
	}

	/** The state of a freshly formatted replica of a new cluster: view 0, empty log. */
	public static DurableState formatted(long clusterId, int replica, int replicaCount) {
		return new DurableState(new Superblock(clusterId, replica, replicaCount, 0, 0, 0), List.of());
	}

}
