package io.viewstamp.sim.workload;

import io.viewstamp.vsr.StateMachine;

/**
 * The simulator's key-value machine for real threads: a replica's loop applies while a test
 * thread reads, so every call takes the same lock.
 */
public final class LockedKvStateMachine implements StateMachine {

	private final KvStateMachine delegate = new KvStateMachine();

	@Override
	public synchronized byte[] apply(long op, long timestamp, byte[] command) {
		return this.delegate.apply(op, timestamp, command);
	}

	@Override
	public synchronized byte[] snapshot() {
		return this.delegate.snapshot();
	}

	@Override
	public synchronized void restore(byte[] snapshot) {
		this.delegate.restore(snapshot);
	}

	/** The value of {@code key}, or {@code null}. */
	public synchronized String get(String key) {
		return this.delegate.get(key);
	}

	/** The number of commands applied. */
	public synchronized long appliedCommands() {
		return this.delegate.appliedCommands();
	}

	/** A checksum of the whole state. */
	public synchronized long stateChecksum() {
		return this.delegate.stateChecksum();
	}

}
