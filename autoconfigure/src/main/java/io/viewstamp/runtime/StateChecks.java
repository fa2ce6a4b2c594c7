package io.viewstamp.runtime;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import io.viewstamp.vsr.StateMachine;

/**
 * Checks, every so many applied ops, that this replica's state is the primary's, so that a
 * replica whose state has silently diverged (a command that read the clock, a replica running
 * another version of the application) is reported even when no result it returns shows it.
 *
 * <p>A check is a command like any other, so that it is ordered with the others: the empty
 * command, which applications may not submit. Every replica applies it at the same op by
 * digesting its state machine's snapshot instead of calling the state machine, and the primary's
 * digest comes back to the replica that submitted it in the reply. That replica compares it with
 * the digest it computed for the same op, as it compares every result ({@link AppliedResults}).
 * It relies on the {@link StateMachine#snapshot()} contract: the same state gives the same bytes
 * on every replica.
 *
 * <p>Only the loop thread schedules checks; {@link #lastAgreedOp()} may be read from any thread.
 */
final class StateChecks {

	/** The command of a check. */
	static final byte[] COMMAND = new byte[0];

	private final long intervalOps;

	/** The applied op from which the next check is due. */
	private long nextCheckOp;

	private boolean inFlight;

	private volatile long lastAgreedOp;

	/**
	 * @param intervalOps ops applied between two checks; 0 turns checks off
	 */
	StateChecks(long intervalOps) {
		this.intervalOps = intervalOps;
		this.nextCheckOp = intervalOps;
	}

	/** Whether {@code command} is a state check rather than the application's. */
	static boolean isCheck(byte[] command) {
		return command.length == 0;
	}

	/** The result of a check: the SHA-256 of the state machine's snapshot. Apply thread only. */
	static byte[] digest(StateMachine stateMachine) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(stateMachine.snapshot());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	/**
	 * Whether a check should be submitted now: checks are on, none is in flight, the replica is
	 * normal (a check during a view change would only wait) and enough ops were applied since the
	 * last one.
	 */
	boolean isDue(boolean normal, long appliedOp) {
		return this.intervalOps > 0 && normal && !this.inFlight && appliedOp >= this.nextCheckOp;
	}

	/** A check was submitted. */
	void started() {
		this.inFlight = true;
	}

	/**
	 * The check in flight ended. After one that completed, the next is due {@code intervalOps}
	 * later; one that failed (no quorum in time) is tried again at once.
	 */
	void finished(boolean completed, long appliedOp) {
		this.inFlight = false;
		if (completed) {
			this.nextCheckOp = appliedOp + this.intervalOps;
		}
	}

	/** The primary's state and this replica's agreed at {@code op}. */
	void agreed(long op) {
		this.lastAgreedOp = Math.max(this.lastAgreedOp, op);
	}

	/** The op of the last check at which this replica's state was the primary's, 0 before the first. */
	long lastAgreedOp() {
		return this.lastAgreedOp;
	}

}
