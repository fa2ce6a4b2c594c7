package io.viewstamp.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.viewstamp.vsr.Checksums;
import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.Operation;
import io.viewstamp.vsr.Request;
import io.viewstamp.vsr.Snapshot;
import io.viewstamp.vsr.Superblock;

import static org.awaitility.Awaitility.await;

/** Log entries, snapshots and a completion recorder for the storage tests. */
final class TestLogs {

	static final long CLUSTER_ID = 42;

	static final int REPLICA = 1;

	static final int REPLICA_COUNT = 3;

	/** Bound on every wait for the I/O thread. */
	static final Duration WAIT_MAX = Duration.ofSeconds(20);

	private TestLogs() {
	}

	/** A hash chain of {@code count} entries from op 1, each with a body of {@code bodyBytes}. */
	static List<LogEntry> chain(int count, int bodyBytes) {
		return chain(1, Checksums.root(CLUSTER_ID), count, bodyBytes, 0);
	}

	/** A hash chain of {@code count} entries from {@code firstOp}, chained to {@code parent}. */
	static List<LogEntry> chain(long firstOp, long parent, int count, int bodyBytes, int variant) {
		List<LogEntry> entries = new ArrayList<>();
		long previous = parent;
		for (int index = 0; index < count; index++) {
			long op = firstOp + index;
			byte[] body = new byte[bodyBytes];
			for (int at = 0; at < bodyBytes; at++) {
				body[at] = (byte) (op * 31 + at + variant);
			}
			Request request = new Request(1000 + variant, 1, op, Operation.COMMAND, body);
			LogEntry entry = LogEntry.create(CLUSTER_ID, 1, op, 1_000 * op, previous, List.of(request));
			entries.add(entry);
			previous = entry.checksum();
		}
		return entries;
	}

	static Superblock superblock(long view, long commit) {
		return new Superblock(CLUSTER_ID, REPLICA, REPLICA_COUNT, view, view, commit);
	}

	static Snapshot snapshot(LogEntry entry, int stateBytes) {
		byte[] state = new byte[stateBytes];
		for (int at = 0; at < stateBytes; at++) {
			state[at] = (byte) (entry.op() + at);
		}
		return new Snapshot(entry.op(), entry.checksum(), entry.timestamp(), state, new byte[] { 1, 2, 3 });
	}

	static FileStorage open(Path directory, Recorder recorder) {
		return open(directory, FileStorageOptions.defaults(), recorder);
	}

	static FileStorage open(Path directory, FileStorageOptions options, Recorder recorder) {
		return FileStorage.open(directory, CLUSTER_ID, REPLICA, REPLICA_COUNT, options, recorder, Runnable::run);
	}

	/** Formats {@code directory}, writes {@code entries}, waits until they are durable and closes. */
	static void writeAndClose(Path directory, FileStorageOptions options, List<LogEntry> entries) {
		FileStorage.format(directory, CLUSTER_ID, REPLICA, REPLICA_COUNT);
		Recorder recorder = new Recorder();
		try (FileStorage storage = open(directory, options, recorder)) {
			entries.forEach(storage::writeEntry);
			recorder.awaitCount(entries.size());
		}
	}

	/**
	 * The frames of an undamaged segment file, in file order, found by reading it: where they lie
	 * depends on how the I/O thread happened to batch the writes, as every batch is padded to a
	 * sector. A position without a frame must be padding, which ends at the next sector boundary.
	 */
	static List<Frame> frames(Path segment) throws IOException {
		ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment)).order(ByteOrder.LITTLE_ENDIAN);
		List<Frame> frames = new ArrayList<>();
		long position = 0;
		while (position < bytes.limit()) {
			JournalFrame.Header header = (position + JournalFrame.HEADER_SIZE_BYTES <= bytes.limit())
					? JournalFrame.readHeader(bytes, (int) position, CLUSTER_ID) : null;
			if (header != null) {
				long end = position + JournalFrame.HEADER_SIZE_BYTES + header.payloadLength();
				frames.add(new Frame(header.kind(), header.op(), position, end));
				position = end;
			}
			else if (position % Journal.SECTOR_SIZE_BYTES != 0) {
				position = Math.min(Journal.alignUp(position), bytes.limit());
			}
			else {
				throw new IllegalStateException("No frame at sector boundary " + position + " of " + segment);
			}
		}
		return frames;
	}

	/**
	 * A frame of a segment file.
	 * @param kind {@link JournalFrame#KIND_ENTRY} or {@link JournalFrame#KIND_TRUNCATE}
	 * @param op its op
	 * @param start where it starts in the file
	 * @param end where it ends in the file
	 */
	record Frame(byte kind, long op, long start, long end) {

	}

	/** Records completions as text, in the order they arrive. */
	static class Recorder implements StorageCompletions {

		final List<String> events = new CopyOnWriteArrayList<>();

		volatile Exception failure;

		@Override
		public void onEntryWritten(long op, long checksum) {
			this.events.add("entry " + op);
		}

		@Override
		public void onSuperblockWritten(Superblock superblock) {
			this.events.add("superblock " + superblock.view());
		}

		@Override
		public void onSnapshotWritten(long op) {
			this.events.add("snapshot " + op);
		}

		@Override
		public void onStorageFailed(Exception cause) {
			this.failure = cause;
		}

		void awaitCount(int count) {
			await().atMost(WAIT_MAX).until(() -> this.events.size() >= count || this.failure != null);
			if (this.failure != null) {
				throw new AssertionError("storage failed", this.failure);
			}
		}

	}

}
