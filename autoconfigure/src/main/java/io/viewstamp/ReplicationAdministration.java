package io.viewstamp;

/**
 * Operations on the cluster this application's replica belongs to, for operators and for code that
 * manages the application (a deployment hook, an admin page). The starter provides the bean; the
 * same operations are actuator write operations on {@code /actuator/replication}.
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

}
