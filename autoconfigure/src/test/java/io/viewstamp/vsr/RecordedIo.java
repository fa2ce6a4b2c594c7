package io.viewstamp.vsr;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Storage} and an {@link Outbox} for tests that drive one {@link Replica} by hand: they do
 * nothing but record what the replica asked for (messages sent, truncations, superblocks), and a
 * test completes requests itself ({@link Replica#onSuperblockWritten}, ...) when it wants them done.
 */
final class RecordedIo {

	/** Messages sent to other replicas, in order. */
	final List<ReplicaMessage> sent = new ArrayList<>();

	/** Entries the journal was asked to write, in order. */
	final List<LogEntry> written = new ArrayList<>();

	/** The ops after which the journal was asked to be cut, in order. */
	final List<Long> truncatedAfter = new ArrayList<>();

	/** Superblocks asked to be written, in order. */
	final List<Superblock> superblocks = new ArrayList<>();

	private final Storage storage = new Storage() {

		@Override
		public void writeEntry(LogEntry entry) {
			RecordedIo.this.written.add(entry);
		}

		@Override
		public void truncateAfter(long op) {
			RecordedIo.this.truncatedAfter.add(op);
		}

		@Override
		public void writeSuperblock(Superblock superblock) {
			RecordedIo.this.superblocks.add(superblock);
		}

		@Override
		public void writeSnapshot(Snapshot snapshot) {
		}

	};

	private final Outbox outbox = new Outbox() {

		@Override
		public void send(int replica, ReplicaMessage message) {
			RecordedIo.this.sent.add(message);
		}

		@Override
		public void reply(Reply reply) {
		}

	};

	Storage storage() {
		return this.storage;
	}

	Outbox outbox() {
		return this.outbox;
	}

	/** The superblock last asked for, or null. */
	Superblock lastSuperblock() {
		return this.superblocks.isEmpty() ? null : this.superblocks.get(this.superblocks.size() - 1);
	}

	/** The messages of {@code type} sent, in order. */
	<T extends ReplicaMessage> List<T> sent(Class<T> type) {
		return this.sent.stream().filter(type::isInstance).map(type::cast).toList();
	}

}
