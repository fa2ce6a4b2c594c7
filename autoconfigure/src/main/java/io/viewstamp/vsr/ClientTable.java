package io.viewstamp.vsr;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

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

		long requestNumber;

		Reply reply;

		Session(long session, Reply reply) {
			this.session = session;
			this.reply = reply;
		}

	}

	Session get(long clientId) {
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
	Long register(long clientId, long op, Reply reply) {
		Long evicted = null;
		this.sessions.remove(clientId);
		if (this.sessions.size() >= this.clientsMax) {
			Iterator<Map.Entry<Long, Session>> oldest = this.sessions.entrySet().iterator();
			evicted = oldest.next().getKey();
			oldest.remove();
		}
		this.sessions.put(clientId, new Session(op, reply));
		Invariants.check(this.sessions.size() <= this.clientsMax, "client table over its bound");
		return evicted;
	}

	/** Records a committed request and moves its session to the back of the eviction order. */
	void commit(long clientId, long requestNumber, Reply reply) {
		Session session = this.sessions.remove(clientId);
		Invariants.check(session != null, "commit for client %x without a session", clientId);
		Invariants.check(requestNumber == session.requestNumber + 1, "request %d of client %x follows %d", requestNumber,
				clientId, session.requestNumber);
		session.requestNumber = requestNumber;
		session.reply = reply;
		this.sessions.put(clientId, session);
	}

}
