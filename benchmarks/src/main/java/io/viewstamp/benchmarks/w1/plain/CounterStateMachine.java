package io.viewstamp.benchmarks.w1.plain;

import java.nio.ByteBuffer;

import io.viewstamp.vsr.StateMachine;

/**
 * A counter as a bare state machine: every command adds one and answers the new value in 8 bytes;
 * an empty command answers the value without changing it (a read through the log).
 */
final class CounterStateMachine implements StateMachine {

	private long value;

	@Override
	public byte[] apply(long op, long timestamp, byte[] command) {
		if (command.length > 0) {
			this.value++;
		}
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
