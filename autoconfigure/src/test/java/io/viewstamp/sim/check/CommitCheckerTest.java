package io.viewstamp.sim.check;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.viewstamp.sim.SimulatedReplica;
import io.viewstamp.sim.SimulationFailure.Check;
import io.viewstamp.sim.SimulationFailure;
import io.viewstamp.sim.TraceFingerprint;
import io.viewstamp.sim.workload.KvCommand;
import io.viewstamp.sim.workload.KvStateMachine;
import io.viewstamp.vsr.Checksums;
import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.Message;
import io.viewstamp.vsr.Operation;
import io.viewstamp.vsr.Request;
import io.viewstamp.vsr.Status;
import io.viewstamp.vsr.Superblock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tests for {@link CommitChecker}, {@link ReplyChecker} and {@link StateChecker}, fed with hand-made logs. */
class CommitCheckerTest {

	private static final long SEED = 99;

	private static final long CLUSTER_ID = 7;

	private final RequestRegistry registry = new RequestRegistry();

	private final CommitChecker checker = new CommitChecker(SEED, CLUSTER_ID, 3, this.registry, new TraceFingerprint());

	@Test
	void replicasThatCommitTheSameChainPass() {
		List<LogEntry> log = chain(0, "a", "b", "c");
		LogReplica first = new LogReplica(0, log, 3);
		LogReplica second = new LogReplica(1, log, 1);
		this.checker.check(first, 1);
		this.checker.check(second, 1);
		second.commit = 3;
		this.checker.check(second, 2);
		assertThat(this.checker.committedMax()).isEqualTo(3);
		assertThat(this.checker.committed(2)).isEqualTo(log.get(1));
		assertThat(this.checker.committed(4)).isNull();
	}

	@Test
	void twoDifferentEntriesCommittedAtOneOpFail() {
		this.checker.check(new LogReplica(0, chain(0, "a", "b"), 2), 10);
		LogReplica divergent = new LogReplica(2, chain(0, "a", "x"), 2);
		assertFailure(() -> this.checker.check(divergent, 11), Check.COMMITTED_LOG, "Seed 99, tick 11",
				"two different entries committed at op 2", "replica 0 committed", "at tick 10", "replica 2 committed");
	}

	@Test
	void anEntryFromAnotherViewWithTheSameContentIsStillADifferentEntry() {
		this.checker.check(new LogReplica(0, chain(0, "a"), 1), 1);
		assertFailure(() -> this.checker.check(new LogReplica(1, chain(1, "a"), 1), 2), Check.COMMITTED_LOG,
				"two different entries committed at op 1");
	}

	@Test
	void aBrokenHashChainFails() {
		List<LogEntry> log = new ArrayList<>(chain(0, "a"));
		log.add(LogEntry.create(CLUSTER_ID, 0, 2, 20, 12345, List.of(request("b"))));
		assertFailure(() -> this.checker.check(new LogReplica(0, log, 2), 1), Check.HASH_CHAIN,
				"log does not chain at op 2", "names parent 3039");
	}

	@Test
	void aLogThatBreaksInItsUncommittedTailFailsOnceItsCommitMoves() {
		List<LogEntry> log = new ArrayList<>(chain(0, "a"));
		log.add(LogEntry.create(CLUSTER_ID, 0, 2, 20, 12345, List.of(request("b"))));
		assertFailure(() -> this.checker.check(new LogReplica(0, log, 1), 1), Check.HASH_CHAIN,
				"log does not chain at op 2");
	}

	@Test
	void anEntryAfterASnapshotThatDoesNotChainToTheCommittedHistoryFails() {
		this.checker.check(new LogReplica(0, chain(0, "a"), 1), 1);
		// Its log starts after a snapshot of op 1, so only the canonical history can tell.
		LogEntry orphan = LogEntry.create(CLUSTER_ID, 0, 2, 20, 12345, List.of(request("b")));
		assertFailure(() -> this.checker.check(new LogReplica(1, 1, List.of(orphan), 2), 2), Check.HASH_CHAIN,
				"whose parent is 3039", "the committed entry at op 1");
	}

