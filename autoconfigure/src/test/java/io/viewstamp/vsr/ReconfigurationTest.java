package io.viewstamp.vsr;

import java.util.Map;
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
 * Changes of the cluster's members ({@link MemberChanges#start}), played on a scripted world of three
 * replicas and two spare hosts, under load from callers beside the first three replicas: growing
 * to five, shrinking back, replacing a member by a new one, and changes cut short by a crash of the
 * primary. After each, every put acknowledged to a caller is in the state of every member, each
 * applied once, and the simulator's checkers (committed logs, replies, equal states, linearizable
 * histories) pass.
 */
class ReconfigurationTest {

	private static final int TICKS_MAX = 40_000;

	private static final int CALLERS = 3;

	private static final int ALL_FIVE = 0b11111;

	private static final int FIRST_THREE = 0b00111;

	/** Messages take 1 to 4 ticks, so that requests are on their way while the members change. */
	private static final SimFaults SLOW_NETWORK = new SimFaults(SimFaults.Profile.NONE, 0, 0, 4, 2, 0, 1, 0, 0, 1, 0, 0,
			0, 0);

	private final Simulator simulator = new Simulator(SimConfiguration.scripted(1, 3, CALLERS)
		.withClientsBesideReplicas(true)
		.withFaults(SLOW_NETWORK)
		.withSpares(2)
		.withClientOptions(new ClientOptions(1, 1, 100, ClientOptions.REQUEST_TIMEOUT_TICKS_NEVER)), ReplicaFactory.standard());

	private final ScriptedLoad load = new ScriptedLoad(this.simulator, "load");

	@Test
	void theClusterGrowsFromThreeToFiveUnderLoadAndShrinksBack() {
		warmUp();
		startSpares(3, 4);
		runLoad(100);
		int primary = this.simulator.primaryIndex();
		long asked = this.simulator.tick();
		int putsBefore = acknowledgedPuts();
		assertThat(this.simulator.reconfigure(primary, ALL_FIVE)).isNull();
		assertThat(runLoadUntil(() -> isEpochServing(1))).as("epoch 1 serves").isTrue();
		System.out.printf("ReconfigurationTest: 3 -> 5 took %d ticks, %d puts acknowledged meanwhile%n",
				this.simulator.tick() - asked, acknowledgedPuts() - putsBefore);
		runLoad(200);
		settle();
		assertThat(this.simulator.latestConfiguration().members()).isEqualTo(ALL_FIVE);
		assertAcknowledgedPutsEverywhere(0, 1, 2, 3, 4);

		primary = this.simulator.primaryIndex();
		asked = this.simulator.tick();
		putsBefore = acknowledgedPuts();
		assertThat(this.simulator.reconfigure(primary, FIRST_THREE)).isNull();
		assertThat(runLoadUntil(() -> isEpochServing(2))).as("epoch 2 serves").isTrue();
		System.out.printf("ReconfigurationTest: 5 -> 3 took %d ticks, %d puts acknowledged meanwhile%n",
				this.simulator.tick() - asked, acknowledgedPuts() - putsBefore);
		runLoad(200);
		settle();
		assertThat(this.simulator.latestConfiguration().members()).isEqualTo(FIRST_THREE);
		assertThat(this.simulator.isRunning(3)).as("replica 3, removed, stopped").isFalse();
		assertThat(this.simulator.isRunning(4)).as("replica 4, removed, stopped").isFalse();
		assertAcknowledgedPutsEverywhere(0, 1, 2);
	}

