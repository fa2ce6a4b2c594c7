package io.viewstamp.vsr;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.viewstamp.history.KvOperation;
import io.viewstamp.sim.Simulator;
import io.viewstamp.vsr.ReplicaMessage.Prepare;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classic traps of Viewstamped Replication, each played by hand on real replicas in the
 * simulator: the moment that breaks a careless implementation is forced, then the cluster heals
 * and every checker runs (committed logs agree, requests came from clients, the client history is
 * linearizable, replicas end equal).
 */
class ClassicTrapsScenarioTest {

	private static final int TICKS_MAX = 10_000;

	@Test
	void primaryPartitionedWhileBackupsElectANewOneKeepsOnlyWhatCommitted() {
		Simulator simulator = Simulator.scripted(3, 2);
		simulator.client(0).submitPut("k", "before");
		simulator.runUntilConverged(TICKS_MAX);
		int oldPrimary = simulator.primaryIndex();
		long oldView = simulator.replica(oldPrimary).view();
		simulator.isolate(oldPrimary);
		// Client 0 reaches only the old primary, client 1 only the others.
		for (int replica = 0; replica < 3; replica++) {
			simulator.cutClientLink((replica == oldPrimary) ? 1 : 0, replica);
		}
		simulator.client(0).submitPut("k", "to-the-old-primary");
		simulator.client(1).submitPut("k", "to-the-new-primary");
		assertThat(simulator.runUntil(() -> simulator.client(1).isIdle(), TICKS_MAX)).isTrue();

		// The old primary still believes in its view and holds a prepare it could never commit.
		assertThat(simulator.replica(oldPrimary).status()).isEqualTo(Status.NORMAL);
		assertThat(simulator.replica(oldPrimary).view()).isEqualTo(oldView);
		long orphanOp = simulator.replica(oldPrimary).op();
		assertThat(orphanOp).isGreaterThan(simulator.replica(oldPrimary).commit());
		assertThat(simulator.client(0).isIdle()).isFalse();

		simulator.heal();
		simulator.runUntilConverged(TICKS_MAX);
		simulator.checkAll();
		// The orphan was replaced by the new view's op, and client 0's retry committed exactly once.
		LogEntry committed = simulator.replica(oldPrimary).entry(orphanOp);
		assertThat(committed.view()).isGreaterThan(oldView);
		assertThat(simulator.client(0).history()).extracting(KvOperation::value)
			.containsExactly("before", "to-the-old-primary");
		assertThat(simulator.client(0).history()).allMatch((operation) -> !operation.isIndeterminate());
		assertThat(simulator.stateMachine(oldPrimary).stateChecksum())
			.isEqualTo(simulator.stateMachine((oldPrimary + 1) % 3).stateChecksum());
	}

	/**
	 * Vanlightly's TLA+ model of the paper loses a committed op when a lagging replica that hears of
	 * a newer view truncates its log to its (stale) commit number and then counts as normal in that
	 * view. Here the lagging replica hears the new view's prepares but can not reach its primary for
	 * the start-view; it must stay out of the view (its log view stays old), and when the new
	 * primary then crashes, the next view change still keeps every committed op.
	 */
	@Test
	void laggingReplicaThatHearsOfANewViewDoesNotClaimItsLogBeforeItHasIt() {
		Simulator simulator = Simulator.scripted(3, 1);
		simulator.client(0).submitPut("k", "v0");
		simulator.runUntilConverged(TICKS_MAX);
		int firstPrimary = simulator.primaryIndex();
		// The backup that is not the primary of the next view falls behind: it is down while the
		// others commit, and comes back from its (now stale) storage.
		int lagging = (firstPrimary + 2) % 3;
		long laggingLogView = simulator.replica(lagging).logView();
		long laggingCommit = simulator.replica(lagging).commit();
		simulator.crash(lagging);
		for (int write = 1; write <= 20; write++) {
			simulator.client(0).submitPut("k", "v" + write);
		}
		assertThat(simulator.runUntil(() -> simulator.client(0).isIdle(), TICKS_MAX)).isTrue();

		// The other two move to a newer view (a restarted primary hands its view on) and commit more.
		simulator.crash(firstPrimary);
		simulator.restart(firstPrimary);
		assertThat(simulator.runUntil(() -> simulator.primaryIndex() >= 0
				&& simulator.replica(simulator.primaryIndex()).view() > laggingLogView, TICKS_MAX)).isTrue();
		int newPrimary = simulator.primaryIndex();
		assertThat(newPrimary).isNotEqualTo(lagging);
		simulator.client(0).submitPut("k", "v21");
		assertThat(simulator.runUntil(() -> simulator.client(0).isIdle(), TICKS_MAX)).isTrue();
		long newView = simulator.replica(newPrimary).view();

		// The lagging replica restarts and hears everyone, but can send to no one: it sees the new
		// view's prepares and can not get the start-view it asks for.
		for (int replica = 0; replica < 3; replica++) {
			if (replica != lagging) {
				simulator.cutLink(lagging, replica);
			}
		}
		simulator.restart(lagging);
		simulator.client(0).submitPut("k", "v22");
		assertThat(simulator.runUntil(() -> simulator.replica(lagging).view() == newView, TICKS_MAX)).isTrue();
		assertThat(simulator.replica(lagging).status()).isEqualTo(Status.VIEW_CHANGE);
		assertThat(simulator.replica(lagging).logView()).isEqualTo(laggingLogView).isLessThan(newView);
		assertThat(simulator.replica(lagging).commit()).isLessThanOrEqualTo(laggingCommit);

		// The new primary, holder of the newest committed ops, fails; the lagging replica and the
		// other backup form the next view. Every acknowledged write must still be there.
		simulator.runUntil(() -> simulator.client(0).isIdle(), TICKS_MAX);
		simulator.crash(newPrimary);
		simulator.heal();
		assertThat(simulator.runUntil(() -> simulator.primaryIndex() >= 0
				&& simulator.replica(simulator.primaryIndex()).view() > newView, TICKS_MAX)).isTrue();
		int survivor = simulator.primaryIndex();
		simulator.client(0).submitGet("k");
		assertThat(simulator.runUntil(() -> simulator.client(0).isIdle(), TICKS_MAX)).isTrue();
		List<KvOperation> history = simulator.client(0).history();
		assertThat(history.get(history.size() - 1).result()).isEqualTo("v22");
		assertThat(simulator.stateMachine(survivor).get("k")).isEqualTo("v22");
		simulator.restart(newPrimary);
		simulator.runUntilConverged(TICKS_MAX);
		simulator.checkAll();
	}

