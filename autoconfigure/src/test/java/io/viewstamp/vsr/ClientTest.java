package io.viewstamp.vsr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client's rules, driven by hand: where requests go, which replies count, when a caller is
 * answered, and what it is told when there is no answer. The simulator runs the same class under
 * faults; these tests pin each rule down on its own.
 */
class ClientTest {

	private static final Cluster CLUSTER = new Cluster(7, 3);

	private static final long RESEND_TICKS = 20;

	private static final long TIMEOUT_TICKS = 500;

	private final RecordingHost host = new RecordingHost();

	private final Client client = new Client(CLUSTER, 2, new ClientOptions(2, 4, RESEND_TICKS, TIMEOUT_TICKS), this.host,
			new SplittableRandom(1), new SplittableRandom(2));

	@Test
	void aCommandOpensASessionThenGoesToThePrimaryAndCompletesOnceAppliedHere() {
		this.client.localReplicaAt(4, true, 0);
		long ticket = this.client.submit(bytes("x"));
		Request register = this.host.lastSent();
		assertThat(register.operation()).isEqualTo(Operation.REGISTER);
		assertThat(this.host.lastTarget()).as("the primary of the local replica's view").isEqualTo(1);

		this.client.receive(registerReply(register, 4, 17));
		Request command = this.host.lastSent();
		assertThat(command.session()).isEqualTo(17);
		assertThat(command.requestNumber()).isEqualTo(1);
		assertThat(command.body()).isEqualTo(bytes("x"));

		assertThat(this.client.receive(reply(command, 4, 21, "done"))).isEqualTo(command);
		assertThat(this.host.outcomes).as("not applied on this replica yet").isEmpty();
		this.client.localReplicaAt(4, true, 20);
		assertThat(this.host.outcomes).isEmpty();
		this.client.localReplicaAt(4, true, 21);
		assertThat(this.host.outcomes).containsExactly(ticket + " completed op 21 done");
		assertThat(this.client.isIdle()).isTrue();
	}

	@Test
	void callersAreAnsweredInTheOrderTheirOpsAreAppliedHere() {
		long first = openAndSend("a");
		Request firstCommand = this.host.lastSent();
		long second = this.client.submit(bytes("b"));
		this.client.receive(registerReply(this.host.lastSent(), 0, 6));
		Request secondCommand = this.host.lastSent();
		this.client.receive(reply(secondCommand, 0, 30, "b done"));
		this.client.receive(reply(firstCommand, 0, 31, "a done"));
		this.client.localReplicaAt(0, true, 31);
		assertThat(this.host.outcomes).containsExactly(second + " completed op 30 b done", first + " completed op 31 a done");
	}

	@Test
	void aClientWithoutALocalReplicaCompletesOnTheReply() {
		Client remote = new Client(CLUSTER, Client.NO_LOCAL_REPLICA, new ClientOptions(1, 1, RESEND_TICKS, TIMEOUT_TICKS),
				this.host, new SplittableRandom(1), new SplittableRandom(2));
		long ticket = remote.submit(bytes("x"));
		remote.receive(registerReply(this.host.lastSent(), 0, 5));
		remote.receive(reply(this.host.lastSent(), 0, 9, "done"));
		assertThat(this.host.outcomes).containsExactly(ticket + " completed op 9 done");
	}

	@Test
	void aRegisterReplyThatDoesNotEchoThisIncarnationIsAPredecessorsAndIgnored() {
		this.client.submit(bytes("x"));
		Request register = this.host.lastSent();
		assertThat(this.client.receive(new Reply(0, 0, register.clientId(), 9, 0, 9, ReplyStatus.OK,
				longBytes(register.incarnation() + 1)))).isNull();
		tick(RESEND_TICKS);
		assertThat(this.host.lastSent()).as("still registering").isEqualTo(register);
	}

	@Test
	void aReplyForAnotherSessionOrRequestNumberIsIgnored() {
		openAndSend("x");
		Request command = this.host.lastSent();
		assertThat(this.client.receive(new Reply(0, 0, command.clientId(), command.session() + 1, command.requestNumber(),
				30, ReplyStatus.OK, bytes("other session")))).isNull();
		assertThat(this.client.receive(new Reply(0, 0, command.clientId(), command.session(), command.requestNumber() + 1,
				30, ReplyStatus.OK, bytes("other request")))).isNull();
		this.client.localReplicaAt(0, true, 100);
		assertThat(this.host.outcomes).isEmpty();
	}

	@Test
	void anUnansweredRequestIsResentUnchangedAndThenToTheOtherReplicas() {
		openAndSend("x");
		Request command = this.host.lastSent();
		List<Integer> targets = new ArrayList<>();
		for (int resend = 0; resend < 6; resend++) {
			tick(RESEND_TICKS);
			assertThat(this.host.lastSent()).isEqualTo(command);
			targets.add(this.host.lastTarget());
		}
		assertThat(targets).containsExactly(0, 0, 1, 1, 1, 2);
	}

	@Test
	void aReplyFromANewerViewMovesTheNextRequestsToItsPrimary() {
		openAndSend("x");
		this.client.receive(reply(this.host.lastSent(), 5, 30, "done"));
		this.client.submit(bytes("y"));
		assertThat(this.host.lastTarget()).isEqualTo(CLUSTER.primaryOf(5));
	}

