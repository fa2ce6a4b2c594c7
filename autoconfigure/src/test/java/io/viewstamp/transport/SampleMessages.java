package io.viewstamp.transport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.viewstamp.vsr.Checksums;
import io.viewstamp.vsr.Configuration;
import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.Message;
import io.viewstamp.vsr.Operation;
import io.viewstamp.vsr.ReplicaMessage.Commit;
import io.viewstamp.vsr.ReplicaMessage.DoViewChange;
import io.viewstamp.vsr.ReplicaMessage.Prepare;
import io.viewstamp.vsr.ReplicaMessage.PrepareOk;
import io.viewstamp.vsr.ReplicaMessage.Prepares;
import io.viewstamp.vsr.ReplicaMessage.Recovery;
import io.viewstamp.vsr.ReplicaMessage.RecoveryResponse;
import io.viewstamp.vsr.ReplicaMessage.RequestPrepares;
import io.viewstamp.vsr.ReplicaMessage.RequestStartView;
import io.viewstamp.vsr.ReplicaMessage.SnapshotChunk;
import io.viewstamp.vsr.ReplicaMessage.StartEpoch;
import io.viewstamp.vsr.ReplicaMessage.StartView;
import io.viewstamp.vsr.ReplicaMessage.StartViewChange;
import io.viewstamp.vsr.Reply;
import io.viewstamp.vsr.ReplyStatus;
import io.viewstamp.vsr.Request;

/**
 * Realistic instances of every message type, with the edge values a codec most often gets wrong:
 * empty lists and arrays, the largest longs, and {@code -1} where the protocol uses it as "none".
 */
final class SampleMessages {

	static final long CLUSTER_ID = 42;

	private SampleMessages() {
	}

	static List<Message> all() {
		List<Message> messages = new ArrayList<>();
		messages.add(Request.register(0x1234_5678_9abc_def0L, 77));
		messages.add(command(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, "put sku-1 12"));
		messages.add(new Request(-1, 3, 1, Operation.COMMAND, new byte[0]));
		messages.add(new Reply(7, 2, 0xcafeL, 5, 9, 1204, ReplyStatus.OK, bytes("12")));
		messages.add(new Reply(Long.MAX_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE, 0, 0, -1, ReplyStatus.SESSION_EVICTED,
				new byte[0]));
		messages.add(new Prepare(7, 1, 1203, entries(1204, 1).get(0)));
		messages.add(new Prepare(Long.MAX_VALUE, 0, Long.MAX_VALUE, entries(Long.MAX_VALUE, 1).get(0)));
		messages.add(new PrepareOk(7, 2, 1204, 0x0123_4567_89ab_cdefL));
		messages.add(new Commit(7, 1, 1204, -1));
		messages.add(new StartViewChange(8, 2));
		messages.add(new DoViewChange(8, 2, 7, 1206, 0xdeadbeefL, 1203, true, entries(1204, 3)));
		messages.add(new DoViewChange(8, 0, 0, 0, Checksums.root(CLUSTER_ID), 0, true, List.of()));
		messages.add(new DoViewChange(9, 1, 7, 1210, 0xfeedfaceL, 1203, false, entries(1204, 3)));
		messages.add(new StartView(8, 2, 1206, 0xdeadbeefL, 1204, entries(1204, 3)));
		messages.add(new StartView(8, 2, 0, Checksums.root(CLUSTER_ID), 0, List.of()));
		messages.add(new RequestStartView(9, 1));
		messages.add(new RequestPrepares(9, 1, 1100, 1099, 0x5555_aaaaL));
		messages.add(new Prepares(9, 2, 1099, 0x5555_aaaaL, entries(1100, 5)));
		messages.add(new Prepares(9, 2, 1099, 0x5555_aaaaL, List.of()));
		messages.add(new SnapshotChunk(9, 2, 10, 0x77L, 10_000, 0x88L, 1_700_000_000_000L, 0x99L, 300_000, 262_144,
				pattern(37_856)));
		messages.add(new SnapshotChunk(9, 2, 10, 0x77L, 10_000, 0x88L, 1_700_000_000_000L, 0x99L, 0, 0, new byte[0]));
		messages.add(new Recovery(0, 2, 0x7fff_0000_1111_2222L));
		messages.add(new RecoveryResponse(9, 0, 0x7fff_0000_1111_2222L, 1206, 0xdeadbeefL, 1204, Configuration.initial(3)));
		messages.add(new RecoveryResponse(9, 1, 0x7fff_0000_1111_2222L, -1, -1, -1,
				Configuration.of(2, 0b11011, 977, 0x1234_5678_9abc_def0L)));
		messages.add(new StartEpoch((2L << Configuration.EPOCH_SHIFT) + 1, 4, Configuration.of(2, 0b11011, 977, -5)));
		// A change of members records the members' addresses: one unknown, one of the longest.
		Configuration addressed = Configuration.of(3, 0b1011, 1200, 7)
			.withAddress(0, "replica-0.viewstamp.internal:7400")
			.withAddress(3, "[::1]:7403")
			.withAddress(1, "h".repeat(Configuration.ADDRESS_SIZE_BYTES_MAX - 5) + ":7401");
		messages.add(new StartEpoch((3L << Configuration.EPOCH_SHIFT) + 2, 3, addressed));
		messages.add(new RecoveryResponse(9, 3, 5, 1210, 0xabcL, 1209, addressed.withAddress(1, "")));
		return messages;
	}

	/** {@code count} chained entries from {@code firstOp}, each batching a register and a few commands. */
	static List<LogEntry> entries(long firstOp, int count) {
		List<LogEntry> entries = new ArrayList<>();
		long parent = Checksums.root(CLUSTER_ID);
		for (int index = 0; index < count; index++) {
			long op = firstOp + index;
			List<Request> requests = List.of(Request.register(100 + index, 5), command(200, 3, 1 + index, "add a " + op),
					command(201, 4, 9, ""), command(202, 6, 12, "x".repeat(300)));
			LogEntry entry = LogEntry.create(CLUSTER_ID, 7, op, 1_700_000_000_000L + op, parent, requests);
			entries.add(entry);
			parent = entry.checksum();
		}
		return entries;
	}

	static Request command(long clientId, long session, long requestNumber, String body) {
		return new Request(clientId, session, requestNumber, Operation.COMMAND, bytes(body));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] pattern(int length) {
		byte[] bytes = new byte[length];
		for (int index = 0; index < length; index++) {
			bytes[index] = (byte) (index * 31 + 7);
		}
		return bytes;
	}

}