	@Test
	void twoSparesAreAddedOneAtATimeTheSecondHavingHeardOfTheFirstChangeAsASpare() {
		warmUp();
		startSpares(3, 4);
		runLoad(100);
		assertThat(this.simulator.reconfigure(this.simulator.primaryIndex(), FIRST_THREE | 0b01000)).isNull();
		assertThat(runLoadUntil(() -> isEpochServing(1))).as("epoch 1 serves").isTrue();
		// Replica 4, a spare, enters epoch 1 outside its members, and falls behind while it serves.
		runLoad(300);
		int primary = this.simulator.primaryIndex();
		long asked = this.simulator.tick();
		assertThat(this.simulator.reconfigure(primary, ALL_FIVE)).isNull();
		assertThat(runLoadUntil(() -> isEpochServing(2))).as("epoch 2 serves").isTrue();
		System.out.printf("ReconfigurationTest: 4 -> 5 with a spare that had heard of epoch 1 took %d ticks%n",
				this.simulator.tick() - asked);
		runLoad(200);
		settle();
		assertThat(this.simulator.latestConfiguration().members()).isEqualTo(ALL_FIVE);
		assertAcknowledgedPutsEverywhere(0, 1, 2, 3, 4);
	}

	@Test
	void aNewClusterThatServedNothingYetAddsAMember() {
		// No op in any log: no backup has acknowledged anything, and there is no head to ask about.
		this.simulator.startSpare(3);
		assertThat(this.simulator.runUntil(() -> this.simulator.replica(3).status() == Status.NORMAL, TICKS_MAX)).isTrue();
		int primary = this.simulator.primaryIndex();
		assertThat(this.simulator.reconfigure(primary, FIRST_THREE | 0b01000)).isNull();
		assertThat(this.simulator.runUntil(() -> isEpochServing(1), TICKS_MAX)).as("epoch 1 serves").isTrue();
		warmUp();
		runLoad(100);
		settle();
		assertThat(this.simulator.latestConfiguration().members()).isEqualTo(FIRST_THREE | 0b01000);
		assertAcknowledgedPutsEverywhere(0, 1, 2, 3);
	}

	@Test
	void aMemberIsReplacedByANewOneThatCatchesUpFirst() {
		warmUp();
		runLoad(300);
		startSpares(3);
		int primary = this.simulator.primaryIndex();
		int leaving = (primary + 1) % 3;
		int members = (FIRST_THREE & ~(1 << leaving)) | (1 << 3);
		assertThat(this.simulator.reconfigure(primary, members)).isNull();
		assertThat(runLoadUntil(() -> isEpochServing(1))).isTrue();
		runLoad(200);
		settle();
		assertThat(this.simulator.latestConfiguration().members()).isEqualTo(members);
		assertThat(this.simulator.isRunning(leaving)).as("replica %d, removed, stopped", leaving).isFalse();
		int[] stayed = new int[] { primary, (primary + 2) % 3, 3 };
		assertAcknowledgedPutsEverywhere(stayed);
	}

	/**
	 * Once the primary prepared the change, it prepares nothing after it in its epoch: requests are
	 * ignored until the new epoch's primary takes them. (Without that barrier, ops committed in the
	 * old epoch after the change could be missing from the new epoch's first log.)
	 */
	@Test
	void nothingIsPreparedAfterTheChangeUntilTheNewEpochStarts() {
		warmUp();
		startSpares(3, 4);
		runLoad(50);
		int primary = this.simulator.primaryIndex();
		Replica leader = this.simulator.replica(primary).unwrap();
		assertThat(this.simulator.reconfigure(primary, ALL_FIVE)).isNull();
		assertThat(runLoadUntil(leader.epochs::isEpochClosing)).as("the change prepared").isTrue();
		long changeOp = leader.op();
		// Nothing commits from here on, so the old epoch stays open as long as this lasts.
		this.simulator.hold((envelope) -> envelope.message() instanceof ReplicaMessage.PrepareOk);
		long ignoredBefore = leader.ignoredMessages().get(IgnoreReason.REQUEST_EPOCH_CHANGING);
		runLoad(300);
		assertThat(leader.op()).as("ops after the change's").isEqualTo(changeOp);
		assertThat(leader.configuration().epoch()).isZero();
		assertThat(leader.ignoredMessages().get(IgnoreReason.REQUEST_EPOCH_CHANGING)).isGreaterThan(ignoredBefore);
		this.simulator.releaseHeld();
		assertThat(runLoadUntil(() -> isEpochServing(1))).as("epoch 1 serves").isTrue();
		runLoad(100);
		settle();
		assertAcknowledgedPutsEverywhere(0, 1, 2, 3, 4);
	}

