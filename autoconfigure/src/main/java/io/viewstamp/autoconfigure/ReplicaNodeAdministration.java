package io.viewstamp.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.viewstamp.ReplicationAdministration;
import io.viewstamp.ReplicationAdministrationException;
import io.viewstamp.ReplicationMembers;
import io.viewstamp.ReplicationUnavailableException;
import io.viewstamp.runtime.MemberChangeException;
import io.viewstamp.runtime.PrimaryTransferException;
import io.viewstamp.runtime.ReplicaNode;
import io.viewstamp.transport.InvalidPeerAddressException;
import io.viewstamp.transport.PeerAddress;
import io.viewstamp.vsr.Cluster;
import io.viewstamp.vsr.Configuration;
import io.viewstamp.vsr.MemberChanges;

/**
 * {@link ReplicationAdministration} on this application's running replica.
 */
final class ReplicaNodeAdministration implements ReplicationAdministration {

	private final ReplicaNodeLifecycle lifecycle;

	ReplicaNodeAdministration(ReplicaNodeLifecycle lifecycle) {
		this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
	}

	@Override
	public long transferPrimary(int target) {
		ReplicaNode node = runningNode("it can not hand over a view");
		// The hand-over gives up after a view-change timeout; past twice that, something else is wrong.
		Duration wait = viewChangeTimeout().multipliedBy(2);
		try {
			return node.transferPrimary(target).get(wait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			Throwable cause = Objects.requireNonNullElse(ex.getCause(), ex);
			if (cause instanceof PrimaryTransferException refused) {
				throw new ReplicationAdministrationException(String.valueOf(refused.getMessage()), refused);
			}
			throw new ReplicationAdministrationException("The hand-over to replica " + target + " failed: " + cause, cause);
		}
		catch (TimeoutException ex) {
			throw new ReplicationAdministrationException("The hand-over to replica " + target + " did not end within "
					+ wait.toMillis() + " ms; look at /actuator/replication on each replica for the view they are in", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ReplicationAdministrationException("Interrupted while waiting for the hand-over to replica " + target,
					ex);
		}
	}

	@Override
	public ReplicationMembers members() {
		return members(runningNode("it knows no members").status().configuration());
	}

	@Override
	public ReplicationMembers addMember(int replica) {
		return addMember(replica, Map.of());
	}

	@Override
	public ReplicationMembers addMember(int replica, String address) {
		return addMember(replica, Map.of(replica, parse(replica, address)));
	}

	private ReplicationMembers addMember(int replica, Map<Integer, PeerAddress> addresses) {
		ReplicaNode node = runningNode("it can not change the members");
		Configuration current = node.status().configuration();
		int members = current.members();
		if ((members & bit(replica)) != 0) {
			throw new ReplicationAdministrationException("Replica " + replica + " is a member already (epoch "
					+ current.epoch() + " has " + current.memberList() + "): nothing to do");
		}
		return changeMembers(node, members | bit(replica), addresses, "adding replica " + replica);
	}

	@Override
	public ReplicationMembers removeMember(int replica) {
		ReplicaNode node = runningNode("it can not change the members");
		int members = node.status().configuration().members();
		requireMember(node, replica);
		if (members == bit(replica)) {
			throw new ReplicationAdministrationException("Replica " + replica + " is the only member: a cluster needs "
					+ "one. Add its successor first, or replace it");
		}
		return changeMembers(node, members & ~bit(replica), Map.of(), "removing replica " + replica);
	}

	@Override
	public ReplicationMembers replaceMember(int replaced, int replacement) {
		return replaceMember(replaced, replacement, Map.of());
	}

	@Override
	public ReplicationMembers replaceMember(int replaced, int replacement, String address) {
		return replaceMember(replaced, replacement, Map.of(replacement, parse(replacement, address)));
	}

	private ReplicationMembers replaceMember(int replaced, int replacement, Map<Integer, PeerAddress> addresses) {
		ReplicaNode node = runningNode("it can not change the members");
		int members = node.status().configuration().members();
		requireMember(node, replaced);
		if ((members & bit(replacement)) != 0) {
			throw new ReplicationAdministrationException("Replica " + replacement + " is a member already: the "
					+ "replacement must be a running spare (started with an empty data directory), not a member");
		}
		return changeMembers(node, (members & ~bit(replaced)) | bit(replacement), addresses,
				"replacing replica " + replaced + " by replica " + replacement);
	}

	private ReplicationMembers changeMembers(ReplicaNode node, int members, Map<Integer, PeerAddress> addresses,
			String what) {
		// The new members have ten view-change timeouts to catch up, then the change commits and the
		// next epoch starts with a view change: past twice that, something else is wrong.
		Duration wait = viewChangeTimeout().multipliedBy(2L * (MemberChanges.DEADLINE_VIEW_CHANGE_TIMEOUTS + 2));
		try {
			return members(node.changeMembers(members, addresses).get(wait.toMillis(), TimeUnit.MILLISECONDS));
		}
		catch (ExecutionException ex) {
			Throwable cause = Objects.requireNonNullElse(ex.getCause(), ex);
			if (cause instanceof MemberChangeException refused) {
				throw new ReplicationAdministrationException(sentenceStart(what) + " failed: " + refused.getMessage(),
						refused);
			}
			throw new ReplicationAdministrationException(sentenceStart(what) + " failed: " + cause, cause);
		}
		catch (TimeoutException ex) {
			throw new ReplicationAdministrationException(sentenceStart(what) + " did not end within " + wait.toMillis()
					+ " ms; look at /actuator/replication on each replica for the epoch and members it is in", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ReplicationAdministrationException("Interrupted while " + what, ex);
		}
	}

	/** A new member's address, as the caller gave it. */
	private static PeerAddress parse(int replica, String address) {
		Objects.requireNonNull(address, "address");
		try {
			PeerAddress parsed = PeerAddress.parse(address);
			if (!Configuration.isAddress(parsed.toString())) {
				throw new InvalidPeerAddressException("it is longer than " + Configuration.ADDRESS_SIZE_BYTES_MAX + " bytes");
			}
			return parsed;
		}
		catch (InvalidPeerAddressException ex) {
			throw new IllegalArgumentException("The address '" + address + "' given for replica " + replica
					+ " is no host:port (" + ex.getMessage() + "): give the host and port it listens on, as its "
					+ "replication.peers lists them, for example 10.0.0.4:7400", ex);
		}
	}

	private static void requireMember(ReplicaNode node, int replica) {
		Configuration configuration = node.status().configuration();
		if ((configuration.members() & bit(replica)) == 0) {
			throw new ReplicationAdministrationException("Replica " + replica + " is not a member (epoch "
					+ configuration.epoch() + " has " + configuration.memberList() + "): name one of those");
		}
	}

	private static int bit(int replica) {
		if (replica < 0 || replica >= Cluster.REPLICAS_MAX) {
			throw new ReplicationAdministrationException("Replica " + replica + " is not a replica index: name one from "
					+ "0 to " + (Cluster.REPLICAS_MAX - 1) + ", its position in replication.peers");
		}
		return 1 << replica;
	}

	private static ReplicationMembers members(Configuration configuration) {
		return new ReplicationMembers(configuration.epoch(), configuration.memberIndexes(), configuration.addresses());
	}

	private static String sentenceStart(String what) {
		return Character.toUpperCase(what.charAt(0)) + what.substring(1);
	}

	private Duration viewChangeTimeout() {
		return this.lifecycle.getOptions()
			.tickInterval()
			.multipliedBy(this.lifecycle.getOptions().replica().viewChangeTimeoutTicks());
	}

	private ReplicaNode runningNode(String consequence) {
		ReplicaNode node = this.lifecycle.getNode();
		if (node == null) {
			throw new ReplicationUnavailableException("This application's replica is not running (not started yet, "
					+ "or stopped): " + consequence + ". Ask the primary's application.");
		}
		return node;
	}

}
