package io.viewstamp.vsr;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Client sessions, as TigerBeetle keeps them: a client registers through a committed op whose
 * number becomes its session; every later request names that session. The table remembers each
 * client's last request number and reply, so a resend is answered without applying the command
 * twice. It is bounded: registering one client too many evicts the least recently committed one,
 * the same one on every replica, because the table changes only when ops commit, in op order.
 */
final class ClientTable {

	private final int clientsMax;

	/** Sessions in the order of their last commit, oldest first: the eviction order. */
	private final LinkedHashMap<Long, Session> sessions = new LinkedHashMap<>();

	ClientTable(int clientsMax) {
		this.clientsMax = clientsMax;
	}

	/** A client's session: its number, its last committed request and the reply to it. */
	static final class Session {

		final long session;

		/** The incarnation the client process named when it registered. */
		final long incarnation;

		long requestNumber;

		/** The reply to {@link #requestNumber}, {@code null} while its result is being computed. */
		@Nullable Reply reply;

		Session(long session, long incarnation, Reply reply) {
			this.session = session;
			this.incarnation = incarnation;
			this.reply = reply;
		}

	}

	@Nullable Session get(long clientId) {
		return this.sessions.get(clientId);
	}

	int size() {
		return this.sessions.size();
	}

	/**
	 * Opens a new session for {@code clientId} at {@code op}, replacing any earlier one of the same
	 * client (a client that restarted with its old id must not inherit its old request numbers).
	 * @return the client evicted to make room, or {@code null}
	 */
	@Nullable Long register(long clientId, long incarnation, long op, Reply reply) {
		Long evicted = null;
		this.sessions.remove(clientId);
		if (this.sessions.size() >= this.clientsMax) {
			Iterator<Map.Entry<Long, Session>> oldest = this.sessions.entrySet().iterator();
			evicted = oldest.next().getKey();
			oldest.remove();
		}
		this.sessions.put(clientId, new Session(op, incarnation, reply));
		Invariants.check(this.sessions.size() <= this.clientsMax, "client table over its bound");
		return evicted;
	}

	/**
	 * The table as bytes, for a snapshot: sessions in eviction order, each with its last request
	 * and reply. Equal tables give equal bytes.
	 */
	byte[] encode() {
		int size = Integer.BYTES;
		for (Session session : this.sessions.values()) {
			Invariants.check(session.reply != null, "a client table is encoded while a result is pending");
			size += 6 * Long.BYTES + 2 * Integer.BYTES + session.reply.result().length;
		}
		ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
		buffer.putInt(this.sessions.size());
		for (Map.Entry<Long, Session> entry : this.sessions.entrySet()) {
			Session session = entry.getValue();
			Reply reply = Objects.requireNonNull(session.reply, "checked above");
			buffer.putLong(entry.getKey()).putLong(session.session).putLong(session.incarnation)
				.putLong(session.requestNumber);
			buffer.putLong(reply.requestNumber()).putLong(reply.op()).putInt(reply.status().ordinal());
			buffer.putInt(reply.result().length).put(reply.result());
		}
		return buffer.array();
	}

	/**
	 * Replaces the table with one encoded by {@link #encode()}; the stored replies are rebuilt as
	 * this replica's ({@code replica}), their view filled in when they are sent again.
	 */
	void decode(byte[] bytes, int replica) {
		ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
		try {
			int count = buffer.getInt();
			Invariants.check(count >= 0 && count <= this.clientsMax, "client table of %d sessions exceeds %d", count,
					this.clientsMax);
			this.sessions.clear();
			for (int index = 0; index < count; index++) {
				long clientId = buffer.getLong();
				long sessionNumber = buffer.getLong();
				long incarnation = buffer.getLong();
				long requestNumber = buffer.getLong();
				long replyRequestNumber = buffer.getLong();
				long replyOp = buffer.getLong();
				ReplyStatus status = ReplyStatus.values()[buffer.getInt()];
				int resultLength = buffer.getInt();
				Invariants.check(resultLength >= 0 && resultLength <= buffer.remaining(), "client table truncated");
				byte[] result = new byte[resultLength];
				buffer.get(result);
				Session session = new Session(sessionNumber, incarnation, new Reply(0, replica, clientId, sessionNumber,
						replyRequestNumber, replyOp, status, result));
				session.requestNumber = requestNumber;
				this.sessions.put(clientId, session);
			}
			Invariants.check(!buffer.hasRemaining(), "client table has %d trailing bytes", buffer.remaining());
		}
		catch (BufferUnderflowException | ArrayIndexOutOfBoundsException ex) {
			throw new Invariants.InvariantViolation("client table bytes are malformed: " + ex);
		}
	}

	/**
	 * Stores the reply of a request that {@link #commit} recorded while its result was still being
	 * computed ({@code null} reply then), so that a resend gets it from now on. Nothing is stored
	 * when the session has moved on meanwhile: evicted by a register in a later op, or at a newer
	 * request of its client, whose reply is the one to keep.
	 */
	void fillReply(long clientId, long session, long requestNumber, Reply reply) {
		Session current = this.sessions.get(clientId);
		if (current == null || current.session != session || current.requestNumber != requestNumber) {
			return;
		}
		Invariants.check(current.reply == null, "request %d of client %x has a reply already", requestNumber, clientId);
		current.reply = reply;
	}

	/** Records a committed request and moves its session to the back of the eviction order. */
	void commit(long clientId, long requestNumber, @Nullable Reply reply) {
		Session session = this.sessions.remove(clientId);
		Invariants.check(session != null, "commit for client %x without a session", clientId);
		Invariants.check(requestNumber == session.requestNumber + 1, "request %d of client %x follows %d", requestNumber,
				clientId, session.requestNumber);
		session.requestNumber = requestNumber;
		session.reply = reply;
		this.sessions.put(clientId, session);
	}

}
