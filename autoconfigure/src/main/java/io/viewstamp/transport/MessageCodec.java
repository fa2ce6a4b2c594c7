package io.viewstamp.transport;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

import io.viewstamp.vsr.Cluster;
import io.viewstamp.vsr.Configuration;
import io.viewstamp.vsr.LogEntryCodec;
import io.viewstamp.vsr.Message;
import io.viewstamp.vsr.Operation;
import io.viewstamp.vsr.ReplicaMessage;
import io.viewstamp.vsr.ReplicaOptions;
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
import io.viewstamp.vsr.ReplyStatus;
import io.viewstamp.vsr.Reply;
import io.viewstamp.vsr.Request;

/**
 * The binary form of every {@link Message} on the wire between replicas and clients. Explicit,
 * versioned and little-endian, so that replicas of different releases either understand each
 * other or refuse each other clearly; no Java serialization, no reflection.
 *
 * <pre>
 * message := version u8 | type u8 | fields
 * i64 and i32 fields are little-endian; a flag is a u8, 0 or 1; a list is a u32 count then its elements;
 * a byte array is a u32 length then its bytes; a log entry is {@link LogEntryCodec}'s form.
 * </pre>
 *
 * <p>Decoding trusts nothing: every length and count is checked against a named maximum and
 * against the bytes actually there before anything is allocated, and the message must end
 * exactly where its bytes end. Because every byte is meaningful, a decoded message encodes back
 * to the very same bytes.
 */
public final class MessageCodec {

	/**
	 * The format version written in the first byte; a reader refuses any other. Version 2 added the
	 * do-view-change's {@code complete} flag; version 3 the configuration (epoch i64, members u32, bit
	 * i for replica i, start op i64, start checksum i64) at the end of a recovery response, the
	 * start-epoch message (type 22), and the reconfiguration operation (code 3) of a request; version 4
	 * the configuration's addresses after its start checksum (a u32 length, then each member's in
	 * index order as a u8 length and UTF-8 bytes).
	 */
	public static final byte VERSION = 4;

	/** The most bytes a configuration's addresses take: every replica a member, each with the longest address. */
	static final int ADDRESSES_SIZE_BYTES_MAX = Cluster.REPLICAS_MAX * (1 + Configuration.ADDRESS_SIZE_BYTES_MAX);

	/**
	 * The most log entries one message may carry; well above the default view-change and repair
	 * batches, so only a corrupt or hostile count reaches it.
	 */
	public static final int ENTRIES_PER_MESSAGE_MAX = 4096;

	/** The largest request body, the same as a log entry accepts: a larger one could never be logged. */
	public static final int BODY_SIZE_BYTES_MAX = LogEntryCodec.REQUEST_BODY_SIZE_BYTES_MAX;

	/** The largest result a reply may carry. */
	public static final int RESULT_SIZE_BYTES_MAX = 1 << 20;

	/** The largest piece of snapshot in one {@link SnapshotChunk}: what a replica may be configured to send. */
	public static final int SNAPSHOT_CHUNK_SIZE_BYTES_MAX = ReplicaOptions.SNAPSHOT_CHUNK_BYTES_LIMIT;

	/** The largest encoded message: room for one entry of the largest size, plus the message's own fields. */
	public static final int MESSAGE_SIZE_BYTES_MAX = 2 * LogEntryCodec.ENTRY_SIZE_BYTES_MAX;

	/**
	 * The fewest bytes one encoded log entry takes (its header and one request with an empty body),
	 * used to refuse an entry count the remaining bytes cannot hold before allocating for it.
	 */
	static final int ENTRY_SIZE_BYTES_MIN = (1 + 5 * Long.BYTES + Integer.BYTES) + (3 * Long.BYTES + 1 + Integer.BYTES);

	// Type codes are explicit rather than ordinals or class names, so renaming or reordering the
	// message types changes no byte on the wire. 0 is not a code, so zeroed bytes never decode.
	static final byte TYPE_REQUEST = 1;