	@Test
	void aFirstEntryThatDoesNotStartFromTheRootFails() {
		LogEntry orphan = LogEntry.create(CLUSTER_ID, 0, 1, 10, Checksums.root(CLUSTER_ID + 1), List.of(request("a")));
		assertFailure(() -> this.checker.check(new LogReplica(0, List.of(orphan), 1), 1), Check.HASH_CHAIN,
				"the cluster's root");
	}

	@Test
	void aCorruptEntryFails() {
		LogEntry good = chain(0, "a").get(0);
		LogEntry corrupt = new LogEntry(good.view(), good.op(), good.timestamp() + 1, good.parent(), good.checksum(),
				good.requests());
		assertFailure(() -> this.checker.check(new LogReplica(0, List.of(corrupt), 1), 1), Check.COMMITTED_LOG,
				"corrupt entry at op 1");
	}

	@Test
	void aRequestNoClientSentFails() {
		Request forged = new Request(5, 1, 1, Operation.COMMAND, KvCommand.put("k", "forged").encode());
		LogEntry entry = LogEntry.create(CLUSTER_ID, 0, 1, 10, Checksums.root(CLUSTER_ID), List.of(forged));
		assertFailure(() -> this.checker.check(new LogReplica(0, List.of(entry), 1), 1), Check.REQUEST_ORIGIN,
				"which no client sent");
	}

	@Test
	void aRequestWithOtherBytesThanTheClientSentFails() {
		Request sent = request("a");
		Request garbled = new Request(sent.clientId(), sent.session(), sent.requestNumber(), sent.operation(),
				KvCommand.put("k", "b").encode());
		LogEntry entry = LogEntry.create(CLUSTER_ID, 0, 1, 10, Checksums.root(CLUSTER_ID), List.of(garbled));
		assertFailure(() -> this.checker.check(new LogReplica(0, List.of(entry), 1), 1), Check.REQUEST_ORIGIN,
				"which no client sent");
	}

	@Test
	void aCommitNumberWithoutAnEntryFails() {
		assertFailure(() -> this.checker.check(new LogReplica(0, chain(0, "a"), 2), 1), Check.COMMITTED_LOG,
				"has no entry at op 2");
	}

	@Test
	void aCommitNumberThatGoesBackFailsUnlessTheReplicaRestarted() {
		List<LogEntry> log = chain(0, "a", "b");
		LogReplica replica = new LogReplica(0, log, 2);
		this.checker.check(replica, 1);
		replica.commit = 1;
		assertFailure(() -> this.checker.check(replica, 2), Check.COMMITTED_LOG, "went back from commit 2 to 1");
		this.checker.replicaStarted(0);
		assertThatCode(() -> this.checker.check(replica, 3)).doesNotThrowAnyException();
	}

	@Test
	void aRestartedReplicaIsCheckedAgainFromTheStart() {
		this.checker.check(new LogReplica(0, chain(0, "a", "b"), 2), 1);
		this.checker.replicaStarted(0);
		assertFailure(() -> this.checker.check(new LogReplica(0, chain(0, "x"), 1), 2), Check.COMMITTED_LOG,
				"two different entries committed at op 1");
	}

	@Test
	void aReplyMustNameTheCommittedOpThatCarriesItsRequest() {
		List<LogEntry> log = chain(0, "a", "b");
		this.checker.check(new LogReplica(0, log, 1), 1);
		ReplyChecker replies = new ReplyChecker(SEED, this.checker);
		Request first = log.get(0).requests().get(0);
		Request second = log.get(1).requests().get(0);
		assertThatCode(() -> replies.check(0, first, reply(first, 1), 2)).doesNotThrowAnyException();
		assertFailure(() -> replies.check(0, second, reply(second, 2), 2), Check.REPLY,
				"no replica has committed op 2");
		assertFailure(() -> replies.check(0, second, reply(second, 1), 2), Check.REPLY, "does not carry that request");
	}

