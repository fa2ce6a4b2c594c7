package io.viewstamp.sim;

/**
 * How many faults of each kind the simulator injected into one world (network loss and
 * duplication are counted by {@link SimNetwork.Statistics}).
 */
public final class FaultCounts {

	private long partitions;

	private long crashes;

	private long wipes;

	private long tornWrites;

	private long corruptions;

	private long powerLosses;

	private long clientRestarts;

	private long timedCrashes;

	private long primaryTransfers;

	private long reconfigurations;

	void partition() {
		this.partitions++;
	}

	void crash() {
		this.crashes++;
	}

	void wipe() {
		this.wipes++;
	}

	void tornWrite() {
		this.tornWrites++;
	}

	void corruption() {
		this.corruptions++;
	}

	/** Journal entries corrupted after they were synced (a bit flipped on the disk). */
	public long corruptions() {
		return this.corruptions;
	}

	void timedCrash() {
		this.timedCrashes++;
	}

	/** Crashes timed to a protocol event (each counts as a crash too). */
	public long timedCrashes() {
		return this.timedCrashes;
	}

	void primaryTransfer() {
		this.primaryTransfers++;
	}

	/** Hand-overs of the primary's view that started (an operator's move, a clean stop). */
	public long primaryTransfers() {
		return this.primaryTransfers;
	}

	void reconfiguration() {
		this.reconfigurations++;
	}

	/** Changes of members that started (an operator's growth, shrink or replacement). */
	public long reconfigurations() {
		return this.reconfigurations;
	}

	void powerLoss() {
		this.powerLosses++;
	}

	void clientRestart() {
		this.clientRestarts++;
	}

	/** Partitions started: times a healed network had links cut (each may cut several). */
	public long partitions() {
		return this.partitions;
	}

	/** Replica crashes, with or without a wipe. */
	public long crashes() {
		return this.crashes;
	}

	/** Data directories lost. */
	public long wipes() {
		return this.wipes;
	}

	/** Appends torn by a crash. */
	public long tornWrites() {
		return this.tornWrites;
	}

	/** Power losses: every running replica crashed at once (each counts as a crash too). */
	public long powerLosses() {
		return this.powerLosses;
	}

	/** Client process restarts. */
	public long clientRestarts() {
		return this.clientRestarts;
	}

}
