package io.viewstamp.vsr;

import org.junit.jupiter.api.Test;

import io.viewstamp.sim.ReplicaFactory;
import io.viewstamp.sim.SimConfiguration;
import io.viewstamp.sim.Simulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backup restarted from its storage whose peers reach it only after a while, as over a network
 * whose peers reconnect with a backoff: it waits for them rather than pull a cluster that serves
 * well into a view change (a rolling restart of the demo saw one at each restarted backup, with
 * every caller's command stalled for 250 to 380 ms); and with no primary to hear, it does start one.
 */
class RestartedBackupTest {

	private static final int TICKS_MAX = 20_000;

	private final Simulator simulator = Simulator.scripted(3, 1);

	@Test
	void aRestartedBackupThatHearsNoPeerForOnePrimaryTimeoutStartsNoViewChange() {
		this.simulator.client(0).submitPut("k", "v");
		assertThat(this.simulator.runUntil(() -> this.simulator.client(0).isIdle(), TICKS_MAX)).isTrue();
		int primary = this.simulator.primaryIndex();
		int backup = (primary + 1) % 3;
		long view = this.simulator.replica(primary).view();

		this.simulator.crash(backup);
		this.simulator.isolate(backup);
		this.simulator.restart(backup);
		// Longer than one primary timeout (50 ticks and up to as much again), shorter than two.
		this.simulator.runTicks(ReplicaOptions.PRIMARY_TIMEOUT_TICKS * 2);
		assertThat(this.simulator.replica(backup).status()).as("the restarted backup, unheard").isEqualTo(Status.NORMAL);
		this.simulator.heal();
		this.simulator.runTicks(ReplicaOptions.PRIMARY_TIMEOUT_TICKS * 4);

		for (int replica = 0; replica < 3; replica++) {
			assertThat(this.simulator.replica(replica).view()).as("view of replica %d", replica).isEqualTo(view);
			assertThat(this.simulator.replica(replica).status()).as("status of replica %d", replica).isEqualTo(Status.NORMAL);
		}
	}

	@Test
	void aRestartedBackupWhosePrimaryIsGoneStillStartsAViewChange() {
		this.simulator.client(0).submitPut("k", "v");
		assertThat(this.simulator.runUntil(() -> this.simulator.client(0).isIdle(), TICKS_MAX)).isTrue();
		int primary = this.simulator.primaryIndex();
		long view = this.simulator.replica(primary).view();
		for (int replica = 0; replica < 3; replica++) {
			this.simulator.crash(replica);
		}
		for (int replica = 0; replica < 3; replica++) {
			if (replica != primary) {
				this.simulator.restart(replica);
			}
		}
		// Backups send each other nothing in a normal view: each hears no peer until one gives up on the primary.
		assertThat(this.simulator.runUntil(() -> {
			int backup = (primary + 1) % 3;
			return this.simulator.replica(backup).status() == Status.NORMAL && this.simulator.replica(backup).view() > view;
		}, TICKS_MAX)).as("the two backups formed a new view").isTrue();
	}

}
