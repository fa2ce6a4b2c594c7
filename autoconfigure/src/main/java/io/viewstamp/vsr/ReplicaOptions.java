package io.viewstamp.vsr;

/**
 * The limits and timeouts of a replica. Every queue and every retry is bounded by one of these.
 * Timeouts count ticks; how long a tick is belongs to whoever calls {@link Replica#tick}.
 *
 * @param pipelinePreparesMax ops the primary may have prepared but not yet committed
 * @param prepareRequestsMax requests batched into one prepare
 * @param requestQueueMax requests the primary holds while the pipeline is full; more are dropped
 * @param clientsMax client sessions kept; registering one more evicts the least recently used
 * @param viewChangeEntriesMax newest log entries carried in a do-view-change or start-view
 * @param repairEntriesMax entries sent in one answer to a repair request
 * @param messageEntriesBytesMax encoded bytes of the entries one do-view-change, start-view or
 * repair answer carries, beyond its first entry; a replica repairs what a message leaves out, so
 * this only keeps messages of large batches small enough to send, and to resend
 * @param heartbeatIntervalTicks ticks between the idle primary's commit messages
 * @param primaryTimeoutTicks ticks a backup waits to hear from the primary before it starts a
 * view change
 * @param viewChangeTimeoutTicks ticks a view change may take before the next view is tried
 * @param resendIntervalTicks ticks between resends of prepares, votes and repair requests
 * @param recoveryTimeoutTicks ticks a recovering replica waits before it starts over with a new nonce
 * @param snapshotIntervalOps ops between two snapshots; the journal keeps only the ops after the last
 * @param snapshotChunkBytesMax bytes of snapshot in one message to a peer that is too far behind
 * @param commitAnnouncedAtOnce whether a primary with nothing more in flight tells the backups of a
 * new commit number at once, rather than at its next heartbeat; a client on a backup waits for its
 * own replica to apply, so this is what keeps it from waiting a heartbeat interval
 */
