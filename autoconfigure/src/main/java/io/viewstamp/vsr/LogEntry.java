package io.viewstamp.vsr;

import java.util.List;
import java.util.Objects;

/**
 * One prepared op: a batch of requests with the op number, the view and timestamp the primary
 * gave it, and a checksum covering all of that plus the parent's checksum. The parent link makes
 * the log a hash chain: two replicas whose entries at op {@code n} have the same checksum agree
 * on every op up to {@code n}.
 *
 * @param view the view in which the primary prepared this op
 * @param op the op number, from 1
 * @param timestamp the primary's timestamp for the op; strictly greater than the parent's
 * @param parent the checksum of the entry at {@code op - 1}, or {@link Checksums#root} for op 1
 * @param checksum the checksum of every other field, see {@link #create}
 * @param requests the batched requests, applied in this order
 */
public record LogEntry(long view, long op, long timestamp, long parent, long checksum, List<Request> requests) {

	public LogEntry {
		Objects.requireNonNull(requests, "requests");
		requests = List.copyOf(requests);
		Invariants.check(op >= 1, "op numbers start at 1, got %d", op);
		Invariants.check(!requests.isEmpty(), "an entry carries at least one request");
	}

	/** Builds an entry and computes its checksum. */
	public static LogEntry create(long clusterId, long view, long op, long timestamp, long parent,
			List<Request> requests) {
		return new LogEntry(view, op, timestamp, parent,
				Checksums.entry(clusterId, view, op, timestamp, parent, requests), requests);
	}

	/** Whether the checksum matches the content, that is whether the entry is intact. */
	public boolean isIntact(long clusterId) {
		return this.checksum == Checksums.entry(clusterId, this.view, this.op, this.timestamp, this.parent, this.requests);
	}

	@Override
	public String toString() {
		return "LogEntry[op=" + this.op + ", view=" + this.view + ", checksum=" + Long.toHexString(this.checksum)
				+ ", parent=" + Long.toHexString(this.parent) + ", requests=" + this.requests.size() + "]";
	}

}