	@Test
	void replicasWithEqualCommitsMustHaveEqualStates() {
		KvStateMachine a = new KvStateMachine();
		KvStateMachine b = new KvStateMachine();
		a.apply(1, 1, KvCommand.put("k", "1").encode());
		b.apply(1, 1, KvCommand.put("k", "2").encode());
		List<LogEntry> log = chain(0, "a");
		StateChecker states = new StateChecker(SEED);
		List<StateChecker.RunningReplica> replicas = List.of(
				new StateChecker.RunningReplica(new LogReplica(0, log, 1), a),
				new StateChecker.RunningReplica(new LogReplica(1, log, 1), b));
		assertFailure(() -> states.checkEqualCommitsEqualStates(replicas, 5), Check.STATE,
				"replicas 0 and 1 both committed up to op 1 but their states differ");
		List<StateChecker.RunningReplica> behind = List.of(replicas.get(0),
				new StateChecker.RunningReplica(new LogReplica(1, log, 0), b));
		assertThatCode(() -> states.checkEqualCommitsEqualStates(behind, 5)).doesNotThrowAnyException();
		assertFailure(() -> states.checkConverged(behind, 5), Check.STATE, "replica 1 up to op 0");
	}

	private static io.viewstamp.vsr.Reply reply(Request request, long op) {
		return new io.viewstamp.vsr.Reply(0, 0, request.clientId(), request.session(), request.requestNumber(), op,
				io.viewstamp.vsr.ReplyStatus.OK, KvCommand.encodeResult(null));
	}

	private static void assertFailure(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Check check,
			String... fragments) {
		assertThatThrownBy(call).isInstanceOfSatisfying(SimulationFailure.class, (failure) -> {
			assertThat(failure.check()).isEqualTo(check);
			assertThat(failure.seed()).isEqualTo(SEED);
			assertThat(failure.getMessage()).contains(fragments);
		});
	}

	/** Builds a chain of entries in one view, one request each, every request recorded as sent. */
	private List<LogEntry> chain(long view, String... values) {
		List<LogEntry> log = new ArrayList<>();
		long parent = Checksums.root(CLUSTER_ID);
		for (int position = 0; position < values.length; position++) {
			long op = position + 1;
			LogEntry entry = LogEntry.create(CLUSTER_ID, view, op, op * 10, parent, List.of(request(values[position])));
			log.add(entry);
			parent = entry.checksum();
		}
		return log;
	}

	private Request request(String value) {
		Request request = new Request(1, 1, value.hashCode() & 0xffff, Operation.COMMAND,
				KvCommand.put("k", value).encode());
		this.registry.record(request);
		return request;
	}

	/** A replica that is only a log and a commit number. */
	private static final class LogReplica implements SimulatedReplica {

		private final int index;

		private final List<LogEntry> log;

		private long commit;

		/** The op its log starts after, as after a snapshot. */
		private final long baseOp;

		LogReplica(int index, List<LogEntry> log, long commit) {
			this(index, 0, log, commit);
		}

		LogReplica(int index, long baseOp, List<LogEntry> log, long commit) {
			this.index = index;
			this.baseOp = baseOp;
			this.log = log;
			this.commit = commit;
		}

		@Override
		public void tick(long realtimeNanos) {
		}

		@Override
		public void receive(Message message) {
		}

		@Override
		public void onEntryWritten(long op, long checksum) {
		}

		@Override
		public void onSuperblockWritten(Superblock superblock) {
		}

		@Override
		public void onSnapshotWritten(long op) {
		}

		@Override
		public void onApplied(long op, List<byte[]> results) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void onCaptured(long op, byte[] state) {
			throw new UnsupportedOperationException();
		}

		@Override
		public int index() {
			return this.index;
		}

		@Override
		public long view() {
			return 0;
		}

		@Override
		public long logView() {
			return 0;
		}

		@Override
		public Status status() {
			return Status.NORMAL;
		}

		@Override
		public boolean isPrimary() {
			return this.index == 0;
		}

		@Override
		public long op() {
			return this.baseOp + this.log.size();
		}

		@Override
		public long commit() {
			return this.commit;
		}

		@Override
		public long logBaseOp() {
			return this.baseOp;
		}

		@Override
		public LogEntry entry(long op) {
			return (op > this.baseOp && op <= op()) ? this.log.get((int) (op - this.baseOp - 1)) : null;
		}

	}

}
