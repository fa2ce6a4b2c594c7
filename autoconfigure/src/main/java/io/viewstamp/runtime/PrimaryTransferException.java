package io.viewstamp.runtime;

/**
 * A hand-over of the primary's view ({@link ReplicaNode#transferPrimary}) did not happen: the
 * replica refused it (it is not the primary, or the target is not a member), gave it up (the
 * target did not catch up in time), or another view change overtook it. The message says which,
 * and what to do. No command is lost by a failed hand-over: the cluster serves on in some view.
 */
public class PrimaryTransferException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public PrimaryTransferException(String message) {
		super(message);
	}

}
