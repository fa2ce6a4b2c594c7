package io.viewstamp.runtime;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.viewstamp.transport.PeerAddress;
import io.viewstamp.vsr.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class PeerListCheckTest {

	private static List<PeerAddress> peers(int count) {
		return java.util.stream.IntStream.range(0, count).mapToObj((index) -> PeerAddress.parse("h" + index + ":7400")).toList();
	}

	@Test
	void aPeerListOfExactlyTheMembersSaysNothing() {
		assertThat(PeerListCheck.differences(0, peers(3), Configuration.initial(3))).isEmpty();
		assertThat(PeerListCheck.differences(0, peers(3),
				Configuration.initial(3).next(0b111).withAddress(0, "h0:7400").withAddress(2, "H2:7400")))
			.isEmpty();
	}

	@Test
	void aReplicaWithoutAPeerListRunsAloneAndSaysNothing() {
		assertThat(PeerListCheck.differences(0, List.of(), Configuration.initial(1))).isEmpty();
	}

	@Test
	void hostsThatAreNotMembersAreNamedWithTheConfigurationTheReplicaFollows() {
		assertThat(PeerListCheck.differences(1, peers(5), Configuration.ofMembers(2, 0, 1, 4))).contains("Replica 1: "
				+ "replication.peers lists replicas 0..4, but the committed configuration (epoch 2) has members [0, 1, 4]. "
				+ "The replica follows the committed configuration: [2, 3] are not members (a change of members adds "
				+ "them). The peer list only matters to a replica that starts with an empty data directory");
	}

	@Test
	void membersTheConfigurationPlacesElsewhereOrThePeerListLacksAreNamedWithTheirCommittedAddresses() {
		Configuration committed = Configuration.ofMembers(1, 0, 1, 3)
			.withAddress(0, "h0:7400")
			.withAddress(1, "moved:7401")
			.withAddress(3, "h3:7400");
		assertThat(PeerListCheck.differences(0, peers(3), committed)).contains("Replica 0: replication.peers lists "
				+ "replicas 0..2, but the committed configuration (epoch 1) has members [0, 1, 3]. The replica follows the "
				+ "committed configuration: [2] is not a member (a change of members adds them); it reaches member 3 at "
				+ "h3:7400, which the peer list does not list; it reaches member 1 at moved:7401 (the peer list says "
				+ "h1:7400). The peer list only matters to a replica that starts with an empty data directory");
	}

}
