package io.viewstamp.sim;

/**
 * What one simulated world did, for the seeds summary.
 *
 * @param seed the seed
 * @param ticks the ticks simulated
 * @param committedOps the ops committed (the canonical log's length)
 * @param committedRequests the requests in those ops (several per op when prepares were batched)
 * @param operationsCompleted client operations whose result arrived
 * @param operationsIndeterminate client operations whose outcome stayed unknown
 * @param localReads {@code LOCAL} reads, each checked as it happened
 * @param linearizableReads {@code LINEARIZABLE} reads completed (among the operations completed)
 * @param messagesDelivered messages delivered
 * @param messagesLost messages lost at random
 * @param messagesDuplicated messages delivered twice
 * @param messagesCutOff messages dropped by a cut link
 * @param messagesCorrupted messages with a bit flipped on the wire (the codec refused most)
 * @param messagesMisrouted messages delivered to another replica than their own
 * @param messagesDelayedLong messages held for a long delay
 * @param partitions partitions started
 * @param crashes replica crashes
 * @param powerLosses crashes of every running replica at once
 * @param timedCrashes crashes timed to a protocol event
 * @param tornWrites appends torn by a crash
 * @param corruptions synced journal entries corrupted on a crashed replica's disk
 * @param wipes data directories lost
 * @param clientRestarts client process restarts
 * @param evictions client sessions evicted
 * @param primaryTransfers hand-overs of the primary's view that started
 * @param reconfigurations changes of members that started
 * @param epochs the epoch of the newest configuration at the end: the changes that took effect
 * @param fingerprint the trace fingerprint
 */
public record SimulationResult(long seed, long ticks, long committedOps, long committedRequests, long operationsCompleted,
		long operationsIndeterminate, long localReads, long linearizableReads, long messagesDelivered, long messagesLost, long messagesDuplicated,
		long messagesCutOff, long messagesCorrupted, long messagesMisrouted, long messagesDelayedLong, long partitions, long crashes, long powerLosses, long timedCrashes, long tornWrites, long corruptions, long wipes,
		long clientRestarts, long evictions, long primaryTransfers, long reconfigurations, long epochs, long fingerprint) {

}
