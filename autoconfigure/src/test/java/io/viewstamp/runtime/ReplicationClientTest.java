package io.viewstamp.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.viewstamp.vsr.Operation;
import io.viewstamp.vsr.Reply;
import io.viewstamp.vsr.ReplyStatus;
import io.viewstamp.vsr.Request;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's rules, driven by hand on one thread with a clock the test moves: where requests go,
 * which replies count, and what a caller is told when there is no answer.
 */
class ReplicationClientTest {

	private static final Duration RESEND = Duration.ofMillis(200);

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final ScriptedReplica replica = new ScriptedReplica();

	private final ReplicationClient client = new ReplicationClient(this.replica,
			RuntimeOptions.defaults().withRequestTimeout(TIMEOUT).withClientSessionsMax(2), Runnable::run);

	@Test
	void aCommandOpensASessionThenGoesToThePrimaryAndCompletesOnceAppliedHere() {
		this.replica.view = 4;
		CompletableFuture<byte[]> future = this.client.submit(bytes("x"));
		Request register = this.replica.lastSent();
		assertThat(register.operation()).isEqualTo(Operation.REGISTER);
		assertThat(this.replica.lastTarget()).isEqualTo(1);

		this.client.onReply(registerReply(register, 4, 17));
		Request command = this.replica.lastSent();
		assertThat(command.session()).isEqualTo(17);
		assertThat(command.requestNumber()).isEqualTo(1);

		this.client.onReply(reply(command, 4, 21, "done"));
		assertThat(future).as("not applied on this replica yet").isNotDone();
		this.replica.applied = 21;
		this.client.completeApplied();
		assertThat(future.join()).isEqualTo(bytes("done"));
	}

	@Test
	void aResultThatThisReplicaDidNotComputeIsReportedAsDivergenceAndTheCallerGetsThePrimarys() {
		CompletableFuture<byte[]> future = openAndSend("x");
		Request command = this.replica.lastSent();
		this.replica.localResults.put(21L, bytes("local"));
		this.client.onReply(reply(command, 0, 21, "primary"));
		this.replica.applied = 21;
		this.client.completeApplied();
		assertThat(future.join()).isEqualTo(bytes("primary"));
		assertThat(this.replica.divergences).singleElement()
			.asString()
			.contains("op 21")
			.contains("diverged")
			.contains("restart it");
	}

	@Test
	void aStateCheckWhoseDigestDiffersFromThisReplicasIsReportedAsDivergenceOfState() {
		CompletableFuture<byte[]> check = this.client.checkState();
		this.client.onReply(registerReply(this.replica.lastSent(), this.replica.view, 5));
		Request sent = this.replica.lastSent();
		assertThat(sent.body()).isEmpty();
		this.replica.localResults.put(30L, bytes("local digest"));
		this.client.onReply(reply(sent, 0, 30, "primary digest"));
		this.replica.applied = 30;
		this.client.completeApplied();

		assertThat(check.join()).isEqualTo(bytes("primary digest"));
		assertThat(this.replica.statesAgreed).isEmpty();
		assertThat(this.replica.divergences).singleElement()
			.asString()
			.contains("The primary's state at op 30 is not this replica's")
			.contains("if every backup reports one, the primary did");
	}

	@Test
	void aStateCheckWhoseDigestIsThisReplicasIsReportedAsAgreement() {
		this.client.checkState();
		this.client.onReply(registerReply(this.replica.lastSent(), this.replica.view, 5));
		Request sent = this.replica.lastSent();
		this.replica.localResults.put(30L, bytes("digest"));
		this.client.onReply(reply(sent, 0, 30, "digest"));
		this.replica.applied = 30;
		this.client.completeApplied();

		assertThat(this.replica.statesAgreed).containsExactly(30L);
		assertThat(this.replica.divergences).isEmpty();
	}

	@Test
	void aRegisterReplyThatDoesNotEchoThisIncarnationIsAPredecessorsAndIgnored() {
		this.client.submit(bytes("x"));
		Request register = this.replica.lastSent();
		this.client.onReply(new Reply(0, 0, register.clientId(), 9, 0, 9, ReplyStatus.OK, longBytes(register.incarnation() + 1)));
		this.client.onTick();
		assertThat(this.replica.lastSent().operation()).as("still registering").isEqualTo(Operation.REGISTER);
	}

	@Test
	void aReplyForAnotherSessionOrRequestNumberIsIgnored() {
		CompletableFuture<byte[]> future = openAndSend("x");
		Request command = this.replica.lastSent();
		this.client.onReply(new Reply(0, 0, command.clientId(), command.session() + 1, command.requestNumber(), 30,
				ReplyStatus.OK, bytes("other session")));
		this.client.onReply(new Reply(0, 0, command.clientId(), command.session(), command.requestNumber() + 1, 30,
				ReplyStatus.OK, bytes("other request")));
		this.replica.applied = 100;
		this.client.completeApplied();
		assertThat(future).isNotDone();
	}

	@Test
	void anUnansweredRequestIsResentUnchangedAndThenToTheOtherReplicas() {
		openAndSend("x");
		Request command = this.replica.lastSent();
		List<Integer> targets = new ArrayList<>();
		for (int resend = 0; resend < 6; resend++) {
			this.replica.advance(RESEND);
			this.client.onTick();
			assertThat(this.replica.lastSent()).isEqualTo(command);
			targets.add(this.replica.lastTarget());
		}
		assertThat(targets).containsExactly(0, 0, 1, 1, 1, 2);
	}

