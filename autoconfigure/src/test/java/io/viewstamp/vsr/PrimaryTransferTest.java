package io.viewstamp.vsr;

import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import io.viewstamp.history.KvOperation;
import io.viewstamp.sim.ReplicaFactory;
import io.viewstamp.sim.ScriptedLoad;
import io.viewstamp.sim.SimConfiguration;
import io.viewstamp.sim.SimFaults;
import io.viewstamp.sim.Simulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A primary's hand-over of its view ({@link Replica#transferPrimary}), played on a scripted world
 * whose callers run beside the replicas, as an application's do: under load the view moves to the
 * chosen replica in one view change, and no caller waits for a resend or loses a command; an
 * unsafe or impossible hand-over is refused or given up, and the primary serves on.
 */
class PrimaryTransferTest {

	private static final int TICKS_MAX = 20_000;

	private static final int CALLERS = 6;

	/**
	 * Ticks between a caller's resends: far longer than anything else takes here, so that a caller
	 * that waited for one shows.
	 */
	private static final int RESEND_INTERVAL_TICKS = 5_000;

	/** Messages take 1 to 4 ticks, so that requests are on their way while the view moves. */
	private static final SimFaults SLOW_NETWORK = new SimFaults(SimFaults.Profile.NONE, 0, 0, 4, 2, 0, 1, 0, 0, 1, 0, 0,
			0, 0);

	private final Simulator simulator = new Simulator(SimConfiguration.scripted(1, 3, CALLERS)
		.withClientsBesideReplicas(true)
		.withFaults(SLOW_NETWORK)
		.withClientOptions(new ClientOptions(1, 1, RESEND_INTERVAL_TICKS, ClientOptions.REQUEST_TIMEOUT_TICKS_NEVER)),
			ReplicaFactory.standard());

	private final ScriptedLoad load = new ScriptedLoad(this.simulator, "load");

	@Test
	void underLoadTheViewMovesToTheTargetInOneViewChangeAndNoCallerWaitsForAResend() {
		warmUp();
		int primary = this.simulator.primaryIndex();
		int target = (primary + 2) % 3;
		long view = this.simulator.replica(primary).view();
		long newView = view + 2;
		assertThat(this.simulator.cluster().primaryOf(newView)).isEqualTo(target);
		runLoad(50);

		assertThat(this.simulator.transferPrimary(primary, target)).isNull();
		long transferTick = this.simulator.tick();
		assertThat(runLoadUntil(() -> this.simulator.primaryIndex() == target)).as("the target leads").isTrue();
		long handedOverTick = this.simulator.tick();
		runLoad(200);
		stopLoad();

		for (int replica = 0; replica < 3; replica++) {
			assertThat(this.simulator.replica(replica).view()).as("view of replica %d: one view change, to the target's view", replica)
				.isEqualTo(newView);
		}
		List<KvOperation> operations = operations();
		assertThat(operations).allSatisfy((operation) -> assertThat(operation.completedAt())
			.as("every caller's put acknowledged: %s", operation)
			.isNotEqualTo(KvOperation.UNKNOWN_COMPLETION));
		long slowest = operations.stream().mapToLong((operation) -> operation.completedAt() - operation.invokedAt()).max().orElseThrow();
		System.out.printf("PrimaryTransferTest: hand-over %d -> %d took %d ticks; %d puts, the slowest %d ticks%n", primary,
				target, handedOverTick - transferTick, operations.size(), slowest);
		assertThat(slowest).as("ticks of the slowest put: none waited for a resend").isLessThan(RESEND_INTERVAL_TICKS / 10);
		this.simulator.runUntilConverged(TICKS_MAX);
		this.simulator.checkAll();
	}

