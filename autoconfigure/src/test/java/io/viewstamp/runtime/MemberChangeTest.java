package io.viewstamp.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

/**
 * Changes of members on real replicas over Netty ({@link ReplicaNode#changeMembers}): five replicas
 * shrink to three, the two removed stop by themselves once the others have taken over, and every
 * command acknowledged before and after is in every member's state; and three replicas grow to
 * five, one change at a time, at the addresses the changes name: no member's peer list is edited,
 * none restarts, and a member restarted with its old peer list finds the new ones from its superblock.
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
	void threeReplicasGrowToFiveAtTheAddressesTheChangesNameWithoutARestartAndKeepThemAcrossOne() throws Exception {
		List<PeerAddress> five = LoopbackPorts.freeAddresses(5);
		List<PeerAddress> firstThree = five.subList(0, 3);
		this.nodes = new LoopbackNodes(CLUSTER_ID, this.root, firstThree);
		this.nodes.startAll(3);
		this.nodes.awaitNormal(FIRST_THREE, 0);
		this.nodes.put(10);

		// A new host starts empty with a peer list that names it; the members' lists stay as they are, so
		// no member dials it until a change names its address.
		this.nodes.usePeers(five);
		this.nodes.start(3);
		Configuration four = this.nodes.node(this.nodes.primary())
			.changeMembers(FIRST_THREE | 0b01000, Map.of(3, five.get(3)))
			.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(four.epoch()).isEqualTo(1);
		assertThat(four.addresses()).containsExactly(entry(0, five.get(0).toString()), entry(1, five.get(1).toString()),
				entry(2, five.get(2).toString()), entry(3, five.get(3).toString()));
		this.nodes.awaitNormal(FIRST_THREE | 0b01000, 1);
		this.nodes.put(10);
		this.nodes.start(4);
		Configuration grown = this.nodes.node(this.nodes.primary())
			.changeMembers(ALL_FIVE, Map.of(4, five.get(4)))
			.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(grown.epoch()).isEqualTo(2);
		this.nodes.awaitNormal(ALL_FIVE, 2);
		this.nodes.put(10);
		// A first member, whose peer list stops at 2, reports on all five members.
		await().atMost(WAIT).until(() -> this.nodes.node(1).status().acknowledgedOps().size() == 5);

		// A first member restarts with the peer list it was started with: its superblock says where 3 and 4 are.
		this.nodes.usePeers(firstThree);
		this.nodes.stop(0);
		ReplicaNode restarted = this.nodes.start(0);
		await().atMost(WAIT).until(() -> restarted.status().peers().stream().filter((peer) -> peer.connected()).count() == 4);
		this.nodes.awaitNormal(ALL_FIVE, 2);
		this.nodes.put(10);
		this.nodes.awaitPutsOn(1, this.nodes.puts(), 0, 1, 2, 3, 4);
	}

	@Test
	void aReplicaRunningAloneRefusesToGrowAndKeepsServing() throws Exception {
		List<PeerAddress> alone = LoopbackPorts.freeAddresses(1);
		this.nodes = new LoopbackNodes(CLUSTER_ID, this.root, alone);
		// A single replica forms its cluster by itself, as the starter does for it.
		ReplicaNode.format(new NodeConfiguration(CLUSTER_ID, 0, alone, this.nodes.dataDirectory(0)));
		this.nodes.start(0);
		this.nodes.put(3);
		assertThatThrownBy(() -> this.nodes.node(0)
			.changeMembers(0b11, Map.of(1, LoopbackPorts.freeAddresses(1).get(0)))
			.get(WAIT.toSeconds(), TimeUnit.SECONDS))
			.hasMessageContaining("Replica 0 runs alone, without a network");
		this.nodes.put(3);
		assertThat(this.nodes.node(0).status().stopped()).isFalse();
	}

	@Test
	void aChangeToAReplicaWithoutAnAddressIsRefusedNamingHowToGiveOne() throws Exception {
		this.nodes = new LoopbackNodes(CLUSTER_ID, this.root, LoopbackPorts.freeAddresses(3));
		this.nodes.startAll(3);
		this.nodes.awaitNormal(FIRST_THREE, 0);
		assertThatThrownBy(() -> this.nodes.node(this.nodes.primary())
			.changeMembers(FIRST_THREE | 0b01000)
			.get(WAIT.toSeconds(), TimeUnit.SECONDS))
			.hasMessageContaining("Replica 3 has no address: neither replica " + this.nodes.primary()
					+ "'s replication.peers nor its committed configuration say where it is")
			.hasMessageContaining("{\"add\":3,\"address\":\"host:port\"}");
		assertThat(this.nodes.node(0).status().configuration()).isEqualTo(Configuration.initial(3));
	}

}
