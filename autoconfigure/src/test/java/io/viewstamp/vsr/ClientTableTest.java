package io.viewstamp.vsr;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The client table every replica keeps the same way: sessions opened by a committed register,
 * a bound that evicts the least recently committed session, replies kept for resends, and
 * snapshots that rebuild it exactly.
 */
class ClientTableTest {

	@Test
	void whenTheTableIsFullARegisterEvictsTheSessionLeastRecentlyCommittedTo() {
		ClientTable table = new ClientTable(2);
		table.register(1, 11, 1, reply(1, 1, 0, 1));
		table.register(2, 22, 2, reply(2, 2, 0, 2));
		table.commit(1, 1, reply(1, 1, 1, 3));

		Long evicted = table.register(3, 33, 4, reply(3, 4, 0, 4));

		assertThat(evicted).as("client 2 committed least recently").isEqualTo(2);
		assertThat(table.get(2)).isNull();
		assertThat(table.get(1).requestNumber).isEqualTo(1);
		assertThat(table.size()).isEqualTo(2);
	}

	@Test
	void aClientThatRegistersAgainGetsANewSessionWithoutItsOldRequestNumbers() {
		ClientTable table = new ClientTable(4);
		table.register(1, 11, 1, reply(1, 1, 0, 1));
		table.commit(1, 1, reply(1, 1, 1, 2));

		assertThat(table.register(1, 12, 5, reply(1, 5, 0, 5))).isNull();

		ClientTable.Session session = table.get(1);
		assertThat(session.session).isEqualTo(5);
		assertThat(session.incarnation).isEqualTo(12);
		assertThat(session.requestNumber).isZero();
	}

	@Test
	void requestsOfASessionCommitInOrderAndANumberOutOfOrderIsAnInvariantViolation() {
		ClientTable table = new ClientTable(4);
		table.register(1, 11, 1, reply(1, 1, 0, 1));
		table.commit(1, 1, reply(1, 1, 1, 2));

		assertThatExceptionOfType(Invariants.InvariantViolation.class).isThrownBy(() -> table.commit(1, 3, null))
			.withMessageContaining("request 3");
		assertThatExceptionOfType(Invariants.InvariantViolation.class).isThrownBy(() -> table.commit(9, 1, null))
			.withMessageContaining("without a session");
	}

	@Test
	void aReplyFilledLaterIsKeptOnlyWhileTheSessionIsStillAtThatRequest() {
		ClientTable table = new ClientTable(4);
		table.register(1, 11, 1, reply(1, 1, 0, 1));
		table.commit(1, 1, null);
		table.fillReply(1, 1, 1, reply(1, 1, 1, 2));
		assertThat(table.get(1).reply.op()).isEqualTo(2);

		table.commit(1, 2, null);
		table.fillReply(1, 1, 1, reply(1, 1, 1, 2));
		assertThat(table.get(1).reply).as("the session moved on to request 2").isNull();
	}

	@Test
	void aSnapshotRebuildsTheSameTableInTheSameEvictionOrder() {
		ClientTable table = new ClientTable(3);
		table.register(1, 11, 1, reply(1, 1, 0, 1));
		table.register(2, 22, 2, reply(2, 2, 0, 2));
		table.commit(1, 1, reply(1, 1, 1, 3));
		ClientTable restored = new ClientTable(3);
		restored.register(9, 99, 1, reply(9, 1, 0, 1));

		restored.decode(table.encode(), 2);

		assertThat(restored.encode()).isEqualTo(table.encode());
		assertThat(restored.get(9)).isNull();
		assertThat(restored.get(1).reply.replica()).as("replies are rebuilt as this replica's").isEqualTo(2);
		restored.register(3, 33, 4, reply(3, 4, 0, 4));
		assertThat(restored.register(4, 44, 5, reply(4, 5, 0, 5))).as("the eviction order survived").isEqualTo(2);
	}

	@Test
	void malformedSnapshotBytesAreAnInvariantViolationNotAnotherException() {
		ClientTable table = new ClientTable(3);
		table.register(1, 11, 1, reply(1, 1, 0, 1));
		byte[] bytes = table.encode();
		byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);

		assertThatExceptionOfType(Invariants.InvariantViolation.class).isThrownBy(() -> new ClientTable(3).decode(truncated, 0));
		assertThatExceptionOfType(Invariants.InvariantViolation.class)
			.isThrownBy(() -> new ClientTable(0).decode(bytes, 0))
			.withMessageContaining("exceeds");
	}

	private static Reply reply(long clientId, long session, long requestNumber, long op) {
		return new Reply(0, 0, clientId, session, requestNumber, op, ReplyStatus.OK, new byte[] { (byte) op });
	}

}
