package io.viewstamp.sim.disk;

/**
 * Decides which operation that changes the disk a power loss interrupts. Every such operation
 * asks first, after its arguments were checked and before it changes anything, so an interrupted
 * operation leaves no trace. Once the power is off it stays off: every later change is refused as
 * well, until the crash brings the machine back. Guarded by the file system's monitor.
 */
final class PowerSupply {

	/** Changes allowed before the power fails, or -1 when no power loss is planned. */
	private int changesLeft = -1;

	/** The operation the power loss interrupted, or {@code null} while the power is on. */
	private String interrupted;

	/**
	 * Plans a power loss.
	 * @param changes the changes that still run; the one after them is interrupted. At most 0 means
	 * no power loss is planned.
	 */
	void failAfter(int changes) {
		this.changesLeft = (changes > 0) ? changes : -1;
	}

	/**
	 * Called before an operation changes the disk.
	 * @param operation what the operation does, for the message
	 * @throws SimulatedPowerLoss when the power fails now or has already failed
	 */
	void beforeChange(String operation) {
		if (this.interrupted != null) {
			throw new SimulatedPowerLoss("Simulated power loss: the machine is off since it lost power during "
					+ this.interrupted + ", so " + operation
					+ " does not run either; call SimFileSystem.crash to restart it");
		}
		if (this.changesLeft < 0) {
			return;
		}
		if (this.changesLeft == 0) {
			this.interrupted = operation;
			this.changesLeft = -1;
			throw new SimulatedPowerLoss("Simulated power loss during " + operation + " (SimFileSystem.powerLossAfter)");
		}
		this.changesLeft--;
	}

	/** The machine restarts after a crash: the power is on and no loss is planned. */
	void restore() {
		this.changesLeft = -1;
		this.interrupted = null;
	}

}
