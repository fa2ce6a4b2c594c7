package io.viewstamp.vsr;

import java.util.Arrays;
import java.util.Objects;

/**
 * A checkpoint: the state machine and client table as they were right after op {@link #op()} was
 * applied. With it, a replica no longer needs the journal entries up to that op, and a replica
 * that is too far behind is sent the snapshot instead of the entries.
 *
 * @param op the last op applied to the state
 * @param checksum the checksum of the log entry at {@code op}: the log after the snapshot chains to it
 * @param timestamp the timestamp of that entry, so the next op's timestamp still advances
 * @param stateMachine the state machine's bytes, from {@link StateMachine#snapshot()}
 * @param clientTable the client sessions' bytes, from the replica
 */
public record Snapshot(long op, long checksum, long timestamp, byte[] stateMachine, byte[] clientTable) {

	public Snapshot {
		Invariants.check(op >= 1, "a snapshot covers at least op 1, got %d", op);
		Objects.requireNonNull(stateMachine, "stateMachine");
		Objects.requireNonNull(clientTable, "clientTable");
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Snapshot that && this.op == that.op && this.checksum == that.checksum
				&& this.timestamp == that.timestamp && Arrays.equals(this.stateMachine, that.stateMachine)
				&& Arrays.equals(this.clientTable, that.clientTable);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.op, this.checksum, this.timestamp, Arrays.hashCode(this.stateMachine),
				Arrays.hashCode(this.clientTable));
	}

	@Override
	public String toString() {
		return "Snapshot[op=" + this.op + ", checksum=" + Long.toHexString(this.checksum) + ", "
				+ this.stateMachine.length + " + " + this.clientTable.length + " bytes]";
	}

}