	@Test
	void anEvictionFromAnOlderViewThanOneHeardFromIsIgnoredAndFromACurrentOneFailsTheCaller() {
		this.replica.view = 3;
		CompletableFuture<byte[]> future = openAndSend("x");
		Request command = this.replica.lastSent();
		this.client.onReply(new Reply(2, 2, command.clientId(), command.session(), command.requestNumber(), 0,
				ReplyStatus.SESSION_EVICTED, new byte[0]));
		assertThat(future).isNotDone();

		this.client.onReply(new Reply(3, 0, command.clientId(), command.session(), command.requestNumber(), 0,
				ReplyStatus.SESSION_EVICTED, new byte[0]));
		assertThat(future).isCompletedExceptionally();
		assertThat(failure(future)).isInstanceOf(SessionEvictedException.class)
			.hasMessageContaining("may or may not have been applied");
		assertThat(this.client.owns(command.clientId())).isFalse();
	}

	@Test
	void aCallerPastTheTimeoutIsToldTheOutcomeIsUnknownWhileTheSessionStillResends() {
		CompletableFuture<byte[]> future = openAndSend("x");
		Request command = this.replica.lastSent();
		this.replica.advance(TIMEOUT);
		this.client.onTick();
		assertThat(failure(future)).isInstanceOf(RequestTimeoutException.class)
			.hasMessageContaining("may still be applied, once");

		this.replica.advance(RESEND);
		this.client.onTick();
		assertThat(this.replica.lastSent()).as("the same request, so a late commit is deduplicated").isEqualTo(command);
		CompletableFuture<byte[]> next = this.client.submit(bytes("y"));
		assertThat(this.replica.lastSent()).as("the second session takes the next command").isNotEqualTo(command);
		assertThat(next).isNotDone();
	}

	@Test
	void commandsBeyondThePendingLimitAreRefusedAtOnce() {
		ReplicationClient small = new ReplicationClient(this.replica, new RuntimeOptions(Duration.ofMillis(10), TIMEOUT,
				RESEND, 1, 2, 0, RuntimeOptions.defaults().replica(), RuntimeOptions.defaults().storage(),
				RuntimeOptions.defaults().transport()), Runnable::run);
		small.submit(bytes("a"));
		small.submit(bytes("b"));
		assertThat(failure(small.submit(bytes("c")))).isInstanceOf(RequestFailedException.class)
			.hasMessageContaining("pendingRequestsMax")
			.hasMessageContaining("Nothing was submitted");
	}

	private CompletableFuture<byte[]> openAndSend(String command) {
		CompletableFuture<byte[]> future = this.client.submit(bytes(command));
		Request register = this.replica.lastSent();
		this.client.onReply(registerReply(register, this.replica.view, 5));
		return future;
	}

	private static Throwable failure(CompletableFuture<byte[]> future) {
		assertThat(future).isCompletedExceptionally();
		return future.handle((result, failure) -> failure).join();
	}

	private static Reply registerReply(Request register, long view, long session) {
		return new Reply(view, (int) (view % 3), register.clientId(), session, 0, session, ReplyStatus.OK,
				longBytes(register.incarnation()));
	}

	private static Reply reply(Request request, long view, long op, String result) {
		return new Reply(view, (int) (view % 3), request.clientId(), request.session(), request.requestNumber(), op,
				ReplyStatus.OK, bytes(result));
	}

	private static byte[] longBytes(long value) {
		return ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** A replica of three, as the client sees it: its view, what it applied, and a clock the test moves. */
	private static final class ScriptedReplica implements ClientEnvironment {

		long view;

		long applied;

		long nanos = 1_000_000_000L;

		final List<Request> sent = new ArrayList<>();

		final List<Integer> targets = new ArrayList<>();

		/** What this replica computed: one result per op, for the test's purposes. */
		final java.util.Map<Long, byte[]> localResults = new java.util.HashMap<>();

		final List<String> divergences = new ArrayList<>();

		final List<Long> statesAgreed = new ArrayList<>();

		@Override
		public int replicaCount() {
			return 3;
		}

		@Override
		public int primaryOf(long view) {
			return (int) (view % 3);
		}

		@Override
		public long localView() {
			return this.view;
		}

		@Override
		public long appliedOp() {
			return this.applied;
		}

		@Override
		public void sendRequest(int replica, Request request) {
			this.sent.add(request);
			this.targets.add(replica);
		}

		@Override
		public AppliedResults.Comparison compareWithLocalResult(long op, byte[] result) {
			byte[] local = this.localResults.get(op);
			if (local == null) {
				return AppliedResults.Comparison.NOT_REMEMBERED;
			}
			return java.util.Arrays.equals(local, result) ? AppliedResults.Comparison.AGREES
					: AppliedResults.Comparison.DIFFERS;
		}

		@Override
		public void reportStateAgreed(long op) {
			this.statesAgreed.add(op);
		}

		@Override
		public void reportDivergence(String description) {
			this.divergences.add(description);
		}

		@Override
		public void execute(Runnable task) {
			task.run();
		}

		@Override
		public long nanoTime() {
			return this.nanos;
		}

		void advance(Duration duration) {
			this.nanos += duration.toNanos();
		}

		Request lastSent() {
			return this.sent.get(this.sent.size() - 1);
		}

		int lastTarget() {
			return this.targets.get(this.targets.size() - 1);
		}

	}

}