public record ReplicaOptions(int pipelinePreparesMax, int prepareRequestsMax, int requestQueueMax, int clientsMax,
		int viewChangeEntriesMax, int repairEntriesMax, int messageEntriesBytesMax, int heartbeatIntervalTicks,
		int primaryTimeoutTicks, int viewChangeTimeoutTicks, int resendIntervalTicks, int recoveryTimeoutTicks,
		int snapshotIntervalOps, int snapshotChunkBytesMax, boolean commitAnnouncedAtOnce) {

	/** Default for {@link #pipelinePreparesMax()}. */
	public static final int PIPELINE_PREPARES_MAX = 32;

	/** Default for {@link #prepareRequestsMax()}. */
	public static final int PREPARE_REQUESTS_MAX = 64;

	/** Default for {@link #requestQueueMax()}. */
	public static final int REQUEST_QUEUE_MAX = 4096;

	/** Default for {@link #clientsMax()}. */
	public static final int CLIENTS_MAX = 1024;

	/** Default for {@link #viewChangeEntriesMax()}. */
	public static final int VIEW_CHANGE_ENTRIES_MAX = 2 * PIPELINE_PREPARES_MAX;

	/** Default for {@link #repairEntriesMax()}. */
	public static final int REPAIR_ENTRIES_MAX = 64;

	/**
	 * Default for {@link #messageEntriesBytesMax()}: a few of the largest batches, or every entry
	 * a view change needs when commands are small. Without a bound in bytes, as many entries of the
	 * largest batches as {@link #viewChangeEntriesMax()} allows would not fit one message of the
	 * transport, and resending such messages would crowd out everything else.
	 */
	public static final int MESSAGE_ENTRIES_BYTES_MAX = 4 << 20;

	/** The most {@link #messageEntriesBytesMax()} may be, so that every such message fits the transport's. */
	public static final int MESSAGE_ENTRIES_BYTES_LIMIT = 16 << 20;

	/** Default for {@link #snapshotIntervalOps()}. */
	public static final int SNAPSHOT_INTERVAL_OPS = 10_000;

	/** Default for {@link #snapshotChunkBytesMax()}. */
	public static final int SNAPSHOT_CHUNK_BYTES_MAX = 256 * 1024;

	/** The most {@link #snapshotChunkBytesMax()} may be: what one message on the wire carries. */
	public static final int SNAPSHOT_CHUNK_BYTES_LIMIT = 8 * 1024 * 1024;

	public ReplicaOptions {
		Invariants.check(pipelinePreparesMax >= 1, "pipelinePreparesMax must be at least 1");
		Invariants.check(prepareRequestsMax >= 1 && prepareRequestsMax <= LogEntryCodec.ENTRY_REQUESTS_MAX,
				"prepareRequestsMax must be within 1..%d (what one journal entry holds)", LogEntryCodec.ENTRY_REQUESTS_MAX);
		Invariants.check(requestQueueMax >= 1, "requestQueueMax must be at least 1");
		Invariants.check(clientsMax >= 1, "clientsMax must be at least 1");
		Invariants.check(viewChangeEntriesMax >= pipelinePreparesMax,
				"viewChangeEntriesMax must cover at least the pipeline");
		Invariants.check(messageEntriesBytesMax >= 1 && messageEntriesBytesMax <= MESSAGE_ENTRIES_BYTES_LIMIT,
				"messageEntriesBytesMax must be within 1..%d bytes", MESSAGE_ENTRIES_BYTES_LIMIT);
		Invariants.check(repairEntriesMax >= 1, "repairEntriesMax must be at least 1");
		Invariants.check(heartbeatIntervalTicks >= 1, "heartbeatIntervalTicks must be at least 1");
		Invariants.check(primaryTimeoutTicks > 2 * heartbeatIntervalTicks,
				"primaryTimeoutTicks must be more than two heartbeat intervals");
		Invariants.check(viewChangeTimeoutTicks >= 1, "viewChangeTimeoutTicks must be at least 1");
		Invariants.check(resendIntervalTicks >= 1, "resendIntervalTicks must be at least 1");
		Invariants.check(recoveryTimeoutTicks >= 1, "recoveryTimeoutTicks must be at least 1");
		Invariants.check(snapshotIntervalOps > pipelinePreparesMax,
				"snapshotIntervalOps must be more than the pipeline, so that a snapshot never covers an op in flight");
		Invariants.check(snapshotChunkBytesMax >= 1024 && snapshotChunkBytesMax <= SNAPSHOT_CHUNK_BYTES_LIMIT,
				"snapshotChunkBytesMax must be within 1 KiB..%d bytes", SNAPSHOT_CHUNK_BYTES_LIMIT);
	}

	/** The defaults, for a tick of about 10 ms. */
	public static ReplicaOptions defaults() {
		return new ReplicaOptions(PIPELINE_PREPARES_MAX, PREPARE_REQUESTS_MAX, REQUEST_QUEUE_MAX, CLIENTS_MAX,
				VIEW_CHANGE_ENTRIES_MAX, REPAIR_ENTRIES_MAX, MESSAGE_ENTRIES_BYTES_MAX, 10, 50, 100, 5, 100,
				SNAPSHOT_INTERVAL_OPS,
				SNAPSHOT_CHUNK_BYTES_MAX, true);
	}

	/** A copy with another pipeline depth and batch size. */
	public ReplicaOptions withPipeline(int pipelinePreparesMax, int prepareRequestsMax) {
		return new ReplicaOptions(pipelinePreparesMax, prepareRequestsMax, this.requestQueueMax, this.clientsMax,
				this.viewChangeEntriesMax, this.repairEntriesMax, this.messageEntriesBytesMax,
				this.heartbeatIntervalTicks, this.primaryTimeoutTicks, this.viewChangeTimeoutTicks,
				this.resendIntervalTicks, this.recoveryTimeoutTicks, this.snapshotIntervalOps, this.snapshotChunkBytesMax,
				this.commitAnnouncedAtOnce);
	}

	/** A copy with another snapshot interval and chunk size. */
	public ReplicaOptions withSnapshots(int snapshotIntervalOps, int snapshotChunkBytesMax) {
		return new ReplicaOptions(this.pipelinePreparesMax, this.prepareRequestsMax, this.requestQueueMax,
				this.clientsMax, this.viewChangeEntriesMax, this.repairEntriesMax, this.messageEntriesBytesMax,
				this.heartbeatIntervalTicks, this.primaryTimeoutTicks, this.viewChangeTimeoutTicks,
				this.resendIntervalTicks, this.recoveryTimeoutTicks, snapshotIntervalOps, snapshotChunkBytesMax,
				this.commitAnnouncedAtOnce);
	}

	/** A copy that announces commits at once, or only with heartbeats and prepares. */
	public ReplicaOptions withCommitAnnouncedAtOnce(boolean commitAnnouncedAtOnce) {
		return new ReplicaOptions(this.pipelinePreparesMax, this.prepareRequestsMax, this.requestQueueMax,
				this.clientsMax, this.viewChangeEntriesMax, this.repairEntriesMax, this.messageEntriesBytesMax,
				this.heartbeatIntervalTicks, this.primaryTimeoutTicks, this.viewChangeTimeoutTicks,
				this.resendIntervalTicks, this.recoveryTimeoutTicks, this.snapshotIntervalOps, this.snapshotChunkBytesMax,
				commitAnnouncedAtOnce);
	}

	/** A copy with another client table size. */
	public ReplicaOptions withClientsMax(int clientsMax) {
		return new ReplicaOptions(this.pipelinePreparesMax, this.prepareRequestsMax, this.requestQueueMax, clientsMax,
				this.viewChangeEntriesMax, this.repairEntriesMax, this.messageEntriesBytesMax,
				this.heartbeatIntervalTicks, this.primaryTimeoutTicks, this.viewChangeTimeoutTicks,
				this.resendIntervalTicks, this.recoveryTimeoutTicks, this.snapshotIntervalOps, this.snapshotChunkBytesMax,
				this.commitAnnouncedAtOnce);
	}

	/** A copy with another bound on the entry bytes of view-change and repair messages. */
	public ReplicaOptions withMessageEntriesBytesMax(int messageEntriesBytesMax) {
		return new ReplicaOptions(this.pipelinePreparesMax, this.prepareRequestsMax, this.requestQueueMax,
				this.clientsMax, this.viewChangeEntriesMax, this.repairEntriesMax, messageEntriesBytesMax,
				this.heartbeatIntervalTicks, this.primaryTimeoutTicks, this.viewChangeTimeoutTicks,
				this.resendIntervalTicks, this.recoveryTimeoutTicks, this.snapshotIntervalOps, this.snapshotChunkBytesMax,
				this.commitAnnouncedAtOnce);
	}

}
