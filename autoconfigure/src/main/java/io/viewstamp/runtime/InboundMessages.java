package io.viewstamp.runtime;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.viewstamp.vsr.Message;

/**
 * Messages from the network on their way to the replica's loop, many to one loop task: a network
 * thread queues each message and wakes the loop only when no drain is scheduled yet, and the loop
 * takes everything that queued meanwhile in one step. Under load a burst of prepares,
 * acknowledgements and requests costs one hand-off instead of one per message (the W1 benchmark's
 * count, docs/benchmarks.md), and the replica's end-of-step work runs once per burst.
 *
 * <p>Bounded: beyond {@code queuedMax} waiting messages a new one is dropped, as a congested
 * network would drop it; the protocol resends what matters.
 */
final class InboundMessages {

	/** Messages one loop task takes at most, so that the loop's timers and other tasks are not held up behind a flood. */
	static final int MESSAGES_PER_STEP_MAX = 256;

	/** What the loop does with the messages it takes. */
	interface Receiver {

		/** Before the messages of one step, on the loop. */
		void stepStarted();

		/** One message, on the loop. */
		void receive(int fromReplica, Message message);

		/** After the messages of one step, on the loop. */
		void stepEnded();

	}

	private record Arrival(int fromReplica, Message message) {
	}

	private final ConcurrentLinkedQueue<Arrival> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger queued = new AtomicInteger();

	private final AtomicBoolean drainScheduled = new AtomicBoolean();

	private final int queuedMax;

	private final Executor loop;

	private final Receiver receiver;

	/**
	 * @param queuedMax messages that may wait for the loop
	 * @param loop runs a drain on the replica's loop (and stops the replica when a drain throws)
	 * @param receiver what the loop does with them
	 */
	InboundMessages(int queuedMax, Executor loop, Receiver receiver) {
		this.queuedMax = queuedMax;
		this.loop = loop;
		this.receiver = receiver;
	}

	/**
	 * Queues a message for the loop, from any thread.
	 * @return whether it was queued; {@code false} when the loop is too far behind, and it was dropped
	 */
	boolean offer(int fromReplica, Message message) {
		if (this.queued.incrementAndGet() > this.queuedMax) {
			this.queued.decrementAndGet();
			return false;
		}
		this.queue.add(new Arrival(fromReplica, message));
		scheduleDrain();
		return true;
	}

	/** Messages waiting for the loop. */
	int queued() {
		return this.queued.get();
	}

	private void scheduleDrain() {
		if (this.drainScheduled.compareAndSet(false, true)) {
			this.loop.execute(this::drain);
		}
	}

	/** On the loop: takes what waits, at most {@link #MESSAGES_PER_STEP_MAX}. */
	private void drain() {
		// Cleared before taking: a message queued from here on schedules the next drain itself.
		this.drainScheduled.set(false);
		Arrival arrival = this.queue.poll();
		if (arrival == null) {
			return;
		}
		this.receiver.stepStarted();
		int taken = 0;
		do {
			this.queued.decrementAndGet();
			taken++;
			this.receiver.receive(arrival.fromReplica(), arrival.message());
		}
		while (taken < MESSAGES_PER_STEP_MAX && (arrival = this.queue.poll()) != null);
		if (!this.queue.isEmpty()) {
			scheduleDrain();
		}
		this.receiver.stepEnded();
	}

}
