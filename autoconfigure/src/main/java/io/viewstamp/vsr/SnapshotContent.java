package io.viewstamp.vsr;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The bytes of a {@link Snapshot} that travel to a peer in {@link ReplicaMessage.SnapshotChunk}s:
 * the state machine's bytes and the client table's, each with its length.
 */
final class SnapshotContent {

	private SnapshotContent() {
	}

	static byte[] encode(Snapshot snapshot) {
		return ByteBuffer.allocate(2 * Integer.BYTES + snapshot.stateMachine().length + snapshot.clientTable().length)
			.order(ByteOrder.LITTLE_ENDIAN)
			.putInt(snapshot.stateMachine().length)
			.put(snapshot.stateMachine())
			.putInt(snapshot.clientTable().length)
			.put(snapshot.clientTable())
			.array();
	}

	/** Rebuilds a snapshot from its header fields and content; malformed content is refused. */
	static Snapshot decode(long op, long checksum, long timestamp, byte[] content) {
		ByteBuffer buffer = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
		try {
			byte[] stateMachine = new byte[checkedLength(buffer)];
			buffer.get(stateMachine);
			byte[] clientTable = new byte[checkedLength(buffer)];
			buffer.get(clientTable);
			Invariants.check(!buffer.hasRemaining(), "snapshot content has %d trailing bytes", buffer.remaining());
			return new Snapshot(op, checksum, timestamp, stateMachine, clientTable);
		}
		catch (BufferUnderflowException ex) {
			throw new Invariants.InvariantViolation("snapshot content is truncated");
		}
	}

	private static int checkedLength(ByteBuffer buffer) {
		int length = buffer.getInt();
		Invariants.check(length >= 0 && length <= buffer.remaining(), "snapshot content length %d is impossible", length);
		return length;
	}

}
