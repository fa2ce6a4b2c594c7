package io.viewstamp.storage;

import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.Snapshot;
import io.viewstamp.vsr.Superblock;

/** One request waiting for the storage's I/O thread, in the order it was made. */
sealed interface StorageRequest {

	record WriteEntry(LogEntry entry) implements StorageRequest {

	}

	record TruncateAfter(long op) implements StorageRequest {

	}

	record WriteSuperblock(Superblock superblock) implements StorageRequest {

	}

	record WriteSnapshot(Snapshot snapshot) implements StorageRequest {

	}

	/** Stops the I/O thread once the requests before it are done. */
	record Close() implements StorageRequest {

	}

}
