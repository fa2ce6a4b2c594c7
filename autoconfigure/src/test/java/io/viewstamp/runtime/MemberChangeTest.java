package io.viewstamp.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.viewstamp.sim.workload.KvCommand;
import io.viewstamp.sim.workload.LockedKvStateMachine;
import io.viewstamp.transport.LoopbackPorts;
import io.viewstamp.transport.PeerAddress;
import io.viewstamp.vsr.Configuration;
import io.viewstamp.vsr.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Changes of members on real replicas over Netty ({@link ReplicaNode#changeMembers}), within the
 * hosts that {@code replication.peers} lists: five replicas shrink to three, the two removed stop by
 * themselves once the others have taken over, and every command acknowledged before and after is in
 * every member's state; and three replicas learn two more addresses by a rolling restart, the two
 * new hosts start empty, recover as spares, and the cluster grows to five.
 */
class MemberChangeTest {

	private static final long CLUSTER_ID = 13;

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final int FIRST_THREE = 0b00111;

	private static final int ALL_FIVE = 0b11111;

	@TempDir
	Path root;

	private List<PeerAddress> peers = List.of();

	private final ReplicaNode[] nodes = new ReplicaNode[5];

	private final LockedKvStateMachine[] stateMachines = new LockedKvStateMachine[5];

	private int puts;

	@AfterEach
	void closeAll() {
		for (ReplicaNode node : this.nodes) {
			if (node != null) {
				node.close();
			}
		}
	}

	@Test
	void fiveReplicasShrinkToThreeAndTheRemovedOnesStopByThemselves() throws Exception {
		this.peers = LoopbackPorts.freeAddresses(5);
		for (int index = 0; index < 5; index++) {
			start(index);
		}
		awaitNormal(ALL_FIVE, 0);
		put(10);

		ReplicaNode primary = this.nodes[primaryIndex()];
		// Every member has acknowledged the primary's newest op: each is alive in its view.
		await().atMost(WAIT).until(() -> this.nodes[1].status().commit() == this.nodes[0].status().commit()
				&& Arrays.stream(this.nodes).allMatch((node) -> node.status().op() == primary.status().op()));
		Configuration three = primary.changeMembers(FIRST_THREE).get(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(three.epoch()).isEqualTo(1);
		assertThat(three.members()).isEqualTo(FIRST_THREE);
		for (int removed : new int[] { 3, 4 }) {
			await().atMost(WAIT).until(() -> this.nodes[removed].status().stopped());
			assertThat(this.nodes[removed].status().stopCause()).contains("removed from the members");
			this.nodes[removed].close();
			this.nodes[removed] = null;
		}
		awaitNormal(FIRST_THREE, 1);
		put(10);

		assertThatThrownBy(() -> this.nodes[primaryIndex()].changeMembers(FIRST_THREE).get(WAIT.toSeconds(), TimeUnit.SECONDS))
			.hasMessageContaining("the members of epoch 1 are [0, 1, 2] already: nothing to do");

		awaitEveryPutOn(3);
	}

	/** Every acknowledged put is in the state of each of the first {@code replicas} replicas. */
	private void awaitEveryPutOn(int replicas) {
		await().atMost(WAIT).untilAsserted(() -> {
			for (int index = 0; index < replicas; index++) {
				for (int put = 1; put <= this.puts; put++) {
					assertThat(this.stateMachines[index].get("k" + put)).as("k%d on replica %d", put, index)
						.isEqualTo("v" + put);
				}
			}
		});
	}

	@Test
	void threeReplicasLearnTwoAddressesByARollingRestartAndGrowToFive() throws Exception {
		List<PeerAddress> five = LoopbackPorts.freeAddresses(5);
		this.peers = five.subList(0, 3);
		for (int index = 0; index < 3; index++) {
			start(index);
		}
		awaitNormal(FIRST_THREE, 0);
		put(10);

		// The peer list is an address book: the members restart one by one with two more addresses,
		// and stay the three members the cluster was formed with.
		this.peers = five;
		for (int index = 0; index < 3; index++) {
			this.nodes[index].close();
			start(index);
			awaitNormal(FIRST_THREE, 0);
		}
		put(10);
		// Started empty, the new hosts recover the cluster's state and wait as spares.
		start(3);
		start(4);
		await().atMost(WAIT).until(() -> this.nodes[3].status().status() == Status.NORMAL
				&& this.nodes[4].status().status() == Status.NORMAL);
		assertThat(this.nodes[3].status().configuration().members()).isEqualTo(FIRST_THREE);

		// One at a time: the second spare hears of the first change as a replica outside the members.
		Configuration four = this.nodes[primaryIndex()].changeMembers(FIRST_THREE | 0b01000)
			.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(four.epoch()).isEqualTo(1);
		awaitNormal(FIRST_THREE | 0b01000, 1);
		put(10);
		Configuration grown = this.nodes[primaryIndex()].changeMembers(ALL_FIVE).get(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(grown.epoch()).isEqualTo(2);
		awaitNormal(ALL_FIVE, 2);
		put(10);
		awaitEveryPutOn(5);
	}

	private void put(int count) throws Exception {
		for (int put = 0; put < count; put++) {
			this.puts++;
			int caller = this.puts % 3;
			this.nodes[caller].client().submit(KvCommand.put("k" + this.puts, "v" + this.puts).encode())
				.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		}
	}

	private void awaitNormal(int members, long epoch) {
		await().atMost(WAIT).until(() -> {
			for (int index = 0; index < 5; index++) {
				if ((members & (1 << index)) == 0) {
					continue;
				}
				NodeStatus status = (this.nodes[index] != null) ? this.nodes[index].status() : null;
				if (status == null || status.status() != Status.NORMAL || status.configuration().epoch() != epoch
						|| status.configuration().members() != members) {
					return false;
				}
			}
			return true;
		});
	}

	private int primaryIndex() {
		return this.nodes[0].status().primary();
	}

	private void start(int index) {
		this.stateMachines[index] = new LockedKvStateMachine();
		this.nodes[index] = ReplicaNode.start(configuration(index), RuntimeOptions.defaults(), this.stateMachines[index]);
	}

	private NodeConfiguration configuration(int index) {
		return new NodeConfiguration(CLUSTER_ID, index, this.peers, this.root.resolve("replica-" + index));
	}

}
