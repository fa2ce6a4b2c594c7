package io.viewstamp;

/**
 * Operations on the cluster this application's replica belongs to (moving the primary, changing
 * the members), for operators and for code that manages the application (a deployment hook, an
 * admin page). The starter provides the bean; the same operations are actuator write operations on
 * {@code /actuator/replication}.
 *
 * <p>Each operation is refused with a {@link ReplicationAdministrationException} whose message says
 * why and what to do, and never loses an acknowledged command.
 */
public interface ReplicationAdministration {

	/**
	 * Moves the primary role to replica {@code target}, as a rolling restart does before it stops
	 * the primary: the primary stops taking commands, waits until the target holds everything it
	 * committed, and hands its view over. Callers see a few round trips of delay, not a timeout.
	 * Call it on the primary's application; a backup refuses and names the primary.
	 * @param target the index of the replica to lead next (its position in {@code replication.peers})
	 * @return the new view, which {@code target} leads
	 * @throws ReplicationAdministrationException when this replica is not the primary, the target
	 * is not a member, or the target did not catch up within a view-change timeout (the primary then
	 * serves on)
	 * @throws ReplicationUnavailableException when this application's replica is not running
	 */
	long transferPrimary(int target);

	/**
	 * The members of the cluster as this application's replica knows them (its committed configuration).
	 * @return the epoch and its members
	 * @throws ReplicationUnavailableException when this application's replica is not running
	 */
	ReplicationMembers members();

	/**
	 * Adds replica {@code replica}, listening at {@code address}, to the members. It must be running
	 * already: a replica started with an empty data directory and a peer list that names the members
	 * (and itself at index {@code replica}) recovers the cluster's state and waits as a spare. It
	 * catches up before it counts in any quorum; callers see a view change's pause when the new epoch
	 * starts. The change records every member's address, so the other replicas learn where the new one
	 * is from it: no peer list has to be edited, no replica restarted. Call it on the primary's
	 * application.
	 * @param replica the index of the replica to add (its {@code replication.replica})
	 * @param address where it listens, {@code host:port}
	 * @return the new epoch and its members, once it started here
	 * @throws ReplicationAdministrationException when this replica is not the primary, the replica is
	 * a member already, another change is under way, or the change was given up (the new member did
	 * not catch up in time); nothing changed then
	 * @throws IllegalArgumentException when the address is no {@code host:port} (of at most 240 bytes)
	 * @throws ReplicationUnavailableException when this application's replica is not running
	 */
	ReplicationMembers addMember(int replica, String address);

	/**
	 * {@link #addMember(int, String)} of a replica at the address this replica knows for it: its
	 * {@code replication.peers} entry, or the one a committed change recorded.
	 * @throws ReplicationAdministrationException as {@link #addMember(int, String)} does, and when this
	 * replica knows no address for {@code replica}
	 */
	ReplicationMembers addMember(int replica);

	/**
	 * Removes replica {@code replica} from the members. Once the others have taken over, it stops by
	 * itself; its data is no longer the cluster's. Call it on the primary's application; removing the
	 * primary itself hands the next epoch to another member.
	 * @param replica the index of the member to remove
	 * @return the new epoch and its members, once it started here (on a removed primary: once it
	 * started, before this replica stops)
	 * @throws ReplicationAdministrationException when this replica is not the primary, the replica is
	 * not a member or is the last one, another change is under way, or the change was given up (too few
	 * of the remaining members answered); nothing changed then
	 * @throws ReplicationUnavailableException when this application's replica is not running
	 */
	ReplicationMembers removeMember(int replica);

	/**
	 * Replaces member {@code replaced} by replica {@code replacement} in one change, as when a host
	 * dies and a new one takes its place (at another address, so at another index of the peer list):
	 * the replacement catches up first, and the cluster never has fewer members than before.
	 * @param replaced the index of the member leaving
	 * @param replacement the index of the running spare joining
	 * @return the new epoch and its members, once it started here
	 * @throws ReplicationAdministrationException as {@link #addMember} and {@link #removeMember} do
	 * @throws ReplicationUnavailableException when this application's replica is not running
	 */
	ReplicationMembers replaceMember(int replaced, int replacement);

	/**
	 * {@link #replaceMember(int, int)} by a replacement listening at {@code address}, which the
	 * change records, as {@link #addMember(int, String)} does.
	 * @throws ReplicationAdministrationException as {@link #replaceMember(int, int)} does
	 * @throws IllegalArgumentException when the address is no {@code host:port}
	 */
	ReplicationMembers replaceMember(int replaced, int replacement, String address);

}