	static final byte TYPE_REPLY = 2;

	static final byte TYPE_PREPARE = 10;

	static final byte TYPE_PREPARE_OK = 11;

	static final byte TYPE_COMMIT = 12;

	static final byte TYPE_START_VIEW_CHANGE = 13;

	static final byte TYPE_DO_VIEW_CHANGE = 14;

	static final byte TYPE_START_VIEW = 15;

	static final byte TYPE_REQUEST_START_VIEW = 16;

	static final byte TYPE_REQUEST_PREPARES = 17;

	static final byte TYPE_PREPARES = 18;

	static final byte TYPE_SNAPSHOT_CHUNK = 19;

	static final byte TYPE_RECOVERY = 20;

	static final byte TYPE_RECOVERY_RESPONSE = 21;

	static final byte TYPE_START_EPOCH = 22;

	// Enum codes are explicit for the same reason as type codes; the operation codes are the
	// ones the log entry format uses, so a request looks the same on the wire and on disk.
	private static final byte OPERATION_REGISTER = 1;

	private static final byte OPERATION_COMMAND = 2;

	private static final byte OPERATION_RECONFIGURE = 3;

	private static final byte STATUS_OK = 1;

	private static final byte STATUS_SESSION_EVICTED = 2;

	private MessageCodec() {
	}

	/**
	 * Encodes {@code message}.
	 * @param message the message
	 * @return its bytes
	 * @throws IllegalArgumentException when the message exceeds one of the limits of this format
	 */
	public static byte[] encode(Message message) {
		MessageWriter out = new MessageWriter().putByte(VERSION);
		if (message instanceof Request request) {
			out.putByte(TYPE_REQUEST)
				.putLong(request.clientId())
				.putLong(request.session())
				.putLong(request.requestNumber())
				.putByte(operationCode(request.operation()))
				.putBytes(request.body(), BODY_SIZE_BYTES_MAX, "a request body");
		}
		else if (message instanceof Reply reply) {
			out.putByte(TYPE_REPLY)
				.putLong(reply.view())
				.putInt(reply.replica())
				.putLong(reply.clientId())
				.putLong(reply.session())
				.putLong(reply.requestNumber())
				.putLong(reply.op())
				.putByte(statusCode(reply.status()))
				.putBytes(reply.result(), RESULT_SIZE_BYTES_MAX, "a reply result");
		}
		else if (message instanceof ReplicaMessage replicaMessage) {
			encodeReplicaMessage(replicaMessage, out);
		}
		else {
			throw new IllegalArgumentException("No encoding for " + message.getClass().getName());
		}
		return out.toByteArray(MESSAGE_SIZE_BYTES_MAX);
	}

