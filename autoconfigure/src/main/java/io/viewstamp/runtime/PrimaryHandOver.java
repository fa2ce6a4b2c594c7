package io.viewstamp.runtime;

import java.util.concurrent.CompletableFuture;

import io.viewstamp.vsr.Replica;
import io.viewstamp.vsr.Status;
import io.viewstamp.vsr.TransferRefusal;

/**
 * One hand-over of the local primary's view ({@link Replica#transferPrimary}) as the runtime
 * follows it on the replica's loop: it completes once the local replica is normal in a view the
 * target leads, and fails with a {@link PrimaryTransferException} that says why when the replica
 * refused, gave up, or the view went to another replica. Loop only, but its future.
 */
final class PrimaryHandOver {

	private final int from;

	private final int target;

	private final long viewBefore;

	private final CompletableFuture<Long> result = new CompletableFuture<>();

	private PrimaryHandOver(int from, int target, long viewBefore) {
		this.from = from;
		this.target = target;
		this.viewBefore = viewBefore;
	}

	/** Asks {@code replica} to hand its view to {@code target}; the result fails at once if it refuses. */
	static PrimaryHandOver start(Replica replica, int target) {
		PrimaryHandOver handOver = new PrimaryHandOver(replica.index(), target, replica.view());
		TransferRefusal refusal = replica.transferPrimary(target);
		if (refusal != null) {
			handOver.result
				.completeExceptionally(new PrimaryTransferException(refused(replica, target, refusal)));
		}
		return handOver;
	}

	/** Completed with the new view, or failed with a {@link PrimaryTransferException}. */
	CompletableFuture<Long> result() {
		return this.result;
	}

	boolean isDone() {
		return this.result.isDone();
	}

	/** Looks at the replica after a loop step. */
	void check(Replica replica) {
		if (this.result.isDone()) {
			return;
		}
		if (replica.view() == this.viewBefore) {
			if (replica.transferTarget() != this.target) {
				this.result.completeExceptionally(new PrimaryTransferException("Replica " + this.target
						+ " did not catch up with primary " + this.from + " within a view-change timeout (is it running and "
						+ "connected?): replica " + this.from + " still leads view " + this.viewBefore
						+ ". Nothing was lost; try again, or hand over to another replica."));
			}
			return;
		}
		if (replica.status() != Status.NORMAL) {
			return;
		}
		if (replica.primaryIndex() == this.target) {
			this.result.complete(replica.view());
		}
		else {
			this.result.completeExceptionally(new PrimaryTransferException("The hand-over from replica " + this.from
					+ " to replica " + this.target + " was overtaken by another view change: replica " + replica.primaryIndex()
					+ " leads view " + replica.view() + ". Nothing was lost; try again if replica " + this.target
					+ " should lead."));
		}
	}

	/** Another hand-over, to {@code next}, replaced this one before it ended. */
	void superseded(int next) {
		this.result.completeExceptionally(new PrimaryTransferException("The hand-over from replica " + this.from
				+ " to replica " + this.target + " was replaced by a hand-over to replica " + next + " before it ended. "
				+ "Nothing was lost; ask again once that one has ended, if replica " + this.target + " should lead."));
	}

	/** The replica stopped before the hand-over ended. */
	void stopped() {
		this.result.completeExceptionally(new PrimaryTransferException("Replica " + this.from
				+ " stopped before its hand-over to replica " + this.target + " ended; nothing was lost, and its peers "
				+ "choose a new primary"));
	}

	private static String refused(Replica replica, int target, TransferRefusal refusal) {
		return switch (refusal) {
			case UNKNOWN_REPLICA -> "Replica " + target + " is not a member of the cluster (epoch "
					+ replica.configuration().epoch() + " has members " + replica.configuration().memberList()
					+ "): name one of those";
			case NOT_PRIMARY -> "Replica " + replica.index() + " can not hand over the view: it is not the primary"
					+ ((replica.status() == Status.NORMAL) ? " (replica " + replica.primaryIndex() + " leads view "
							+ replica.view() + "; ask that one)" : " (it is " + replica.status() + ")");
			case ALREADY_PRIMARY -> "Replica " + target + " already leads view " + replica.view() + ": nothing to do";
			case CHANGE_UNDER_WAY -> "Replica " + replica.index() + " is changing the cluster's members: the view moves "
					+ "with that change; ask again once it is done";
		};
	}

}
