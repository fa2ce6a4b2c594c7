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

	/** Default for {@link #heartbeatIntervalTicks()}: a tenth of a second at the runtime's 10 ms tick. */
	public static final int HEARTBEAT_INTERVAL_TICKS = 10;

	/**
	 * Default for {@link #primaryTimeoutTicks()}: five heartbeats, so that one or two lost ones do
	 * not start a view change; the replica adds up to as much again at random.
	 */
	public static final int PRIMARY_TIMEOUT_TICKS = 50;

	/** Default for {@link #viewChangeTimeoutTicks()}; the replica adds up to as much again at random. */
	public static final int VIEW_CHANGE_TIMEOUT_TICKS = 100;

	/** Default for {@link #resendIntervalTicks()}. */
	public static final int RESEND_INTERVAL_TICKS = 5;

	/** Default for {@link #recoveryTimeoutTicks()}. */
	public static final int RECOVERY_TIMEOUT_TICKS = 100;

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
		return builder().build();
	}

	/**
	 * A builder that starts from the defaults.
	 * @return the builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * A builder that starts from these options.
	 * @return the builder
	 */
	public Builder toBuilder() {
		return new Builder().pipelinePreparesMax(this.pipelinePreparesMax)
			.prepareRequestsMax(this.prepareRequestsMax)
			.requestQueueMax(this.requestQueueMax)
			.clientsMax(this.clientsMax)
			.viewChangeEntriesMax(this.viewChangeEntriesMax)
			.repairEntriesMax(this.repairEntriesMax)
			.messageEntriesBytesMax(this.messageEntriesBytesMax)
			.heartbeatIntervalTicks(this.heartbeatIntervalTicks)
			.primaryTimeoutTicks(this.primaryTimeoutTicks)
			.viewChangeTimeoutTicks(this.viewChangeTimeoutTicks)
			.resendIntervalTicks(this.resendIntervalTicks)
			.recoveryTimeoutTicks(this.recoveryTimeoutTicks)
			.snapshotIntervalOps(this.snapshotIntervalOps)
			.snapshotChunkBytesMax(this.snapshotChunkBytesMax)
			.commitAnnouncedAtOnce(this.commitAnnouncedAtOnce);
	}

	/**
	 * Options built one setting at a time, starting from the defaults; {@link #build()} checks them
	 * together (the record's rules), so an invalid combination fails there, naming the setting.
	 */
	public static final class Builder {

		private int pipelinePreparesMax = PIPELINE_PREPARES_MAX;

		private int prepareRequestsMax = PREPARE_REQUESTS_MAX;

		private int requestQueueMax = REQUEST_QUEUE_MAX;

		private int clientsMax = CLIENTS_MAX;

		private int viewChangeEntriesMax = VIEW_CHANGE_ENTRIES_MAX;

		private int repairEntriesMax = REPAIR_ENTRIES_MAX;

		private int messageEntriesBytesMax = MESSAGE_ENTRIES_BYTES_MAX;

		private int heartbeatIntervalTicks = HEARTBEAT_INTERVAL_TICKS;

		private int primaryTimeoutTicks = PRIMARY_TIMEOUT_TICKS;

		private int viewChangeTimeoutTicks = VIEW_CHANGE_TIMEOUT_TICKS;

		private int resendIntervalTicks = RESEND_INTERVAL_TICKS;

		private int recoveryTimeoutTicks = RECOVERY_TIMEOUT_TICKS;

		private int snapshotIntervalOps = SNAPSHOT_INTERVAL_OPS;

		private int snapshotChunkBytesMax = SNAPSHOT_CHUNK_BYTES_MAX;

		private boolean commitAnnouncedAtOnce = true;

		private Builder() {
		}

		/** See {@link ReplicaOptions#pipelinePreparesMax()}. */
		public Builder pipelinePreparesMax(int value) {
			this.pipelinePreparesMax = value;
			return this;
		}

		/** See {@link ReplicaOptions#prepareRequestsMax()}. */
		public Builder prepareRequestsMax(int value) {
			this.prepareRequestsMax = value;
			return this;
		}

		/** See {@link ReplicaOptions#requestQueueMax()}. */
		public Builder requestQueueMax(int value) {
			this.requestQueueMax = value;
			return this;
		}

		/** See {@link ReplicaOptions#clientsMax()}. */
		public Builder clientsMax(int value) {
			this.clientsMax = value;
			return this;
		}

		/** See {@link ReplicaOptions#viewChangeEntriesMax()}. */
		public Builder viewChangeEntriesMax(int value) {
			this.viewChangeEntriesMax = value;
			return this;
		}

		/** See {@link ReplicaOptions#repairEntriesMax()}. */
		public Builder repairEntriesMax(int value) {
			this.repairEntriesMax = value;
			return this;
		}

		/** See {@link ReplicaOptions#messageEntriesBytesMax()}. */
		public Builder messageEntriesBytesMax(int value) {
			this.messageEntriesBytesMax = value;
			return this;
		}

		/** See {@link ReplicaOptions#heartbeatIntervalTicks()}. */
		public Builder heartbeatIntervalTicks(int value) {
			this.heartbeatIntervalTicks = value;
			return this;
		}

		/** See {@link ReplicaOptions#primaryTimeoutTicks()}. */
		public Builder primaryTimeoutTicks(int value) {
			this.primaryTimeoutTicks = value;
			return this;
		}

		/** See {@link ReplicaOptions#viewChangeTimeoutTicks()}. */
		public Builder viewChangeTimeoutTicks(int value) {
			this.viewChangeTimeoutTicks = value;
			return this;
		}

		/** See {@link ReplicaOptions#resendIntervalTicks()}. */
		public Builder resendIntervalTicks(int value) {
			this.resendIntervalTicks = value;
			return this;
		}

		/** See {@link ReplicaOptions#recoveryTimeoutTicks()}. */
		public Builder recoveryTimeoutTicks(int value) {
			this.recoveryTimeoutTicks = value;
			return this;
		}

		/** See {@link ReplicaOptions#snapshotIntervalOps()}. */
		public Builder snapshotIntervalOps(int value) {
			this.snapshotIntervalOps = value;
			return this;
		}

		/** See {@link ReplicaOptions#snapshotChunkBytesMax()}. */
		public Builder snapshotChunkBytesMax(int value) {
			this.snapshotChunkBytesMax = value;
			return this;
		}

		/** See {@link ReplicaOptions#commitAnnouncedAtOnce()}. */
		public Builder commitAnnouncedAtOnce(boolean value) {
			this.commitAnnouncedAtOnce = value;
			return this;
		}

		/**
		 * The options.
		 * @return them, checked
		 * @throws Invariants.InvariantViolation naming the first rule the settings break
		 */
		public ReplicaOptions build() {
			return new ReplicaOptions(this.pipelinePreparesMax, this.prepareRequestsMax, this.requestQueueMax,
					this.clientsMax, this.viewChangeEntriesMax, this.repairEntriesMax, this.messageEntriesBytesMax,
					this.heartbeatIntervalTicks, this.primaryTimeoutTicks, this.viewChangeTimeoutTicks,
					this.resendIntervalTicks, this.recoveryTimeoutTicks, this.snapshotIntervalOps,
					this.snapshotChunkBytesMax, this.commitAnnouncedAtOnce);
		}

	}

}
