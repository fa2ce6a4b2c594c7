package io.viewstamp.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.viewstamp.storage.StorageStatistics;
import io.viewstamp.transport.PeerStatus;
import io.viewstamp.transport.RefusalReason;
import io.viewstamp.vsr.Configuration;
import io.viewstamp.vsr.IgnoreReason;
import io.viewstamp.vsr.Status;
import org.jspecify.annotations.Nullable;

/**
 * What one replica reports about itself, as of its last tick.
 *
 * @param replica this replica's index
 * @param replicaCount the number of replicas in the peer list, members or not
 * @param status normal, view change or recovering
 * @param view the replica's view
 * @param primary the primary of that view
 * @param op the highest op in its log
 * @param commit the highest op it has committed and applied
 * @param clientSessions the sessions of its client
 * @param stopped whether the replica stopped (closed, or on a failure it can not recover from)
 * @param stopCause why it stopped on a failure, or {@code null}
 * @param peers the connection to each other replica
 * @param storage the journal's counters and extent; {@code null} only in the copy the replica's loop
 * publishes, which {@link ReplicaNode#status()} completes
 * @param acknowledgedOps per replica index, the highest op it has acknowledged as durable to this
 * replica; -1 for each when this replica is not the normal primary (only the primary knows)
 * @param divergences how many results or states of the primary this replica's contradicted since
 * it started (each means the two states differ)
 * @param lastDivergence the last such contradiction, described, or {@code null}
 * @param lastStateCheckOp the op of the last {@link StateChecks state check} at which this
 * replica's state was the primary's, 0 before the first
 * @param peerRefusals the connections this replica refused since it started, by reason (the tags of
 * {@link #PEER_REFUSAL_REASONS}, each present)
 * @param ignoredMessages the messages the replica ignored since it started, by reason (the tags of
 * {@link IgnoreReason}, each present)
 * @param configuration the configuration of the replica's epoch: the epoch and its members
 */
public record NodeStatus(int replica, int replicaCount, Status status, long view, int primary, long op, long commit,
		int clientSessions, boolean stopped, @Nullable String stopCause, List<PeerStatus> peers,
		@Nullable StorageStatistics storage, List<Long> acknowledgedOps, long divergences,
		@Nullable String lastDivergence, long lastStateCheckOp, Map<String, Long> peerRefusals,
		Map<String, Long> ignoredMessages, Configuration configuration) {

	/** The reasons a message may be ignored for, as {@link #ignoredMessages()} names them. */
	public static final List<String> IGNORE_REASONS = Arrays.stream(IgnoreReason.values())
		.map(IgnoreReason::tag)
		.toList();

	/** The reasons a connection may be refused for, as {@link #peerRefusals()} names them. */
	public static final List<String> PEER_REFUSAL_REASONS = Arrays.stream(RefusalReason.values())
		.map(RefusalReason::tag)
		.toList();

	/**
	 * The counts of a replica's ignored messages, keyed by tag, every reason present.
	 * @param counts the counts by reason
	 * @return an unmodifiable map in the order of {@link #IGNORE_REASONS}
	 */
	public static Map<String, Long> ignoreCounts(Map<IgnoreReason, Long> counts) {
		Map<String, Long> tagged = new LinkedHashMap<>();
		for (IgnoreReason reason : IgnoreReason.values()) {
			tagged.put(reason.tag(), counts.getOrDefault(reason, 0L));
		}
		return Collections.unmodifiableMap(tagged);
	}

	/** The storage of a replica that has not opened it yet (it has no data and waits for its peers): nothing written. */
	public static final StorageStatistics NO_STORAGE = new StorageStatistics(0, 0, 0, 0, 0, 0, 0, 0);

	/**
	 * The status of a replica without data that waits for every member to say whether it holds
	 * any: recovering, in view 0, with nothing in its log.
	 */
	static NodeStatus forming(int replica, int replicaCount) {
		List<Long> acknowledged = new ArrayList<>();
		for (int index = 0; index < replicaCount; index++) {
			acknowledged.add(-1L);
		}
		return new NodeStatus(replica, replicaCount, Status.RECOVERING, 0, 0, 0, 0, 0, false, null, List.of(), NO_STORAGE,
				List.copyOf(acknowledged), 0, null, 0, noPeerRefusals(), ignoreCounts(Map.of()),
				Configuration.initial(replicaCount));
	}

	/** No refusal yet: every reason at zero. */
	static Map<String, Long> noPeerRefusals() {
		Map<String, Long> none = new LinkedHashMap<>();
		PEER_REFUSAL_REASONS.forEach((reason) -> none.put(reason, 0L));
		return Collections.unmodifiableMap(none);
	}

}