	/**
	 * Decodes the one message held by the remaining bytes of {@code source}; on success its
	 * position advances to its limit.
	 * @param source the bytes of exactly one message
	 * @return the message
	 * @throws MalformedMessageException when the bytes are not one message of this format
	 */
	public static Message decode(ByteBuffer source) {
		if (source.remaining() > MESSAGE_SIZE_BYTES_MAX) {
			throw new MalformedMessageException("Malformed message at offset 0: " + source.remaining()
					+ " bytes, more than the " + MESSAGE_SIZE_BYTES_MAX + " bytes a message may have");
		}
		MessageReader in = new MessageReader(source);
		byte version = in.readByte("the format version");
		if (version != VERSION) {
			throw in.malformed(0, "format version " + version + ", this release reads only version " + VERSION
					+ ": the peer runs another release of Viewstamp, or the bytes are not a message");
		}
		byte type = in.readByte("the message type");
		Message message = switch (type) {
			case TYPE_REQUEST -> decodeRequest(named(in, "Request"));
			case TYPE_REPLY -> decodeReply(named(in, "Reply"));
			case TYPE_PREPARE -> new Prepare(named(in, "Prepare").readLong("view"), in.readInt("replica"),
					in.readLong("commit"), in.readEntry("the entry"));
			case TYPE_PREPARE_OK -> new PrepareOk(named(in, "PrepareOk").readLong("view"), in.readInt("replica"),
					in.readLong("op"), in.readLong("checksum"));
			case TYPE_COMMIT -> new Commit(named(in, "Commit").readLong("view"), in.readInt("replica"),
					in.readLong("commit"), in.readLong("commitChecksum"));
			case TYPE_START_VIEW_CHANGE -> new StartViewChange(named(in, "StartViewChange").readLong("view"),
					in.readInt("replica"));
			case TYPE_DO_VIEW_CHANGE -> new DoViewChange(named(in, "DoViewChange").readLong("view"),
					in.readInt("replica"), in.readLong("logView"), in.readLong("op"), in.readLong("headChecksum"),
					in.readLong("commit"), in.readFlag("complete"), in.readEntries(ENTRIES_PER_MESSAGE_MAX));
			case TYPE_START_VIEW -> new StartView(named(in, "StartView").readLong("view"), in.readInt("replica"),
					in.readLong("op"), in.readLong("headChecksum"), in.readLong("commit"),
					in.readEntries(ENTRIES_PER_MESSAGE_MAX));
			case TYPE_REQUEST_START_VIEW -> new RequestStartView(named(in, "RequestStartView").readLong("view"),
					in.readInt("replica"));
			case TYPE_REQUEST_PREPARES -> new RequestPrepares(named(in, "RequestPrepares").readLong("view"),
					in.readInt("replica"), in.readLong("fromOp"), in.readLong("anchorOp"), in.readLong("anchorChecksum"));
			case TYPE_PREPARES -> new Prepares(named(in, "Prepares").readLong("view"), in.readInt("replica"),
					in.readLong("anchorOp"), in.readLong("anchorChecksum"), in.readEntries(ENTRIES_PER_MESSAGE_MAX));
			case TYPE_SNAPSHOT_CHUNK -> new SnapshotChunk(named(in, "SnapshotChunk").readLong("view"),
					in.readInt("replica"), in.readLong("anchorOp"), in.readLong("anchorChecksum"),
					in.readLong("snapshotOp"), in.readLong("snapshotChecksum"), in.readLong("snapshotTimestamp"),
					in.readLong("contentChecksum"), in.readInt("contentBytes"), in.readInt("offset"),
					in.readBytes(SNAPSHOT_CHUNK_SIZE_BYTES_MAX, "the snapshot bytes"));
			case TYPE_RECOVERY -> new Recovery(named(in, "Recovery").readLong("view"), in.readInt("replica"),
					in.readLong("nonce"));
			case TYPE_RECOVERY_RESPONSE -> new RecoveryResponse(named(in, "RecoveryResponse").readLong("view"),
					in.readInt("replica"), in.readLong("nonce"), in.readLong("op"), in.readLong("headChecksum"),
					in.readLong("commit"), configuration(in));
			case TYPE_START_EPOCH -> new StartEpoch(named(in, "StartEpoch").readLong("view"), in.readInt("replica"),
					configuration(in));
			default -> throw in.malformed(1, "unknown message type " + type);
		};
		in.requireEnd();
		source.position(source.limit());
		return message;
	}

