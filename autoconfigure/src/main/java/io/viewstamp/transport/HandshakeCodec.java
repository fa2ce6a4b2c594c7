package io.viewstamp.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import io.viewstamp.transport.Handshake.Accepted;
import io.viewstamp.transport.Handshake.Hello;
import io.viewstamp.transport.Handshake.Proven;
import io.viewstamp.transport.Handshake.Refused;

/**
 * The bytes of a {@link Handshake}, carried as the payload of one {@link Frame} like every message.
 * Explicit, versioned and little-endian:
 *
 * <pre>
 * handshake := magic u32 (0x52545356, the bytes "VSTR") | handshake version u8 | message version u8 | kind u8 | body
 * Hello    (kind 1, dialer to acceptor) := cluster id i64 | dialer index i32 | acceptor index i32
 *                                         | authenticated u8 (0 or 1) | nonce, 16 bytes | holds data u8 (0 or 1)
 *                                         | commands
 * Accepted (kind 2, acceptor to dialer) := cluster id i64 | acceptor index i32 | nonce, 16 bytes
 *                                         | proof, 32 bytes (zeros without a secret) | holds data u8 (0 or 1)
 *                                         | commands
 * commands := count u16 (at most 4096) | fingerprint u64, strictly ascending, count times
 * Refused  (kind 3, either way)         := reason length u16 | reason, UTF-8, at most 1024 bytes
 * Proven   (kind 4, dialer to acceptor) := proof, 32 bytes (only with a secret)
 * </pre>
 *
 * <p>The proofs are {@link PeerSecret}'s HMACs over both nonces; version 2 added them. Version 3
 * added whether each end's data directory holds a replica's state, which a replica without data
 * asks of every member before it forms a new cluster (or recovers, when one holds data). Version 4
 * added the {@link CommandCatalog} of each end's application, which a replica checks a command
 * against before it submits it, so that a rolling upgrade never hands a replica a command it lacks.
 *
 * <p>The handshake version is {@link #VERSION}; the message version is {@link MessageCodec#VERSION},
 * so that replicas whose messages would not decode refuse each other at once, with a reason, rather
 * than at their first message. The magic tells a replica from anything else that may dial its port.
 * A hello's acceptor index is the index the dialer believes it dials: a mismatch means the two peer
 * lists are in different orders. The layout up to the kind and the layout of Refused never change,
 * so a replica of any release can read why it was refused.
 */
final class HandshakeCodec {

	/** The first four bytes of every handshake frame: "VSTR" little-endian. */
	static final int MAGIC = 0x52545356;

	/** The version of this handshake format; a reader refuses any other. */
	static final byte VERSION = 4;

	/** The longest reason a refusal carries; a longer one is cut. */
	static final int REASON_SIZE_BYTES_MAX = 1024;

	/** Magic, two versions and the kind, before every body. */
	static final int PREFIX_SIZE_BYTES = Integer.BYTES + 3;

	/** The largest command catalog, its count and fingerprints. */
	private static final int COMMANDS_SIZE_BYTES_MAX = Short.BYTES + CommandCatalog.COMMANDS_MAX * Long.BYTES;

	static final byte KIND_HELLO = 1;

	static final byte KIND_ACCEPTED = 2;

	static final byte KIND_REFUSED = 3;

	static final byte KIND_PROVEN = 4;

	private static final int HELLO_BODY_SIZE_BYTES = Long.BYTES + 2 * Integer.BYTES + 1 + PeerSecret.NONCE_SIZE_BYTES
			+ 1;

	private static final int ACCEPTED_BODY_SIZE_BYTES = Long.BYTES + Integer.BYTES + PeerSecret.NONCE_SIZE_BYTES
			+ PeerSecret.PROOF_SIZE_BYTES + 1;

	/**
	 * The largest handshake payload, an acceptance with the largest catalog; a frame claiming more is
	 * refused before it is read.
	 */
	static final int HANDSHAKE_SIZE_BYTES_MAX = PREFIX_SIZE_BYTES
			+ Math.max(ACCEPTED_BODY_SIZE_BYTES + COMMANDS_SIZE_BYTES_MAX, Short.BYTES + REASON_SIZE_BYTES_MAX);

	private HandshakeCodec() {
	}

