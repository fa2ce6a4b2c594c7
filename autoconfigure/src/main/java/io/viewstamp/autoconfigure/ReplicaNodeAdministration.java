package io.viewstamp.autoconfigure;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.viewstamp.ReplicationAdministration;
import io.viewstamp.ReplicationAdministrationException;
import io.viewstamp.ReplicationUnavailableException;
import io.viewstamp.runtime.PrimaryTransferException;
import io.viewstamp.runtime.ReplicaNode;

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
		ReplicaNode node = this.lifecycle.getNode();
		if (node == null) {
			throw new ReplicationUnavailableException("This application's replica is not running (not started yet, "
					+ "or stopped): it can not hand over a view. Ask the primary's application.");
		}
		// The hand-over gives up after a view-change timeout; past twice that, something else is wrong.
		Duration wait = this.lifecycle.getOptions()
			.tickInterval()
			.multipliedBy(2L * this.lifecycle.getOptions().replica().viewChangeTimeoutTicks());
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

}