	@Test
	void aChangeIsRefusedByABackupAndWhenItChangesNothing() {
		warmUp();
		int primary = this.simulator.primaryIndex();
		int backup = (primary + 1) % 3;
		assertThat(this.simulator.reconfigure(backup, ALL_FIVE)).isEqualTo(ReconfigurationRefusal.NOT_PRIMARY);
		assertThat(this.simulator.reconfigure(primary, FIRST_THREE)).isEqualTo(ReconfigurationRefusal.ALREADY_MEMBERS);
		assertThat(this.simulator.reconfigure(primary, 0)).isEqualTo(ReconfigurationRefusal.INVALID_MEMBERS);
		assertThat(this.simulator.reconfigure(primary, 1 << 16)).isEqualTo(ReconfigurationRefusal.INVALID_MEMBERS);
		assertThat(this.simulator.latestConfiguration().epoch()).isZero();
	}

	/** New members that never start do not catch up: the primary gives the change up and serves on. */
	@Test
	void aChangeWhoseNewMembersNeverCatchUpIsGivenUpAndTheClusterServesOn() {
		warmUp();
		int primary = this.simulator.primaryIndex();
		assertThat(this.simulator.reconfigure(primary, ALL_FIVE)).isNull();
		assertThat(this.simulator.reconfigure(primary, ALL_FIVE)).isEqualTo(ReconfigurationRefusal.CHANGE_UNDER_WAY);
		assertThat(runLoadUntil(() -> this.simulator.replica(primary).unwrap().memberChanges().target() == null))
			.as("the change given up").isTrue();
		runLoad(100);
		settle();
		assertThat(this.simulator.latestConfiguration().epoch()).isZero();
		assertThat(this.simulator.primaryIndex()).isEqualTo(primary);
		assertAcknowledgedPutsEverywhere(0, 1, 2);
	}

	/**
	 * The primary crashes right after it prepared the change: the next view of the old epoch
	 * either drops the change (no quorum held it) or commits it again, and the cluster goes on in
	 * one epoch or the other, losing nothing acknowledged.
	 */
	@Test
	void aPrimaryThatCrashesRightAfterPreparingTheChangeLosesNothing() {
		warmUp();
		startSpares(3, 4);
		runLoad(100);
		int primary = this.simulator.primaryIndex();
		assertThat(this.simulator.reconfigure(primary, ALL_FIVE)).isNull();
		assertThat(runLoadUntil(() -> this.simulator.replica(primary).unwrap().memberChanges().target() == null
				|| this.simulator.replica(primary).unwrap().configuration().epoch() > 0)).isTrue();
		this.simulator.crash(primary);
		runLoad(300);
		this.simulator.restart(primary);
		runLoad(300);
		settle();
		assertAcknowledgedPutsEverywhere(members());
	}

	/**
	 * A view change of the new epoch is interrupted: the first primary of epoch 1 crashes as soon as
	 * it leads, and the others go on to the epoch's next view with the new members.
	 */
	@Test
	void theNewEpochsFirstPrimaryCrashesAndTheNextViewOfTheEpochTakesOver() {
		warmUp();
		startSpares(3, 4);
		runLoad(100);
		int primary = this.simulator.primaryIndex();
		assertThat(this.simulator.reconfigure(primary, ALL_FIVE)).isNull();
		assertThat(runLoadUntil(() -> isEpochServing(1))).isTrue();
		int first = this.simulator.primaryIndex();
		this.simulator.crash(first);
		assertThat(runLoadUntil(() -> this.simulator.primaryIndex() >= 0 && this.simulator.primaryIndex() != first))
			.as("another primary of epoch 1").isTrue();
		runLoad(200);
		this.simulator.restart(first);
		runLoad(200);
		settle();
		assertThat(this.simulator.latestConfiguration().members()).isEqualTo(ALL_FIVE);
		assertAcknowledgedPutsEverywhere(0, 1, 2, 3, 4);
	}

