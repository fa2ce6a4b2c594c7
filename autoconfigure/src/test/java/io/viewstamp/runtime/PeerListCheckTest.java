package io.viewstamp.runtime;

import org.junit.jupiter.api.Test;

import io.viewstamp.vsr.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class PeerListCheckTest {

	@Test
	void aPeerListOfExactlyTheMembersSaysNothing() {
		assertThat(PeerListCheck.differences(0, 3, Configuration.initial(3))).isEmpty();
	}

	@Test
	void hostsThatAreNotMembersAreNamedWithTheConfigurationTheReplicaFollows() {
		assertThat(PeerListCheck.differences(1, 5, Configuration.ofMembers(2, 0, 1, 4))).contains("Replica 1: "
				+ "replication.peers lists replicas 0..4, but the committed configuration (epoch 2) has members [0, 1, 4]. "
				+ "The replica follows the committed configuration: [2, 3] are not members (a change of members adds "
				+ "them); the peer list only gives addresses");
	}

}
