package io.viewstamp.sim;

import java.util.List;

import io.viewstamp.runtime.StateMachineRunner;
import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.Message;
import io.viewstamp.vsr.Replica;
import io.viewstamp.vsr.Status;
import io.viewstamp.vsr.Superblock;

/**
 * What the simulator drives and observes of a replica: exactly the public surface of
 * {@link Replica}. The simulator talks to this interface rather than to the final class so that
 * its own tests can run a stand-in replica; real runs wrap a {@link Replica} with {@link #of}.
 */
public interface SimulatedReplica extends StateMachineRunner.Completions {

	/**
	 * Wraps a real replica.
	 * @param replica the replica
	 * @return a view of it for the simulator
	 */
	static SimulatedReplica of(Replica replica) {
		return new ReplicaAdapter(replica);
	}

	/**
	 * Lets time pass.
	 * @param realtimeNanos the simulated clock
	 */
	void tick(long realtimeNanos);

	/** Starts a step of the loop that drives it: a burst of messages or completions ({@link Replica#startStep}). */
	default void startStep() {
	}

	/** Ends the step: what it gathered is prepared and acknowledged ({@link Replica#endStep}). */
	default void endStep() {
	}

	/**
	 * Delivers a message.
	 * @param message the message
	 */
	void receive(Message message);

	/**
	 * Completes an entry write.
	 * @param op the entry's op
	 * @param checksum the entry's checksum
	 */
	void onEntryWritten(long op, long checksum);

	/**
	 * Completes a superblock write.
	 * @param superblock the superblock written
	 */
	void onSuperblockWritten(Superblock superblock);

	/**
	 * Completes a snapshot write.
	 * @param op the snapshot's op
	 */
	void onSnapshotWritten(long op);

	/**
	 * Completes an apply.
	 * @param op the op applied
	 * @param results the results of its commands
	 */
	@Override
	void onApplied(long op, List<byte[]> results);

	/**
	 * Completes a capture of the state machine.
	 * @param op the op the state reflects
	 * @param state the state's bytes
	 */
	@Override
	void onCaptured(long op, byte[] state);

	/** The replica's index. */
	int index();

	/** The view it is in or moving to. */
	long view();

	/** The last view in which it was normal. */
	long logView();

	/** Normal, view change or recovering. */
	Status status();

	/** Whether it is the primary of its view and normal. */
	boolean isPrimary();

	/** The highest op in its log. */
	long op();

	/** The highest op it knows committed (and has applied). */
	long commit();

	/**
	 * Its log entry at {@code op}.
	 * @param op the op
	 * @return the entry, or {@code null} when it has none
	 */
	LogEntry entry(long op);

	/**
	 * The op up to which the replica compacted its log into a snapshot.
	 * @return the op, 0 when it never did
	 */
	long logBaseOp();

	/** The wrapped {@link Replica}, or {@code null} for a stand-in. */
	default Replica unwrap() {
		return null;
	}

}
