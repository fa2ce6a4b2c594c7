package io.viewstamp.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.viewstamp.history.KvOperation;
import io.viewstamp.runtime.ReadBarriers;
import io.viewstamp.sim.check.RequestRegistry;
import io.viewstamp.sim.workload.KvCommand;
import io.viewstamp.sim.workload.SimWorkload;
import io.viewstamp.vsr.Client;
import io.viewstamp.vsr.ClientOptions;
import io.viewstamp.vsr.Cluster;
import io.viewstamp.vsr.Operation;
import io.viewstamp.vsr.Reply;
import io.viewstamp.vsr.ReplyStatus;
import io.viewstamp.vsr.Request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SimClient}: what it keeps of a caller (the workload, the history, the checks
 * of local reads, the fate of its process). The session rules are the shipped {@link Client}'s and
 * are tested in {@code io.viewstamp.vsr.ClientTest}.
 */
class SimClientTest {

	private static final ClientOptions OPTIONS = new ClientOptions(1, 1, 10, 100);

	private final ScriptedWorld world = new ScriptedWorld();

	private final RequestRegistry registry = new RequestRegistry();

	private final SimClient client = new SimClient(2, new Cluster(1, 3), OPTIONS, 1, SimWorkload.ofKeys(5, 0.5, 0),
			new SplittableRandom(3), this.registry, this.world);

	@Test
	void aPutIsRecordedWithItsResultOnceTheLocalReplicaAppliedIt() {
		this.client.submitPut("k", "v1");
		this.client.tick(1);
		Request register = this.world.lastSent();
		assertThat(register.operation()).isEqualTo(Operation.REGISTER);
		this.client.receive(registerReply(register, 7), 2);
		Request put = this.world.lastSent();
		assertThat(KvCommand.decode(put.body())).isEqualTo(KvCommand.put("k", "v1"));
		assertThat(this.registry.contains(put)).as("every request sent is registered").isTrue();

		this.client.receive(reply(put, 12, KvCommand.encodeResult("v0")), 3);
		assertThat(this.client.hasOpenOperation()).as("replica 1 has not applied op 12").isTrue();
		this.world.applied = 12;
		this.client.tick(4);
		assertThat(this.client.history()).containsExactly(KvOperation.put(2, 1, 4, "k", "v1", "v0"));
		assertThat(this.world.returned.get(1)).as("the replica's callers were given op 12").isEqualTo(12);
	}

	@Test
	void aLinearizableReadSendsTheRuntimesBarrierThenReadsTheLocalState() {
		this.client.submitLinearizableRead("k");
		open(1);
		Request barrier = this.world.lastSent();
		assertThat(ReadBarriers.isBarrier(barrier.body())).isTrue();
		this.world.values.put("k", "seen");
		this.world.applied = 20;
		this.client.receive(reply(barrier, 20, new byte[0]), 3);
		assertThat(this.client.history()).containsExactly(KvOperation.get(2, 1, 3, "k", "seen"));
		assertThat(this.client.statistics().linearizableReads()).isEqualTo(1);
	}