	/**
	 * A request whose prepare is lost with its primary is prepared again in the next view, and then
	 * the old prepare arrives after all: it runs once, and the client goes on with its next request.
	 */
	@Test
	void requestReorderedThroughAViewChangeRunsOnceAndDoesNotLockItsClientOut() {
		Simulator simulator = Simulator.scripted(3, 1);
		simulator.client(0).submitPut("k", "first");
		simulator.runUntilConverged(TICKS_MAX);
		int oldPrimary = simulator.primaryIndex();
		simulator.hold((envelope) -> envelope.message() instanceof Prepare prepare && prepare.replica() == oldPrimary);
		simulator.client(0).submitPut("k", "second");
		assertThat(simulator.runUntil(() -> simulator.network().held().size() >= 2, TICKS_MAX)).isTrue();
		simulator.isolate(oldPrimary);
		assertThat(simulator.runUntil(() -> simulator.primaryIndex() >= 0 && simulator.primaryIndex() != oldPrimary,
				TICKS_MAX)).isTrue();
		assertThat(simulator.runUntil(() -> simulator.client(0).isIdle(), TICKS_MAX)).isTrue();
		simulator.heal();
		simulator.releaseHeld();
		simulator.client(0).submitPut("k", "third");
		simulator.client(0).submitGet("k");
		simulator.runUntilConverged(TICKS_MAX);
		simulator.checkAll();
		assertThat(simulator.client(0).history()).extracting(KvOperation::result)
			.containsExactly(null, "first", "second", "third");
		for (int replica = 0; replica < 3; replica++) {
			assertThat(simulator.stateMachine(replica).get("k")).isEqualTo("third");
		}
	}

	/**
	 * The paper's client table is keyed by client id with client-chosen request numbers: a client
	 * that restarts with its old id starts again at request 1 and collides with its old requests.
	 * Sessions fix it: a request of the old session that arrives late is refused, not applied, and
	 * never answered as if it were the new session's request.
	 */
	@Test
	void duplicateRequestsAfterAClientRestartAreNeverAppliedToTheNewSession() {
		Simulator simulator = Simulator.scripted(3, 1);
		simulator.client(0).submitPut("k", "old-1");
		simulator.runUntilConverged(TICKS_MAX);
		long oldSession = simulator.client(0).session();
		simulator.hold((envelope) -> envelope.message() instanceof Request request
				&& request.session() == oldSession);
		simulator.client(0).submitPut("k", "old-2");
		assertThat(simulator.runUntil(() -> !simulator.network().held().isEmpty(), TICKS_MAX)).isTrue();
		simulator.restartClient(0, true);
		simulator.client(0).submitPut("k", "new-1");
		assertThat(simulator.runUntil(() -> simulator.client(0).isIdle(), TICKS_MAX)).isTrue();
		assertThat(simulator.client(0).session()).isGreaterThan(oldSession);
		// The old request 2 arrives now, when the new session's next request is also number 2.
		simulator.releaseHeld();
		simulator.runTicks(100);
		simulator.client(0).submitPut("k", "new-2");
		simulator.client(0).submitGet("k");
		simulator.runUntilConverged(TICKS_MAX);
		simulator.checkAll();
		List<KvOperation> history = simulator.client(0).history();
		assertThat(history).extracting(KvOperation::value).containsExactly("old-1", "old-2", "new-1", "new-2", null);
		assertThat(history.get(1).isIndeterminate()).isTrue();
		// new-1 replaced old-1: the held old request (session 1, request 2) never ran.
		assertThat(history.get(2).result()).isEqualTo("old-1");
		assertThat(history.get(4).result()).isEqualTo("new-2");
		for (int replica = 0; replica < 3; replica++) {
			assertThat(simulator.stateMachine(replica).get("k")).isEqualTo("new-2");
		}
	}

}
