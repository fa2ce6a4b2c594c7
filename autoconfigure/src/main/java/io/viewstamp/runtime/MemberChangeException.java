package io.viewstamp.runtime;

/**
 * A change of the cluster's members was refused or given up ({@link ReplicaNode#changeMembers}).
 * Nothing changed; the message says why and what to do.
 */
public class MemberChangeException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	public MemberChangeException(String message) {
		super(message);
	}

}
