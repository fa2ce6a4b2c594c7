package io.viewstamp.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.viewstamp.vsr.Configuration;

/**
 * How {@code replication.peers} and the committed configuration differ. The peer list says where
 * each replica that may be a member lives (a brand-new cluster's members are all of it); the
 * committed configuration, in the superblock, says which of them are members now. The replica
 * follows the configuration, and says so when the two differ, so that an operator who expected the
 * peer list to decide sees what decides.
 */
final class PeerListCheck {

	private PeerListCheck() {
	}

	/**
	 * What differs between a peer list of {@code peerCount} replicas and {@code committed}, in words
	 * for the log, or empty when the peer list lists exactly the members.
	 */
	static Optional<String> differences(int replica, int peerCount, Configuration committed) {
		List<Integer> notMembers = new ArrayList<>();
		for (int index = 0; index < peerCount; index++) {
			if (!committed.contains(index)) {
				notMembers.add(index);
			}
		}
		if (notMembers.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of("Replica " + replica + ": replication.peers lists replicas 0.." + (peerCount - 1)
				+ ", but the committed configuration (epoch " + committed.epoch() + ") has members "
				+ committed.memberList() + ". The replica follows the committed configuration: " + notMembers
				+ ((notMembers.size() == 1) ? " is" : " are") + " not " + ((notMembers.size() == 1) ? "a member" : "members")
				+ " (a change of members adds them); the peer list only gives addresses");
	}

}