	/**
	 * Encodes {@code handshake}; a refusal's reason is cut to {@link #REASON_SIZE_BYTES_MAX} bytes.
	 * @param handshake the handshake
	 * @return its bytes, to be framed
	 */
	static byte[] encode(Handshake handshake) {
		if (handshake instanceof Hello hello) {
			ByteBuffer out = prefix(KIND_HELLO, HELLO_BODY_SIZE_BYTES + commandsSize(hello.commands()))
				.putLong(hello.clusterId())
				.putInt(hello.dialer())
				.putInt(hello.acceptor())
				.put(hello.authenticated() ? (byte) 1 : (byte) 0)
				.put(sized(hello.nonce(), PeerSecret.NONCE_SIZE_BYTES, "nonce"))
				.put(hello.holdsData() ? (byte) 1 : (byte) 0);
			return putCommands(out, hello.commands()).array();
		}
		if (handshake instanceof Accepted accepted) {
			ByteBuffer out = prefix(KIND_ACCEPTED, ACCEPTED_BODY_SIZE_BYTES + commandsSize(accepted.commands()))
				.putLong(accepted.clusterId())
				.putInt(accepted.acceptor())
				.put(sized(accepted.nonce(), PeerSecret.NONCE_SIZE_BYTES, "nonce"))
				.put(sized(accepted.proof(), PeerSecret.PROOF_SIZE_BYTES, "proof"))
				.put(accepted.holdsData() ? (byte) 1 : (byte) 0);
			return putCommands(out, accepted.commands()).array();
		}
		if (handshake instanceof Proven proven) {
			return prefix(KIND_PROVEN, PeerSecret.PROOF_SIZE_BYTES)
				.put(sized(proven.proof(), PeerSecret.PROOF_SIZE_BYTES, "proof"))
				.array();
		}
		byte[] reason = reasonBytes(((Refused) handshake).reason());
		return prefix(KIND_REFUSED, Short.BYTES + reason.length).putShort((short) reason.length).put(reason).array();
	}

	/**
	 * Decodes one handshake payload.
	 * @param payload the payload of one frame
	 * @return the handshake
	 * @throws MalformedMessageException when the bytes are not a handshake this release reads; the
	 * message says why in words fit for a refusal
	 */
	static Handshake decode(byte[] payload) {
		ByteBuffer in = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
		if (payload.length < PREFIX_SIZE_BYTES || in.getInt() != MAGIC) {
			throw new MalformedMessageException("the first frame is not a Viewstamp handshake: the peer is not a "
					+ "Viewstamp replica, check that the peer list names the replicas' transport ports");
		}
		byte handshakeVersion = in.get();
		byte messageVersion = in.get();
		byte kind = in.get();
		// Refusals are read whatever the versions, so that a replica always learns why it was refused.
		if (kind == KIND_REFUSED) {
			return decodeRefused(in);
		}
		if (handshakeVersion != VERSION || messageVersion != MessageCodec.VERSION) {
			throw new IncompatibleVersionException("the peer speaks handshake version " + handshakeVersion
					+ " and message version " + messageVersion + ", this replica speaks " + VERSION + " and "
					+ MessageCodec.VERSION + ": run the same Viewstamp release on every replica");
		}
		if (kind == KIND_HELLO) {
			requireAtLeast(in, HELLO_BODY_SIZE_BYTES + Short.BYTES, "hello");
			long clusterId = in.getLong();
			int dialer = in.getInt();
			int acceptor = in.getInt();
			byte authenticated = in.get();
			if (authenticated != 0 && authenticated != 1) {
				throw new MalformedMessageException("the handshake hello's authenticated flag is " + authenticated
						+ ", not 0 or 1");
			}
			byte[] nonce = bytes(in, PeerSecret.NONCE_SIZE_BYTES);
			boolean holdsData = flag(in, "hello's holds-data");
			return new Hello(clusterId, dialer, acceptor, authenticated == 1, nonce, holdsData, commands(in, "hello"));
		}
		if (kind == KIND_ACCEPTED) {
			requireAtLeast(in, ACCEPTED_BODY_SIZE_BYTES + Short.BYTES, "acceptance");
			long clusterId = in.getLong();
			int acceptor = in.getInt();
			byte[] nonce = bytes(in, PeerSecret.NONCE_SIZE_BYTES);
			byte[] proof = bytes(in, PeerSecret.PROOF_SIZE_BYTES);
			boolean holdsData = flag(in, "acceptance's holds-data");
			return new Accepted(clusterId, acceptor, nonce, proof, holdsData, commands(in, "acceptance"));
		}
		if (kind == KIND_PROVEN) {
			requireBody(in, PeerSecret.PROOF_SIZE_BYTES, "proof");
			return new Proven(bytes(in, PeerSecret.PROOF_SIZE_BYTES));
		}
		throw new MalformedMessageException("the handshake has unknown kind " + kind);
	}

