package io.viewstamp.benchmarks.w1.plain;

import java.nio.ByteBuffer;

import io.viewstamp.vsr.StateMachine;

/** A counter as a bare state machine: every command adds one and answers the new value in 8 bytes. */
final class CounterStateMachine implements StateMachine {

	/** Written by the apply thread, read by the load once a barrier says every increment is applied. */
	private volatile long value;

	long value() {
		return this.value;
	}

	@Override
	public byte[] apply(long op, long timestamp, byte[] command) {
		this.value++;
		return ByteBuffer.allocate(Long.BYTES).putLong(this.value).array();
	}

	@Override
	public byte[] snapshot() {
		return ByteBuffer.allocate(Long.BYTES).putLong(this.value).array();
	}

	@Override
	public void restore(byte[] snapshot) {
		this.value = ByteBuffer.wrap(snapshot).getLong();
	}

}