	// Java 17 has no pattern matching in switch, so the subtypes are told apart by instanceof; a
	// subtype missing here fails its round-trip test, which every permitted subtype must have.
	private static void encodeReplicaMessage(ReplicaMessage message, MessageWriter out) {
		if (message instanceof Prepare prepare) {
			header(out, TYPE_PREPARE, message).putLong(prepare.commit()).putEntry(prepare.entry());
		}
		else if (message instanceof PrepareOk prepareOk) {
			header(out, TYPE_PREPARE_OK, message).putLong(prepareOk.op()).putLong(prepareOk.checksum());
		}
		else if (message instanceof Commit commit) {
			header(out, TYPE_COMMIT, message).putLong(commit.commit()).putLong(commit.commitChecksum());
		}
		else if (message instanceof StartViewChange) {
			header(out, TYPE_START_VIEW_CHANGE, message);
		}
		else if (message instanceof DoViewChange doViewChange) {
			header(out, TYPE_DO_VIEW_CHANGE, message).putLong(doViewChange.logView())
				.putLong(doViewChange.op())
				.putLong(doViewChange.headChecksum())
				.putLong(doViewChange.commit())
				.putFlag(doViewChange.complete())
				.putEntries(doViewChange.entries(), ENTRIES_PER_MESSAGE_MAX);
		}
		else if (message instanceof StartView startView) {
			header(out, TYPE_START_VIEW, message).putLong(startView.op())
				.putLong(startView.headChecksum())
				.putLong(startView.commit())
				.putEntries(startView.entries(), ENTRIES_PER_MESSAGE_MAX);
		}
		else if (message instanceof RequestStartView) {
			header(out, TYPE_REQUEST_START_VIEW, message);
		}
		else if (message instanceof RequestPrepares requestPrepares) {
			header(out, TYPE_REQUEST_PREPARES, message).putLong(requestPrepares.fromOp())
				.putLong(requestPrepares.anchorOp())
				.putLong(requestPrepares.anchorChecksum());
		}
		else if (message instanceof Prepares prepares) {
			header(out, TYPE_PREPARES, message).putLong(prepares.anchorOp())
				.putLong(prepares.anchorChecksum())
				.putEntries(prepares.entries(), ENTRIES_PER_MESSAGE_MAX);
		}
		else if (message instanceof SnapshotChunk chunk) {
			header(out, TYPE_SNAPSHOT_CHUNK, message).putLong(chunk.anchorOp())
				.putLong(chunk.anchorChecksum())
				.putLong(chunk.snapshotOp())
				.putLong(chunk.snapshotChecksum())
				.putLong(chunk.snapshotTimestamp())
				.putLong(chunk.contentChecksum())
				.putInt(chunk.contentBytes())
				.putInt(chunk.offset())
				.putBytes(chunk.bytes(), SNAPSHOT_CHUNK_SIZE_BYTES_MAX, "a snapshot chunk");
		}
		else if (message instanceof Recovery recovery) {
			header(out, TYPE_RECOVERY, message).putLong(recovery.nonce());
		}
		else if (message instanceof RecoveryResponse response) {
			header(out, TYPE_RECOVERY_RESPONSE, message).putLong(response.nonce())
				.putLong(response.op())
				.putLong(response.headChecksum())
				.putLong(response.commit());
			putConfiguration(out, response.configuration());
		}
		else if (message instanceof StartEpoch startEpoch) {
			putConfiguration(header(out, TYPE_START_EPOCH, message), startEpoch.configuration());
		}
		else {
			throw new IllegalArgumentException("No encoding for " + message.getClass().getName());
		}
	}

	/** The type code and the two fields every replica message starts with. */
	private static MessageWriter header(MessageWriter out, byte type, ReplicaMessage message) {
		return out.putByte(type).putLong(message.view()).putInt(message.replica());
	}

	private static Request decodeRequest(MessageReader in) {
		long clientId = in.readLong("clientId");
		long session = in.readLong("session");
		int requestNumberOffset = in.offset();
		long requestNumber = in.readLong("requestNumber");
		Operation operation = operation(in);
		byte[] body = in.readBytes(BODY_SIZE_BYTES_MAX, "the body");
		try {
			return new Request(clientId, session, requestNumber, operation, body);
		}
		catch (IllegalStateException ex) {
			throw in.malformed(requestNumberOffset, "values no request can have: " + ex.getMessage(), ex);
		}
	}

