package io.viewstamp.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.viewstamp.transport.LoopbackPorts;
import io.viewstamp.transport.PeerAddress;
import io.viewstamp.vsr.Configuration;
import io.viewstamp.vsr.Status;

import static io.viewstamp.runtime.LoopbackNodes.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Changes of members on real replicas over Netty ({@link ReplicaNode#changeMembers}): five replicas
 * shrink to three, the two removed stop by themselves once the others have taken over, and every
 * command acknowledged before and after is in every member's state; and three replicas learn two
 * more addresses by a rolling restart, the two new hosts start empty, recover as spares, and the
 * cluster grows to five, one change at a time.
 */
class MemberChangeTest {

	private static final long CLUSTER_ID = 13;

	private static final int FIRST_THREE = 0b00111;

	private static final int ALL_FIVE = 0b11111;

	@TempDir
	Path root;

	@AutoClose
	private LoopbackNodes nodes;

	@Test
	void fiveReplicasShrinkToThreeAndTheRemovedOnesStopByThemselves() throws Exception {
		this.nodes = new LoopbackNodes(CLUSTER_ID, this.root, LoopbackPorts.freeAddresses(5));
		this.nodes.startAll(5);
		this.nodes.awaitNormal(ALL_FIVE, 0);
		this.nodes.put(10);

		ReplicaNode primary = this.nodes.node(this.nodes.primary());
		// Every member holds the primary's newest op: each is alive in its view.
		await().atMost(WAIT).until(() -> {
			for (int index = 0; index < 5; index++) {
				if (this.nodes.node(index).status().op() != primary.status().op()) {
					return false;
				}
			}
			return true;
		});
		Configuration three = primary.changeMembers(FIRST_THREE).get(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(three.epoch()).isEqualTo(1);
		assertThat(three.members()).isEqualTo(FIRST_THREE);
		for (int removed : new int[] { 3, 4 }) {
			await().atMost(WAIT).until(() -> this.nodes.node(removed).status().stopped());
			assertThat(this.nodes.node(removed).status().stopCause()).contains("removed from the members");
			this.nodes.stop(removed);
		}
		this.nodes.awaitNormal(FIRST_THREE, 1);
		this.nodes.put(10);

		assertThatThrownBy(() -> this.nodes.node(this.nodes.primary())
			.changeMembers(FIRST_THREE)
			.get(WAIT.toSeconds(), TimeUnit.SECONDS))
			.hasMessageContaining("the members of epoch 1 are [0, 1, 2] already: nothing to do");
		this.nodes.awaitPutsOn(1, this.nodes.puts(), 0, 1, 2);
	}

	@Test
	void threeReplicasLearnTwoAddressesByARollingRestartAndGrowToFive() throws Exception {
		List<PeerAddress> five = LoopbackPorts.freeAddresses(5);
		this.nodes = new LoopbackNodes(CLUSTER_ID, this.root, five.subList(0, 3));
		this.nodes.startAll(3);
		this.nodes.awaitNormal(FIRST_THREE, 0);
		this.nodes.put(10);

		// The peer list is an address book: the members restart one by one with two more addresses,
		// and stay the three members the cluster was formed with.
		this.nodes.usePeers(five);
		for (int index = 0; index < 3; index++) {
			this.nodes.stop(index);
			this.nodes.start(index);
			this.nodes.awaitNormal(FIRST_THREE, 0);
		}
		this.nodes.put(10);
		// Started empty, the new hosts recover the cluster's state and wait as spares.
		this.nodes.start(3);
		this.nodes.start(4);
		await().atMost(WAIT).until(() -> this.nodes.node(3).status().status() == Status.NORMAL
				&& this.nodes.node(4).status().status() == Status.NORMAL);
		assertThat(this.nodes.node(3).status().configuration().members()).isEqualTo(FIRST_THREE);

		// One at a time: the second spare hears of the first change as a replica outside the members.
		Configuration four = this.nodes.node(this.nodes.primary())
			.changeMembers(FIRST_THREE | 0b01000)
			.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(four.epoch()).isEqualTo(1);
		this.nodes.awaitNormal(FIRST_THREE | 0b01000, 1);
		this.nodes.put(10);
		Configuration grown = this.nodes.node(this.nodes.primary())
			.changeMembers(ALL_FIVE)
			.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(grown.epoch()).isEqualTo(2);
		this.nodes.awaitNormal(ALL_FIVE, 2);
		this.nodes.put(10);
		this.nodes.awaitPutsOn(1, this.nodes.puts(), 0, 1, 2, 3, 4);
	}

}