	@Test
	void anEvictionFromAnOlderViewThanOneHeardFromIsIgnoredAndFromACurrentOneFailsTheCaller() {
		long first = openAndSend("x");
		this.client.receive(reply(this.host.lastSent(), 3, 30, "done"));
		long ticket = this.client.submit(bytes("y"));
		Request command = this.host.lastSent();
		assertThat(this.client.receive(new Reply(2, 2, command.clientId(), command.session(), command.requestNumber(), 0,
				ReplyStatus.SESSION_EVICTED, new byte[0]))).isNull();
		this.client.receive(new Reply(3, 0, command.clientId(), command.session(), command.requestNumber(), 0,
				ReplyStatus.SESSION_EVICTED, new byte[0]));
		this.client.localReplicaAt(3, true, 30);
		assertThat(this.host.outcomes).containsExactly(ticket + " failed SESSION_EVICTED", first + " completed op 30 done");
		assertThat(this.client.owns(command.clientId())).isFalse();
	}

	@Test
	void aCallerPastTheTimeoutIsToldTheOutcomeIsUnknownWhileTheSessionStillResends() {
		long ticket = openAndSend("x");
		Request command = this.host.lastSent();
		tick(TIMEOUT_TICKS);
		assertThat(this.host.outcomes).containsExactly(ticket + " failed OUTCOME_UNKNOWN");
		assertThat(this.host.lastSent()).as("the same request, so a late commit is deduplicated").isEqualTo(command);
		assertThat(this.client.isIdle()).as("the session still has its request in flight").isFalse();

		this.client.submit(bytes("y"));
		assertThat(this.host.lastSent().operation()).as("the second session opens for the next command")
			.isEqualTo(Operation.REGISTER);
		this.client.receive(reply(command, 0, 30, "late"));
		assertThat(this.host.outcomes).as("the late answer settles the session, and reaches no caller").hasSize(1);
	}

	@Test
	void aCommandThatNoSessionCouldCarryInTimeWasNotSent() {
		Client oneSession = new Client(CLUSTER, 2, new ClientOptions(1, 4, RESEND_TICKS, TIMEOUT_TICKS), this.host,
				new SplittableRandom(1), new SplittableRandom(2));
		long first = oneSession.submit(bytes("a"));
		oneSession.receive(registerReply(this.host.lastSent(), 0, 5));
		long second = oneSession.submit(bytes("b"));
		for (int tick = 0; tick < TIMEOUT_TICKS; tick++) {
			oneSession.tick();
		}
		assertThat(this.host.outcomes).containsExactly(first + " failed OUTCOME_UNKNOWN", second + " failed NOT_SENT");
	}

	@Test
	void aCommandCommittedButNotAppliedHereByTheTimeoutSaysItCommitted() {
		long ticket = openAndSend("x");
		this.client.receive(reply(this.host.lastSent(), 0, 40, "done"));
		this.client.localReplicaAt(0, true, 39);
		tick(TIMEOUT_TICKS);
		assertThat(this.host.outcomes).containsExactly(ticket + " failed COMMITTED_NOT_APPLIED at op 40");
	}

	@Test
	void aClientKeepsToItsRoomAndStopsEveryCaller() {
		for (int submission = 0; submission < 4; submission++) {
			this.client.submit(bytes("c" + submission));
		}
		assertThat(this.client.hasRoom()).isFalse();
		assertThatThrownBy(() -> this.client.submit(bytes("over"))).hasMessageContaining("without room");
		this.client.stop();
		assertThat(this.host.outcomes).containsExactly("1 failed STOPPED", "2 failed STOPPED", "3 failed STOPPED",
				"4 failed STOPPED");
		assertThat(this.client.hasRoom()).isFalse();
		assertThat(this.client.isStopped()).isTrue();
	}

	@Test
	void aHostThatCallsBackIntoItsClientIsRefused() {
		Client[] holder = new Client[1];
		ClientHost calling = new RecordingHost() {
			@Override
			public void send(int replica, Request request) {
				holder[0].tick();
			}
		};
		holder[0] = new Client(CLUSTER, 0, new ClientOptions(1, 1, RESEND_TICKS, TIMEOUT_TICKS), calling,
				new SplittableRandom(1), new SplittableRandom(2));
		assertThatThrownBy(() -> holder[0].submit(bytes("x"))).isInstanceOf(Invariants.InvariantViolation.class)
			.hasMessageContaining("called back");
	}

	private long openAndSend(String command) {
		long ticket = this.client.submit(bytes(command));
		this.client.receive(registerReply(this.host.lastSent(), 0, 5));
		return ticket;
	}

	private void tick(long ticks) {
		for (long tick = 0; tick < ticks; tick++) {
			this.client.tick();
		}
	}

	private static Reply registerReply(Request register, long view, long session) {
		return new Reply(view, CLUSTER.primaryOf(view), register.clientId(), session, 0, session, ReplyStatus.OK,
				longBytes(register.incarnation()));
	}

	private static Reply reply(Request request, long view, long op, String result) {
		return new Reply(view, CLUSTER.primaryOf(view), request.clientId(), request.session(), request.requestNumber(), op,
				ReplyStatus.OK, bytes(result));
	}

	private static byte[] longBytes(long value) {
		return ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** Records what the client sends and how each submission ends. */
	private static class RecordingHost implements ClientHost {

		final List<Request> sent = new ArrayList<>();

		final List<Integer> targets = new ArrayList<>();

		final List<String> outcomes = new ArrayList<>();

		@Override
		public void send(int replica, Request request) {
			this.sent.add(request);
			this.targets.add(replica);
		}

		@Override
		public void completed(long ticket, Reply reply) {
			this.outcomes.add(ticket + " completed op " + reply.op() + " " + new String(reply.result(), StandardCharsets.UTF_8));
		}

		@Override
		public void failed(long ticket, ClientFailure failure, long op) {
			this.outcomes.add(ticket + " failed " + failure + ((op != 0) ? " at op " + op : ""));
		}

		Request lastSent() {
			return this.sent.get(this.sent.size() - 1);
		}

		int lastTarget() {
			return this.targets.get(this.targets.size() - 1);
		}

	}

}
