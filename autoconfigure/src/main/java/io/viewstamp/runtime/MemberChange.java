package io.viewstamp.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

import org.jspecify.annotations.Nullable;

import io.viewstamp.transport.PeerAddress;
import io.viewstamp.vsr.Cluster;
import io.viewstamp.vsr.Configuration;
import io.viewstamp.vsr.ReconfigurationRefusal;
import io.viewstamp.vsr.Replica;
import io.viewstamp.vsr.Status;

/**
 * A change of members asked of this replica ({@link ReplicaNode#changeMembers}): who waits for it,
 * and the words for each way it can end. It completes once the next epoch started here, and fails
 * with a {@link MemberChangeException} that says why and what to do when the replica refuses it or
 * gives it up. Used on the replica's loop only.
 */
final class MemberChange {

	private final long epochBefore;

	private final int members;

	private final CompletableFuture<Configuration> result;

	private MemberChange(long epochBefore, int members, CompletableFuture<Configuration> result) {
		this.epochBefore = epochBefore;
		this.members = members;
		this.result = result;
	}

	/**
	 * Asks {@code replica} to change the members to {@code members}, recording every member's address
	 * in the next configuration: the one {@code given}, else where this replica knows it to be.
	 * @param known where this replica knows each replica to be (the committed configuration, then its
	 * peer list), {@code null} when nowhere
	 * @param given the addresses the caller named (a new member's)
	 * @return the change under way, or {@code null} when it was refused at once ({@code result} failed)
	 */
	static @Nullable MemberChange start(Replica replica, IntFunction<@Nullable PeerAddress> known, int members,
			Map<Integer, PeerAddress> given, CompletableFuture<Configuration> result) {
		Map<Integer, String> addresses = new HashMap<>();
		for (int index = 0; index < Cluster.REPLICAS_MAX; index++) {
			if ((members & (1 << index)) == 0) {
				continue;
			}
			PeerAddress address = given.containsKey(index) ? given.get(index) : known.apply(index);
			if (address == null) {
				result.completeExceptionally(new MemberChangeException("Replica " + index + " has no address: neither "
						+ "replica " + replica.index() + "'s replication.peers nor its committed configuration say where it "
						+ "is. Name it with the change (POST /actuator/replication {\"add\":" + index
						+ ",\"address\":\"host:port\"}, or {\"replace\":m,\"with\":" + index
						+ ",\"address\":\"host:port\"}; or ReplicationAdministration.addMember(" + index
						+ ", \"host:port\")); the new replica itself starts with an empty data directory and a "
						+ "replication.peers that lists the members"));
				return null;
			}
			addresses.put(index, address.toString());
		}
		long epoch = replica.configuration().epoch();
		ReconfigurationRefusal refusal = replica.memberChanges().start(members, addresses);
		if (refusal != null) {
			result.completeExceptionally(new MemberChangeException(refused(replica, known, members, refusal)));
			return null;
		}
		return new MemberChange(epoch, members, result);
	}

	/**
	 * Looks at the replica after a tick.
	 * @return whether the change has ended (completed or failed)
	 */
	boolean settle(Replica replica, IntFunction<@Nullable PeerAddress> known) {
		if (replica.configuration().epoch() > this.epochBefore) {
			this.result.complete(replica.configuration());
			return true;
		}
		if (replica.memberChanges().pending() != null) {
			return false;
		}
		// Neither asked of this primary any more nor prepared in its log: given up, or dropped by a view change.
		ReconfigurationRefusal reason = replica.memberChanges().givenUp();
		String why = (reason != null) ? refused(replica, known, this.members, reason)
				: "its view ended before the change was prepared (a view change); replica "
						+ replica.primaryIndex() + " leads now";
		this.result.completeExceptionally(new MemberChangeException("The change of members to "
				+ Configuration.of(0, this.members).memberList() + " was given up, and nothing changed: " + why
				+ ". Ask again once that is fixed"));
		return true;
	}

	/** The replica stopped before the change ended. */
	void stopped(int replica) {
		this.result.completeExceptionally(new MemberChangeException("Replica " + replica + " stopped before the "
				+ "change of members ended; look at /actuator/replication on the other replicas for the epoch they are in"));
	}

	static String refused(Replica replica, IntFunction<@Nullable PeerAddress> known, int members,
			ReconfigurationRefusal refusal) {
		String next = Configuration.of(0, members).memberList();
		Configuration current = replica.configuration();
		return switch (refusal) {
			case INVALID_MEMBERS -> "a cluster needs at least one member, each an index from 0 to 15, and an address "
					+ "has at most " + Configuration.ADDRESS_SIZE_BYTES_MAX + " bytes";
			case NOT_PRIMARY -> "replica " + replica.index() + " is not the primary, which changes the members"
					+ ((replica.status() == Status.NORMAL) ? ": ask replica " + replica.primaryIndex()
							+ addressOf(known, replica.primaryIndex()) + ", which leads view " + replica.view()
							: " (it is " + replica.status() + "): ask again once a primary leads");
			case ALREADY_MEMBERS -> "the members of epoch " + current.epoch() + " are " + next + " already: nothing to do";
			case CHANGE_UNDER_WAY -> "another change of members, or a hand-over of the primary, is under way on replica "
					+ replica.index() + ": ask again once it is done";
			case NO_QUORUM -> "fewer of the new members " + next + " than their quorum answered the primary in time, so "
					+ "they could commit nothing: start the missing ones, or change fewer members at once";
			case NEW_MEMBERS_BEHIND -> "a new member of " + next + " did not catch up in time: start it (with an empty "
					+ "data directory it recovers from the others and waits as a spare) and check that it reaches the "
					+ "members (its log and /actuator/replication say)";
		};
	}

	private static String addressOf(IntFunction<@Nullable PeerAddress> known, int replica) {
		PeerAddress address = known.apply(replica);
		return (address != null) ? " (" + address + ")" : "";
	}

}
