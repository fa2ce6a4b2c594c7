package io.viewstamp.sim;

import java.util.List;

import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.Message;
import io.viewstamp.vsr.Replica;
import io.viewstamp.vsr.Status;
import io.viewstamp.vsr.Superblock;

/** A real {@link Replica} seen through {@link SimulatedReplica}: every call passes straight through. */
final class ReplicaAdapter implements SimulatedReplica {

	private final Replica replica;

	ReplicaAdapter(Replica replica) {
		this.replica = replica;
	}

	@Override
	public void tick(long realtimeNanos) {
		this.replica.tick(realtimeNanos);
	}

	@Override
	public void startStep() {
		this.replica.startStep();
	}

	@Override
	public void endStep() {
		this.replica.endStep();
	}

	@Override
	public void receive(Message message) {
		this.replica.receive(message);
	}

	@Override
	public void onEntryWritten(long op, long checksum) {
		this.replica.onEntryWritten(op, checksum);
	}

	@Override
	public void onSuperblockWritten(Superblock superblock) {
		this.replica.onSuperblockWritten(superblock);
	}

	@Override
	public void onSnapshotWritten(long op) {
		this.replica.onSnapshotWritten(op);
	}

	@Override
	public void onApplied(long op, List<byte[]> results) {
		this.replica.onApplied(op, results);
	}

	@Override
	public void onCaptured(long op, byte[] state) {
		this.replica.onCaptured(op, state);
	}

	@Override
	public int index() {
		return this.replica.index();
	}

	@Override
	public long view() {
		return this.replica.view();
	}

	@Override
	public long logView() {
		return this.replica.logView();
	}

	@Override
	public Status status() {
		return this.replica.status();
	}

	@Override
	public boolean isPrimary() {
		return this.replica.isPrimary();
	}

	@Override
	public long op() {
		return this.replica.op();
	}

	@Override
	public long commit() {
		return this.replica.commit();
	}

	@Override
	public LogEntry entry(long op) {
		return this.replica.entry(op);
	}

	@Override
	public long logBaseOp() {
		return this.replica.logBaseOp();
	}

	@Override
	public Replica unwrap() {
		return this.replica;
	}

}
