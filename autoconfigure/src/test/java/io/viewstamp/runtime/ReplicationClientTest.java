package io.viewstamp.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.viewstamp.vsr.Cluster;
import io.viewstamp.vsr.Operation;
import io.viewstamp.vsr.Reply;
import io.viewstamp.vsr.ReplyStatus;
import io.viewstamp.vsr.Request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The threaded shell around the protocol's client, driven by hand on one thread: what a caller's
 * future is told, how results are compared with this replica's own, and the limits it keeps. The
 * client's rules themselves are {@code io.viewstamp.vsr.ClientTest}'s, and the simulator's.
 */
class ReplicationClientTest {

	private static final Duration TICK = Duration.ofMillis(10);

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final ScriptedReplica replica = new ScriptedReplica();

	private final ReplicationClient client = new ReplicationClient(this.replica,
			RuntimeOptions.builder().requestTimeout(TIMEOUT).clientSessionsMax(2).build(), Runnable::run);

	@Test
	void theClientsLimitsAreTheRuntimesInTicks() {
		assertThat(ReplicationClient.clientOptions(RuntimeOptions.defaults()))
			.satisfies((options) -> assertThat(options.resendIntervalTicks()).isEqualTo(20))
			.satisfies((options) -> assertThat(options.requestTimeoutTicks()).isEqualTo(500))
			.satisfies((options) -> assertThat(options.sessionsMax()).isEqualTo(RuntimeOptions.CLIENT_SESSIONS_MAX))
			.satisfies((options) -> assertThat(options.submissionsMax()).isEqualTo(RuntimeOptions.PENDING_REQUESTS_MAX));
	}

	@Test
	void aCommandCompletesWithThePrimarysResultOnceAppliedHere() {
		CompletableFuture<byte[]> future = openAndSend("x");
		Request command = this.replica.lastSent();
		assertThat(command.operation()).isEqualTo(Operation.COMMAND);
		this.client.onReply(reply(command, 0, 21, "done"));
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
	void aBarrierIsTheReservedCommandAndCompletesOnceAppliedHere() {
		CompletableFuture<byte[]> barrier = this.client.barrier();
		this.client.onReply(registerReply(this.replica.lastSent(), 0, 5));
		Request sent = this.replica.lastSent();
		assertThat(ReadBarriers.isBarrier(sent.body())).isTrue();
		this.client.onReply(reply(sent, 0, 12, ""));
		assertThat(barrier).isNotDone();
		this.replica.applied = 12;
		this.client.completeApplied();
		assertThat(barrier.join()).isEmpty();
	}

	@Test
	void theReservedCommandsAreRefusedToCallers() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.client.submit(new byte[0]))
			.withMessageContaining("state");
		assertThatIllegalArgumentException().isThrownBy(() -> this.client.submit(new byte[] { 0 }))
			.withMessageContaining("reserved for the barrier of linearizable reads");
	}

	@Test
	void aCallerPastTheTimeoutIsToldTheOutcomeIsUnknown() {
		CompletableFuture<byte[]> future = openAndSend("x");
		advance(TIMEOUT);
		assertThat(failure(future)).isInstanceOf(RequestTimeoutException.class)
			.hasMessageContaining("may still be applied, once");
	}

	@Test
	void aCommandCommittedButNotAppliedHereInTimeIsNotReportedAsATimeout() {
		CompletableFuture<byte[]> future = openAndSend("x");
		this.client.onReply(reply(this.replica.lastSent(), 0, 40, "done"));
		advance(TIMEOUT);
		assertThat(failure(future)).isInstanceOf(CommittedNotAppliedException.class)
			.isNotInstanceOf(RequestTimeoutException.class)
			.hasMessageContaining("committed at op 40")
			.hasMessageContaining("do not submit it again")
			.satisfies((failure) -> assertThat(((CommittedNotAppliedException) failure).op()).isEqualTo(40));
	}

	@Test
	void anEvictionTellsTheCallerTheOutcomeIsUnknown() {
		CompletableFuture<byte[]> future = openAndSend("x");
		Request command = this.replica.lastSent();
		this.client.onReply(new Reply(0, 0, command.clientId(), command.session(), command.requestNumber(), 0,
				ReplyStatus.SESSION_EVICTED, new byte[0]));
		assertThat(failure(future)).isInstanceOf(SessionEvictedException.class)
			.hasMessageContaining("may or may not have been applied");
	}

	@Test
	void aStoppedClientFailsItsCallersAndRefusesMore() {
		CompletableFuture<byte[]> future = openAndSend("x");
		this.client.stop(new IllegalStateException("disk gone"));
		assertThat(failure(future)).isInstanceOf(ReplicaStoppedException.class).hasMessageContaining("disk gone");
		assertThat(failure(this.client.submit(bytes("y")))).isInstanceOf(ReplicaStoppedException.class);
	}

	@Test
	void commandsBeyondThePendingLimitAreRefusedAtOnce() {
		ReplicationClient small = new ReplicationClient(this.replica, new RuntimeOptions(TICK, TIMEOUT,
				Duration.ofMillis(200), 1, 2, 0, RuntimeOptions.defaults().replica(), RuntimeOptions.defaults().storage(),
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

	private void advance(Duration duration) {
		for (long tick = 0; tick < duration.dividedBy(TICK); tick++) {
			this.client.onTick();
		}
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

	/** Replica 2 of three, as the client sees it: its view and what it applied. */
	private static final class ScriptedReplica implements ClientEnvironment {

		long view;

		long applied;

		final List<Request> sent = new ArrayList<>();

		/** What this replica computed: one result per op, for the test's purposes. */
		final java.util.Map<Long, byte[]> localResults = new java.util.HashMap<>();

		final List<String> divergences = new ArrayList<>();

		final List<Long> statesAgreed = new ArrayList<>();

		@Override
		public Cluster cluster() {
			return new Cluster(1, 3);
		}

		@Override
		public int localReplica() {
			return 2;
		}

		@Override
		public long localView() {
			return this.view;
		}

		@Override
		public boolean isLocalReplicaNormal() {
			return true;
		}

		@Override
		public long appliedOp() {
			return this.applied;
		}

		@Override
		public void sendRequest(int replica, Request request) {
			this.sent.add(request);
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

		Request lastSent() {
			return this.sent.get(this.sent.size() - 1);
		}

	}

}
