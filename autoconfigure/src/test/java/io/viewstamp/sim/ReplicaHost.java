package io.viewstamp.sim;

import io.viewstamp.runtime.StateMachineRunner;
import io.viewstamp.sim.workload.KvStateMachine;
import io.viewstamp.vsr.Status;

/**
 * The machine one replica runs on: its disk outlives the replica process, which crashes and
 * restarts with a fresh state machine. A host whose disk was wiped stays marked until its new
 * process has recovered and made its state durable again; the fault budget counts such hosts.
 */
final class ReplicaHost {

	private final int index;

	private final HostDisk storage;

	private SimulatedReplica replica;

	private KvStateMachine stateMachine;

	private SimApplyThread applyThread;

	private StateMachineRunner runner;

	/** The highest op a caller on the running process was given the state of. */
	private long returnedOpMax;

	private boolean wipedUnrecovered;

	/** A spare host whose replica never started: it joins the cluster only when a scenario starts it. */
	private boolean neverStarted;

	ReplicaHost(int index, HostDisk storage) {
		this.index = index;
		this.storage = storage;
	}

	int index() {
		return this.index;
	}

	HostDisk storage() {
		return this.storage;
	}

	/** The running process, {@code null} while the replica is down. */
	SimulatedReplica replica() {
		return this.replica;
	}

	KvStateMachine stateMachine() {
		return this.stateMachine;
	}

	boolean isRunning() {
		return this.replica != null;
	}

	/** Marks this host a spare that has never run. */
	void markSpare() {
		this.neverStarted = true;
	}

	/** Whether this is a spare host whose replica never started. */
	boolean isNeverStarted() {
		return this.neverStarted;
	}

	boolean isWipedUnrecovered() {
		return this.wipedUnrecovered;
	}

	/** The thread that runs the state machine for the running process. */
	SimApplyThread applyThread() {
		return this.applyThread;
	}

	/** The runtime's apply path for the running process. */
	StateMachineRunner runner() {
		return this.runner;
	}

	void started(SimulatedReplica replica, KvStateMachine stateMachine, SimApplyThread applyThread,
			StateMachineRunner runner) {
		this.neverStarted = false;
		this.replica = replica;
		this.stateMachine = stateMachine;
		this.applyThread = applyThread;
		this.runner = runner;
		this.returnedOpMax = 0;
	}

	/**
	 * Records that a caller on the running process was given the state at {@code op}.
	 * @return the highest op a caller on it was given before
	 */
	long returned(long op) {
		long before = this.returnedOpMax;
		this.returnedOpMax = Math.max(before, op);
		return before;
	}

	/**
	 * The process dies with its volatile state; requests its disk had not completed are lost.
	 * @param tearWrite whether an append in progress leaves a torn entry behind
	 * @return whether a write was torn
	 */
	boolean crash(boolean tearWrite) {
		this.replica = null;
		this.stateMachine = null;
		this.applyThread = null;
		this.runner = null;
		return this.storage.crash(tearWrite);
	}

	/** The data directory is gone too. */
	void wipe() {
		this.storage.wipe();
		this.wipedUnrecovered = true;
	}

	/**
	 * Clears the wiped mark once the recovered replica is normal and its superblock is durable, so
	 * that another crash finds a state to restart from.
	 */
	void noteRecovery() {
		if (this.wipedUnrecovered && this.replica != null && this.replica.status() == Status.NORMAL
				&& this.storage.hasSuperblock()) {
			this.wipedUnrecovered = false;
		}
	}

	String describe() {
		if (this.replica == null) {
			return "replica " + this.index + ": down" + (this.wipedUnrecovered ? " (storage wiped)" : "");
		}
		return "replica " + this.index + ": " + this.replica.status() + " view " + this.replica.view() + " (log view "
				+ this.replica.logView() + ") op " + this.replica.op() + " commit " + this.replica.commit()
				+ (this.replica.isPrimary() ? " primary" : "") + (this.wipedUnrecovered ? " (recovering from a wipe)" : "")
				+ ", storage requests pending " + this.storage.pendingCount();
	}

}