	@Test
	void aLocalReadOlderThanAWriteItsCallerWasGivenIsAViolation() {
		this.client.submitPut("k", "v1");
		open(1);
		this.world.applied = 30;
		this.client.receive(reply(this.world.lastSent(), 30, KvCommand.encodeResult(null)), 3);
		this.world.applied = 29;
		this.client.submitLocalRead("k");
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.client.tick(4))
			.withMessageContaining("read-your-writes");
	}

	@Test
	void aLocalReadOlderThanWhatTheReplicaReturnedToAnotherCallerIsAViolation() {
		this.world.returned.put(1, 50L);
		this.world.applied = 49;
		this.client.submitLocalRead("k");
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.client.tick(1))
			.withMessageContaining("went back in time");
	}

	@Test
	void aLocalReadIsNotInTheLinearizableHistory() {
		this.world.applied = 5;
		this.client.submitLocalRead("k");
		this.client.tick(1);
		assertThat(this.client.statistics().localReads()).isEqualTo(1);
		assertThat(this.client.history()).isEmpty();
		assertThat(this.world.sent).as("a local read sends nothing").isEmpty();
	}

	@Test
	void aCallerThatGivesUpRecordsItsOperationAsIndeterminate() {
		this.client.submitPut("k", "v");
		open(1);
		for (long tick = 2; tick <= 1 + OPTIONS.requestTimeoutTicks(); tick++) {
			this.client.tick(tick);
		}
		assertThat(this.client.hasOpenOperation()).isFalse();
		assertThat(this.client.history()).containsExactly(KvOperation.indeterminatePut(2, 1, "k", "v"));
	}

	@Test
	void whenItsReplicasProcessDiesTheOpenOperationIsIndeterminateAndRepliesToTheOldProcessAreNotTaken() {
		this.client.submitPut("k", "v");
		open(1);
		Request put = this.world.lastSent();
		long incarnation = this.client.incarnation();
		this.client.processDied();
		assertThat(this.client.isProcessRunning()).isFalse();
		assertThat(this.client.incarnation()).isGreaterThan(incarnation);
		assertThat(this.client.owns(put.clientId())).isFalse();
		assertThat(this.client.history()).containsExactly(KvOperation.indeterminatePut(2, 1, "k", "v"));

		this.client.processStarted();
		this.world.sent.clear();
		this.client.submitGet("k");
		this.client.tick(5);
		assertThat(this.world.lastSent().operation()).as("a new process opens a new session").isEqualTo(Operation.REGISTER);
		assertThat(this.world.lastSent().clientId()).isNotEqualTo(put.clientId());
	}

	@Test
	void aRestartThatKeepsItsIdsOpensItsFirstSessionWithItsPredecessorsId() {
		this.client.submitPut("k", "v");
		open(1);
		long firstId = this.world.lastSent().clientId();
		this.client.restart(true);
		this.client.submitGet("k");
		this.client.tick(2);
		assertThat(this.world.lastSent().clientId()).isEqualTo(firstId);
		this.client.restart(false);
		this.client.submitGet("k");
		this.client.tick(3);
		assertThat(this.world.lastSent().clientId()).isNotEqualTo(firstId);
		assertThat(this.client.statistics().restarts()).isEqualTo(2);
	}

	@Test
	void theWorkloadWritesUniqueValuesAndReadsInEveryWay() {
		this.client.setWorkloadEnabled(true);
		this.client.tick(1);
		this.client.receive(registerReply(this.world.lastSent(), 1), 2);
		long op = 1;
		for (long tick = 3; tick < 600; tick++) {
			this.world.applied = op;
			this.client.tick(tick);
			Request last = this.world.lastSent();
			if (this.client.hasOpenOperation() && last.operation() == Operation.COMMAND) {
				op++;
				this.world.applied = op;
				this.client.receive(reply(last, op, ReadBarriers.isBarrier(last.body()) ? new byte[0]
						: KvCommand.encodeResult(null)), tick);
			}
		}
		List<String> values = new ArrayList<>();
		for (KvOperation operation : this.client.history()) {
			if (operation.kind() == KvOperation.Kind.PUT) {
				values.add(operation.value());
			}
		}
		assertThat(values).isNotEmpty().doesNotHaveDuplicates().allMatch((value) -> value.startsWith("c2-"));
		assertThat(this.client.statistics().localReads()).isPositive();
		assertThat(this.client.statistics().linearizableReads()).isPositive();
	}

	/** Opens the caller's session and sends its first operation at {@code tick}. */
	private void open(long tick) {
		this.client.tick(tick);
		this.client.receive(registerReply(this.world.lastSent(), 1), tick);
	}

	private static Reply registerReply(Request register, long session) {
		return new Reply(0, 0, register.clientId(), session, 0, session, ReplyStatus.OK,
				Request.register(register.clientId(), register.incarnation()).body());
	}

	private static Reply reply(Request request, long op, byte[] result) {
		return new Reply(0, 0, request.clientId(), request.session(), request.requestNumber(), op, ReplyStatus.OK, result);
	}

	/** Replica 1 in view 0 of three, as the client sees it. */
	private static final class ScriptedWorld implements SimClient.World {

		final List<Request> sent = new ArrayList<>();

		final Map<String, String> values = new HashMap<>();

		final Map<Integer, Long> returned = new HashMap<>();

		long applied;

		@Override
		public void send(SimClient client, int replica, Request request) {
			this.sent.add(request);
		}

		@Override
		public boolean isRunning(int replica) {
			return true;
		}

		@Override
		public long view(int replica) {
			return 0;
		}

		@Override
		public io.viewstamp.vsr.Configuration configuration(int replica) {
			return io.viewstamp.vsr.Configuration.initial(3);
		}

		@Override
		public boolean isNormal(int replica) {
			return true;
		}

		@Override
		public long appliedOp(int replica) {
			return this.applied;
		}

		@Override
		public long stateOp(int replica) {
			return this.applied;
		}

		@Override
		public String read(int replica, String key) {
			return this.values.get(key);
		}

		@Override
		public long returned(int replica, long op) {
			Long before = this.returned.get(replica);
			this.returned.put(replica, Math.max(op, (before != null) ? before : 0));
			return (before != null) ? before : 0;
		}

		@Override
		public void violation(String description) {
			throw new IllegalStateException(description);
		}

		Request lastSent() {
			return this.sent.get(this.sent.size() - 1);
		}

	}

}