	@Test
	void aHandOverIsRefusedByABackupToItselfAndToAReplicaOutsideTheConfiguration() {
		warmUp();
		int primary = this.simulator.primaryIndex();
		int backup = (primary + 1) % 3;
		assertThat(this.simulator.transferPrimary(backup, primary)).isEqualTo(TransferRefusal.NOT_PRIMARY);
		assertThat(this.simulator.transferPrimary(primary, primary)).isEqualTo(TransferRefusal.ALREADY_PRIMARY);
		assertThat(this.simulator.transferPrimary(primary, 3)).isEqualTo(TransferRefusal.UNKNOWN_REPLICA);
		assertThat(this.simulator.transferPrimary(primary, -1)).isEqualTo(TransferRefusal.UNKNOWN_REPLICA);
		assertThat(this.simulator.replica(primary).unwrap().transferTarget()).isEqualTo(-1);
		put(backup, "after", "refusals");
	}

	@Test
	void aPrimaryWhoseTargetIsDownGivesUpAndServesOnInItsView() {
		warmUp();
		int primary = this.simulator.primaryIndex();
		int target = (primary + 1) % 3;
		long view = this.simulator.replica(primary).view();
		this.simulator.crash(target);
		// Its last acknowledgements arrive; one still on its way would pass for an answer.
		this.simulator.runTicks(20);
		assertThat(this.simulator.transferPrimary(primary, target)).isNull();
		assertThat(this.simulator.replica(primary).unwrap().transferTarget()).isEqualTo(target);

		int caller = (primary + 2) % 3;
		this.simulator.client(caller).submitPut("during", "hand-over");
		assertThat(this.simulator.runUntil(() -> this.simulator.client(caller).isIdle(), TICKS_MAX)).isTrue();
		assertThat(this.simulator.replica(primary).unwrap().transferTarget()).as("hand-over given up").isEqualTo(-1);
		assertThat(this.simulator.replica(primary).view()).isEqualTo(view);
		assertThat(this.simulator.primaryIndex()).isEqualTo(primary);
		assertThat(this.simulator.stateMachine(primary).get("during")).isEqualTo("hand-over");
		this.simulator.checkAll();
	}

	@Test
	void aPrimaryThatCrashesRightAfterStartingAHandOverLosesNothingAcknowledged() {
		warmUp();
		int primary = this.simulator.primaryIndex();
		int target = (primary + 1) % 3;
		runLoad(30);
		assertThat(this.simulator.transferPrimary(primary, target)).isNull();
		this.simulator.runTicks(1);
		this.simulator.crash(primary);
		runLoad(100);
		stopLoad();
		this.simulator.restart(primary);
		this.simulator.runUntilConverged(TICKS_MAX);
		this.simulator.checkAll();
		for (KvOperation operation : operations()) {
			if (operation.completedAt() != KvOperation.UNKNOWN_COMPLETION) {
				for (int replica = 0; replica < 3; replica++) {
					assertThat(this.simulator.stateMachine(replica).get(operation.key())).isEqualTo(operation.value());
				}
			}
		}
	}

	/** Every caller opens its session with a first put, so that the load's puts are all commands. */
	private void warmUp() {
		for (int caller = 0; caller < CALLERS; caller++) {
			put(caller, "warm-up-" + caller, "v");
		}
	}

	private void put(int caller, String key, String value) {
		this.simulator.client(caller).submitPut(key, value);
		assertThat(this.simulator.runUntil(() -> this.simulator.client(caller).isIdle(), TICKS_MAX)).isTrue();
	}

	private void runLoad(int ticks) {
		this.load.run(ticks);
	}

	private boolean runLoadUntil(BooleanSupplier condition) {
		return this.load.runUntil(condition, TICKS_MAX);
	}

	private void stopLoad() {
		assertThat(this.simulator.runUntil(this.load::everyRunningCallerIdle, TICKS_MAX)).as("the load's last puts answered")
			.isTrue();
	}

	/** The load's puts, as the callers saw them. */
	private List<KvOperation> operations() {
		return this.load.operations();
	}

}
