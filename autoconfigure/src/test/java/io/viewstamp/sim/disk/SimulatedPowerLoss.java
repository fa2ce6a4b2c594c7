package io.viewstamp.sim.disk;

/**
 * The simulated machine lost power in the middle of a file system call, which therefore did
 * nothing: thrown by the operation {@link SimFileSystem#powerLossAfter} chose, and by every
 * operation that changes the disk after it until {@link SimFileSystem#crash} brings the machine
 * back. An {@link Error}, not an {@link java.io.IOException}, because code under test must not
 * handle a power loss: nothing runs after one.
 */
public final class SimulatedPowerLoss extends Error {

	private static final long serialVersionUID = 1L;

	SimulatedPowerLoss(String message) {
		super(message);
	}

}