	private int acknowledgedPuts() {
		return (int) this.load.operations()
			.stream()
			.filter((operation) -> operation.completedAt() != KvOperation.UNKNOWN_COMPLETION)
			.count();
	}

	private int[] members() {
		Configuration latest = this.simulator.latestConfiguration();
		int[] members = new int[latest.size()];
		for (int position = 0; position < members.length; position++) {
			members[position] = latest.member(position);
		}
		return members;
	}

	private boolean isEpochServing(long epoch) {
		int primary = this.simulator.primaryIndex();
		return primary >= 0 && this.simulator.replica(primary).unwrap().configuration().epoch() == epoch;
	}

	private void startSpares(int... spares) {
		for (int spare : spares) {
			this.simulator.startSpare(spare);
		}
		for (int spare : spares) {
			assertThat(runLoadUntil(() -> this.simulator.replica(spare).status() == Status.NORMAL))
				.as("spare %d recovered", spare).isTrue();
			assertThat(this.simulator.replica(spare).unwrap().isMember()).isFalse();
		}
	}

	/** Stops the load, lets the cluster converge, and runs every check. */
	private void settle() {
		assertThat(this.simulator.runUntil(this.load::everyRunningCallerIdle, TICKS_MAX)).as("the load's last puts answered")
			.isTrue();
		this.simulator.runUntilConverged(TICKS_MAX);
		this.simulator.checkAll();
	}

	/** Every put acknowledged to a caller is in the state of each of {@code replicas}. */
	private void assertAcknowledgedPutsEverywhere(int... replicas) {
		List<KvOperation> operations = this.load.operations();
		assertThat(operations).isNotEmpty();
		for (KvOperation operation : operations) {
			if (operation.completedAt() == KvOperation.UNKNOWN_COMPLETION) {
				continue;
			}
			for (int replica : replicas) {
				assertThat(this.simulator.stateMachine(replica).get(operation.key())).as("%s on replica %d", operation, replica)
					.isEqualTo(operation.value());
			}
		}
	}

	/** Every caller opens its session with a first put, so that the load's puts are all commands. */
	@Test
	void addressesForReplicasOutsideTheNextMembersOrTooLongAreRefusedAndChangeNothing() {
		warmUp();
		Replica primary = this.simulator.replica(this.simulator.primaryIndex()).unwrap();
		int withThree = FIRST_THREE | 0b01000;
		assertThat(primary.memberChanges().start(withThree, Map.of(32, "a:1"))).isEqualTo(ReconfigurationRefusal.INVALID_MEMBERS);
		assertThat(primary.memberChanges().start(withThree, Map.of(-1, "a:1"))).isEqualTo(ReconfigurationRefusal.INVALID_MEMBERS);
		assertThat(primary.memberChanges().start(withThree, Map.of(4, "a:1"))).isEqualTo(ReconfigurationRefusal.INVALID_MEMBERS);
		assertThat(primary.memberChanges().start(withThree,
				Map.of(3, "h".repeat(Configuration.ADDRESS_SIZE_BYTES_MAX) + ":1")))
			.isEqualTo(ReconfigurationRefusal.INVALID_MEMBERS);
		assertThat(primary.memberChanges().pending()).isNull();
		assertThat(this.simulator.latestConfiguration().members()).isEqualTo(FIRST_THREE);
	}

	private void warmUp() {
		for (int caller = 0; caller < CALLERS; caller++) {
			int client = caller;
			this.simulator.client(client).submitPut("warm-up-" + client, "v");
			assertThat(this.simulator.runUntil(() -> this.simulator.client(client).isIdle(), TICKS_MAX)).isTrue();
		}
	}

	private void runLoad(int ticks) {
		this.load.run(ticks);
	}

	private boolean runLoadUntil(BooleanSupplier condition) {
		return this.load.runUntil(condition, TICKS_MAX);
	}

}
