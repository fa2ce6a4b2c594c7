package io.viewstamp.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.viewstamp.vsr.Message;
import io.viewstamp.vsr.ReplicaMessage.StartViewChange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Tests for {@link SimNetwork}. */
class SimNetworkTest {

	private final List<SimNetwork.Envelope> delivered = new ArrayList<>();

	@Test
	void withoutFaultsEveryMessageArrivesOnceOnTheNextTickInSendOrder() {
		SimNetwork network = network(SimFaults.none(), 3, 0);
		network.send(0, SimAddress.replica(0), SimAddress.replica(1), 0, message(1));
		network.send(0, SimAddress.replica(2), SimAddress.replica(1), 0, message(2));
		network.send(0, SimAddress.replica(1), SimAddress.replica(0), 0, message(3));
		network.deliverDue(0, this::record);
		assertThat(this.delivered).isEmpty();
		network.deliverDue(1, this::record);
		assertThat(views()).containsExactly(1L, 2L, 3L);
		assertThat(network.statistics().delivered()).isEqualTo(3);
	}

	@Test
	void randomDelaysStayWithinTheMaximumAndReorderMessages() {
		SimNetwork network = network(SimFaults.none().withNetwork(0, 0, 10), 2, 0);
		for (int view = 0; view < 200; view++) {
			network.send(0, SimAddress.replica(0), SimAddress.replica(1), 0, message(view));
		}
		for (long tick = 0; tick <= 10; tick++) {
			long now = tick;
			network.deliverDue(now, (envelope) -> {
				assertThat(envelope.deliveryTick()).isBetween(1L, 10L).isLessThanOrEqualTo(now);
				return record(envelope);
			});
		}
		assertThat(this.delivered).hasSize(200);
		assertThat(views()).isNotEqualTo(views().stream().sorted().toList());
		assertThat(this.delivered).extracting(SimNetwork.Envelope::deliveryTick).isSorted();
	}

	@Test
	void certainLossDeliversNothingAndCertainDuplicationDeliversEverythingTwice() {
		SimNetwork lossy = network(SimFaults.none().withNetwork(1, 0, 1), 2, 0);
		lossy.send(0, SimAddress.replica(0), SimAddress.replica(1), 0, message(1));
		lossy.deliverDue(5, this::record);
		assertThat(this.delivered).isEmpty();
		assertThat(lossy.statistics().lost()).isEqualTo(1);
		SimNetwork duplicating = network(SimFaults.none().withNetwork(0, 1, 1), 2, 0);
		duplicating.send(0, SimAddress.replica(0), SimAddress.replica(1), 0, message(1));
		duplicating.deliverDue(5, this::record);
		assertThat(views()).containsExactly(1L, 1L);
		assertThat(duplicating.statistics().duplicated()).isEqualTo(1);
	}

	@Test
	void aCutLinkDropsOneDirectionOnly() {
		SimNetwork network = network(SimFaults.none(), 2, 0);
		network.cutLink(0, 1);
		network.send(0, SimAddress.replica(0), SimAddress.replica(1), 0, message(1));
		network.send(0, SimAddress.replica(1), SimAddress.replica(0), 0, message(2));
		network.deliverDue(1, this::record);
		assertThat(views()).containsExactly(2L);
		assertThat(network.statistics().cutOff()).isEqualTo(1);
		assertThat(network.describeCuts()).isEqualTo("0->1");
	}

	@Test
	void aPartitionCutsBothWaysBetweenSidesAndHealRestoresEveryLink() {
		SimNetwork network = network(SimFaults.none(), 3, 0);
		network.partition(Set.of(0), Set.of(1, 2));
		assertThat(network.isLinkUp(SimAddress.replica(0), SimAddress.replica(1))).isFalse();
		assertThat(network.isLinkUp(SimAddress.replica(2), SimAddress.replica(0))).isFalse();
		assertThat(network.isLinkUp(SimAddress.replica(1), SimAddress.replica(2))).isTrue();
		assertThat(network.isPartitioned()).isTrue();
		network.heal();
		assertThat(network.isLinkUp(SimAddress.replica(0), SimAddress.replica(1))).isTrue();
		assertThat(network.isPartitioned()).isFalse();
	}

	@Test
	void aClientCutOffAReplicaNeitherReachesItNorHearsFromIt() {
		SimNetwork network = network(SimFaults.none(), 2, 1);
		network.cutClientLink(0, 1);
		assertThat(network.isLinkUp(SimAddress.client(0), SimAddress.replica(1))).isFalse();
		assertThat(network.isLinkUp(SimAddress.replica(1), SimAddress.client(0))).isFalse();
		assertThat(network.isLinkUp(SimAddress.client(0), SimAddress.replica(0))).isTrue();
	}

	@Test
	void aMessageNobodyTakesIsCountedUndeliverable() {
		SimNetwork network = network(SimFaults.none(), 2, 0);
		network.send(0, SimAddress.replica(0), SimAddress.replica(1), 0, message(1));
		network.deliverDue(1, (envelope) -> false);
		assertThat(network.statistics().undeliverable()).isEqualTo(1);
		assertThat(network.statistics().delivered()).isZero();
	}

	@Test
	void heldMessagesWaitUntilReleasedAndThenArriveInSendOrder() {
		SimNetwork network = network(SimFaults.none(), 2, 0);
		network.hold((envelope) -> envelope.from().index() == 0);
		network.send(0, SimAddress.replica(0), SimAddress.replica(1), 0, message(1));
		network.send(0, SimAddress.replica(1), SimAddress.replica(0), 0, message(2));
		network.send(0, SimAddress.replica(0), SimAddress.replica(1), 0, message(3));
		network.deliverDue(10, this::record);
		assertThat(views()).containsExactly(2L);
		assertThat(network.held()).hasSize(2);
		network.releaseHeld(10);
		network.deliverDue(11, this::record);
		assertThat(views()).containsExactly(2L, 1L, 3L);
		assertThat(network.held()).isEmpty();
	}

	@Test
	void theSameSeedGivesTheSameSchedule() {
		assertThat(schedule(7)).isEqualTo(schedule(7)).isNotEqualTo(schedule(8));
	}

	@Test
	void aReplicaSendingToItselfIsABug() {
		SimNetwork network = network(SimFaults.none(), 2, 0);
		assertThatIllegalStateException()
			.isThrownBy(() -> network.send(0, SimAddress.replica(1), SimAddress.replica(1), 0, message(1)))
			.withMessageContaining("replica 1 sent a message to itself");
	}

	private List<String> schedule(long seed) {
		SimNetwork network = new SimNetwork(3, 0, SimFaults.none().withNetwork(0.2, 0.2, 8), new SplittableRandom(seed));
		List<String> schedule = new ArrayList<>();
		for (int view = 0; view < 100; view++) {
			network.send(view / 10, SimAddress.replica(view % 3), SimAddress.replica((view + 1) % 3), 0, message(view));
		}
		network.deliverDue(1_000, (envelope) -> schedule.add(envelope.deliveryTick() + ":" + envelope.message()));
		return schedule;
	}

	private SimNetwork network(SimFaults faults, int replicaCount, int clientCount) {
		return new SimNetwork(replicaCount, clientCount, faults, new SplittableRandom(42));
	}

	private boolean record(SimNetwork.Envelope envelope) {
		this.delivered.add(envelope);
		return true;
	}

	private List<Long> views() {
		return this.delivered.stream().map((envelope) -> ((StartViewChange) envelope.message()).view()).toList();
	}

	private static Message message(long view) {
		return new StartViewChange(view, 0);
	}

}
