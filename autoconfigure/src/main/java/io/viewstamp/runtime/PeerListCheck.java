package io.viewstamp.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.viewstamp.transport.PeerAddress;
import io.viewstamp.vsr.Configuration;

/**
 * How {@code replication.peers} and the committed configuration differ. The peer list is where a
 * brand-new replica starts: where each replica lives (a brand-new cluster's members are all of it).
 * The committed configuration, in the superblock, says which replicas are members now and, once a
 * change of members has named them, where each is. The replica follows the configuration, and says
 * so when the two differ, so that an operator who expected the peer list to decide sees what decides.
 */
final class PeerListCheck {

	private PeerListCheck() {
	}

	/**
	 * What differs between {@code peers} and {@code committed}, in words for the log, or empty when
	 * the peer list lists exactly the members, at the addresses the configuration gives them.
	 */
	static Optional<String> differences(int replica, List<PeerAddress> peers, Configuration committed) {
		if (peers.isEmpty()) {
			// A replica without a peer list runs alone: there is no list to compare.
			return Optional.empty();
		}
		List<Integer> notMembers = new ArrayList<>();
		for (int index = 0; index < peers.size(); index++) {
			if (!committed.contains(index)) {
				notMembers.add(index);
			}
		}
		List<String> elsewhere = new ArrayList<>();
		List<String> unlisted = new ArrayList<>();
		for (int member : committed.memberIndexes()) {
			String address = committed.address(member);
			if (member >= peers.size()) {
				unlisted.add(member + (address.isEmpty() ? "" : " at " + address));
			}
			else if (!address.isEmpty() && !address.equalsIgnoreCase(peers.get(member).toString())) {
				elsewhere.add(member + " at " + address + " (the peer list says " + peers.get(member) + ")");
			}
		}
		if (notMembers.isEmpty() && elsewhere.isEmpty() && unlisted.isEmpty()) {
			return Optional.empty();
		}
		StringBuilder words = new StringBuilder("Replica " + replica + ": replication.peers lists replicas 0.."
				+ (peers.size() - 1) + ", but the committed configuration (epoch " + committed.epoch() + ") has members "
				+ committed.memberList() + ". The replica follows the committed configuration");
		if (!notMembers.isEmpty()) {
			words.append(": ").append(notMembers).append((notMembers.size() == 1) ? " is not a member" : " are not members")
				.append(" (a change of members adds them)");
		}
		if (!unlisted.isEmpty()) {
			words.append((notMembers.isEmpty()) ? ": " : "; ").append("it reaches member").append(plural(unlisted))
				.append(' ').append(String.join(", ", unlisted)).append(", which the peer list does not list");
		}
		if (!elsewhere.isEmpty()) {
			words.append((notMembers.isEmpty() && unlisted.isEmpty()) ? ": " : "; ")
				.append("it reaches member")
				.append(plural(elsewhere))
				.append(' ')
				.append(String.join(", ", elsewhere));
		}
		return Optional.of(words.append(". The peer list only matters to a replica that starts with an empty data "
				+ "directory").toString());
	}

	private static String plural(List<?> items) {
		return (items.size() == 1) ? "" : "s";
	}

}