	private static int commandsSize(CommandCatalog commands) {
		return Short.BYTES + commands.size() * Long.BYTES;
	}

	private static ByteBuffer putCommands(ByteBuffer out, CommandCatalog commands) {
		out.putShort((short) commands.size());
		for (long fingerprint : commands.fingerprints()) {
			out.putLong(fingerprint);
		}
		return out;
	}

	/** The catalog that ends a hello or an acceptance: nothing may follow it. */
	private static CommandCatalog commands(ByteBuffer in, String what) {
		int count = Short.toUnsignedInt(in.getShort());
		if (count > CommandCatalog.COMMANDS_MAX || in.remaining() != count * Long.BYTES) {
			throw new MalformedMessageException("the handshake " + what + " advertises " + count + " commands (at most "
					+ CommandCatalog.COMMANDS_MAX + "), and " + in.remaining() + " bytes follow, not " + count * Long.BYTES);
		}
		long[] fingerprints = new long[count];
		for (int i = 0; i < count; i++) {
			fingerprints[i] = in.getLong();
		}
		return CommandCatalog.ofFingerprints(fingerprints);
	}

	private static ByteBuffer prefix(byte kind, int bodySizeBytes) {
		return ByteBuffer.allocate(PREFIX_SIZE_BYTES + bodySizeBytes)
			.order(ByteOrder.LITTLE_ENDIAN)
			.putInt(MAGIC)
			.put(VERSION)
			.put(MessageCodec.VERSION)
			.put(kind);
	}

	private static byte[] sized(byte[] bytes, int sizeBytes, String what) {
		if (bytes.length != sizeBytes) {
			throw new IllegalArgumentException("A handshake " + what + " has " + sizeBytes + " bytes, not " + bytes.length);
		}
		return bytes;
	}

	private static byte[] bytes(ByteBuffer in, int sizeBytes) {
		byte[] bytes = new byte[sizeBytes];
		in.get(bytes);
		return bytes;
	}

	private static boolean flag(ByteBuffer in, String what) {
		byte flag = in.get();
		if (flag != 0 && flag != 1) {
			throw new MalformedMessageException("the handshake " + what + " flag is " + flag + ", not 0 or 1");
		}
		return flag == 1;
	}

	private static void requireBody(ByteBuffer in, int sizeBytes, String what) {
		if (in.remaining() != sizeBytes) {
			throw new MalformedMessageException("the handshake " + what + " has " + in.remaining() + " bytes after its "
					+ "kind, not the " + sizeBytes + " of its format");
		}
	}

	private static void requireAtLeast(ByteBuffer in, int sizeBytes, String what) {
		if (in.remaining() < sizeBytes) {
			throw new MalformedMessageException("the handshake " + what + " has " + in.remaining() + " bytes after its "
					+ "kind, fewer than the " + sizeBytes + " of its format before its commands");
		}
	}

	private static Refused decodeRefused(ByteBuffer in) {
		if (in.remaining() < Short.BYTES) {
			throw new MalformedMessageException("the handshake refusal is truncated before its reason length");
		}
		int length = Short.toUnsignedInt(in.getShort());
		if (length > REASON_SIZE_BYTES_MAX || length != in.remaining()) {
			throw new MalformedMessageException("the handshake refusal claims a reason of " + length + " bytes, but "
					+ in.remaining() + " follow (at most " + REASON_SIZE_BYTES_MAX + " allowed)");
		}
		byte[] reason = new byte[length];
		in.get(reason);
		return new Refused(printable(new String(reason, StandardCharsets.UTF_8)));
	}

	private static byte[] reasonBytes(String reason) {
		byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
		if (bytes.length <= REASON_SIZE_BYTES_MAX) {
			return bytes;
		}
		// A UTF-16 char takes at most 3 bytes in UTF-8, so this many chars always fit.
		return reason.substring(0, REASON_SIZE_BYTES_MAX / 3).getBytes(StandardCharsets.UTF_8);
	}

	/** Replaces control characters, so that a peer's reason cannot forge lines in this replica's log. */
	private static String printable(String text) {
		StringBuilder result = new StringBuilder(text.length());
		text.codePoints().forEach((codePoint) -> result.appendCodePoint(Character.isISOControl(codePoint) ? '?' : codePoint));
		return result.toString();
	}

	/** The peer runs a release whose handshake or messages this one does not read. */
	static final class IncompatibleVersionException extends MalformedMessageException {

		private static final long serialVersionUID = 1L;

		IncompatibleVersionException(String message) {
			super(message);
		}

	}

}