	private static Reply decodeReply(MessageReader in) {
		return new Reply(in.readLong("view"), in.readInt("replica"), in.readLong("clientId"), in.readLong("session"),
				in.readLong("requestNumber"), in.readLong("op"), status(in),
				in.readBytes(RESULT_SIZE_BYTES_MAX, "the result"));
	}

	private static void putConfiguration(MessageWriter out, Configuration configuration) {
		out.putLong(configuration.epoch())
			.putInt(configuration.members())
			.putLong(configuration.startOp())
			.putLong(configuration.startChecksum());
		ByteBuffer addresses = ByteBuffer.allocate(configuration.addressesSizeBytes());
		configuration.putAddresses(addresses);
		out.putBytes(addresses.array(), ADDRESSES_SIZE_BYTES_MAX, "the configuration's addresses");
	}

	private static Configuration configuration(MessageReader in) {
		int offset = in.offset();
		long epoch = in.readLong("the configuration's epoch");
		int members = in.readInt("the configuration's members");
		long startOp = in.readLong("the configuration's start op");
		long startChecksum = in.readLong("the configuration's start checksum");
		if (epoch < 0 || epoch > Configuration.EPOCH_MAX || members == 0 || (members >>> Cluster.REPLICAS_MAX) != 0
				|| startOp < 0) {
			throw in.malformed(offset, "configuration of epoch " + epoch + " with members " + Integer.toBinaryString(members)
					+ " started at op " + startOp + ": an epoch is 0.." + Configuration.EPOCH_MAX + ", members a non-empty "
					+ "set of 0.." + (Cluster.REPLICAS_MAX - 1) + " and a start op not negative");
		}
		Configuration configuration = Configuration.of(epoch, members, startOp, startChecksum);
		int addressesOffset = in.offset();
		byte[] addresses = in.readBytes(ADDRESSES_SIZE_BYTES_MAX, "the configuration's addresses");
		try {
			ByteBuffer addressesIn = ByteBuffer.wrap(addresses);
			// The addresses are read strictly (no UTF-8, no address), so they encode back to the same bytes;
			// anything left over is no address either.
			Configuration addressed = configuration.withAddressesFrom(addressesIn);
			if (!addressesIn.hasRemaining()) {
				return addressed;
			}
		}
		catch (BufferUnderflowException | IllegalArgumentException ex) {
			// Reported below, as any other shape the members' addresses can not have.
		}
		throw in.malformed(addressesOffset, "the configuration's addresses (" + addresses.length + " bytes) are not "
				+ Integer.bitCount(members) + " UTF-8 addresses, one per member, each a u8 length and its bytes");
	}

	private static MessageReader named(MessageReader in, String messageName) {
		in.nameMessage(messageName);
		return in;
	}

	private static byte operationCode(Operation operation) {
		return switch (operation) {
			case REGISTER -> OPERATION_REGISTER;
			case COMMAND -> OPERATION_COMMAND;
			case RECONFIGURE -> OPERATION_RECONFIGURE;
		};
	}

	private static Operation operation(MessageReader in) {
		int offset = in.offset();
		byte code = in.readByte("the operation");
		return switch (code) {
			case OPERATION_REGISTER -> Operation.REGISTER;
			case OPERATION_COMMAND -> Operation.COMMAND;
			case OPERATION_RECONFIGURE -> Operation.RECONFIGURE;
			default -> throw in.malformed(offset, "unknown operation code " + code);
		};
	}

	private static byte statusCode(ReplyStatus status) {
		return switch (status) {
			case OK -> STATUS_OK;
			case SESSION_EVICTED -> STATUS_SESSION_EVICTED;
		};
	}

	private static ReplyStatus status(MessageReader in) {
		int offset = in.offset();
		byte code = in.readByte("the status");
		return switch (code) {
			case STATUS_OK -> ReplyStatus.OK;
			case STATUS_SESSION_EVICTED -> ReplyStatus.SESSION_EVICTED;
			default -> throw in.malformed(offset, "unknown reply status code " + code);
		};
	}

}
