package io.viewstamp.test;

import java.util.function.Consumer;

import io.viewstamp.runtime.ReadBarriers;
import io.viewstamp.vsr.StateMachine;

/**
 * A simulated replica's state machine: the application's own, with every result and snapshot
 * shown to the checks as it is made. It answers the barrier of a linearizable read itself, as
 * the runtime's apply path does.
 */
final class RecordingStateMachine implements StateMachine {

	private static final byte[] NO_RESULT = new byte[0];

	private final int replica;

	private final ReplicaApplication application;

	private final Observer observer;

	private final Consumer<String> trace;

	/** The op last applied, -1 when unknown (since a restore): what a snapshot taken now holds. */
	private long appliedOp = -1;

	private int commandInOp;

	RecordingStateMachine(int replica, ReplicaApplication application, Observer observer, Consumer<String> trace) {
		this.trace = trace;
		this.replica = replica;
		this.application = application;
		this.observer = observer;
	}

	@Override
	public byte[] apply(long op, long timestamp, byte[] command) {
		this.commandInOp = (op == this.appliedOp) ? this.commandInOp + 1 : 0;
		this.appliedOp = op;
		byte[] result = ReadBarriers.isBarrier(command) ? NO_RESULT
				: this.application.stateMachine().apply(op, timestamp, command);
		this.trace.accept("replica " + this.replica + " applied op " + op + "." + this.commandInOp + " "
				+ JsonDifference.text(command) + " -> " + JsonDifference.text(result));
		this.observer.applied(this.replica, op, this.commandInOp, timestamp, command, result);
		return result;
	}

	@Override
	public byte[] snapshot() {
		byte[] state = this.application.stateMachine().snapshot();
		if (this.appliedOp >= 0) {
			this.observer.captured(this.replica, this.application, this.appliedOp, state);
		}
		return state;
	}

	@Override
	public void restore(byte[] snapshot) {
		this.application.stateMachine().restore(snapshot);
		this.trace.accept("replica " + this.replica + " restored a snapshot");
		this.appliedOp = -1;
	}

	/** Told of what the replicas compute. */
	interface Observer {

		/**
		 * A replica applied a command.
		 * @param replica the replica
		 * @param op the op that carries it
		 * @param commandInOp its index among the op's commands
		 * @param timestamp the op's timestamp
		 * @param command the command
		 * @param result what it returned
		 */
		void applied(int replica, long op, int commandInOp, long timestamp, byte[] command, byte[] result);

		/**
		 * A replica captured its state for a snapshot.
		 * @param replica the replica
		 * @param application its application, whose beans hold the state captured
		 * @param op the op the state is at
		 * @param state the snapshot's bytes
		 */
		void captured(int replica, ReplicaApplication application, long op, byte[] state);

	}

}
