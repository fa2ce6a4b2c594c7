package io.viewstamp.runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;

import io.viewstamp.vsr.Message;
import io.viewstamp.vsr.ReplicaMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messages from the network reach the replica's loop in bursts: however many queue while the loop
 * is busy, the loop is handed one task, which takes them all (up to its bound) as one step, in the
 * order they came; beyond the queue's bound a message is dropped and said so.
 */
class InboundMessagesTest {

	/** The loop, run by hand: tasks wait until the test runs them, as on a loop busy with something else. */
	private final Queue<Runnable> loopTasks = new ArrayDeque<>();

	private final Executor loop = this.loopTasks::add;

	private final List<String> seen = new ArrayList<>();

	private final InboundMessages.Receiver receiver = new InboundMessages.Receiver() {

		@Override
		public void stepStarted() {
			InboundMessagesTest.this.seen.add("step");
		}

		@Override
		public void receive(int fromReplica, Message message) {
			InboundMessagesTest.this.seen.add(fromReplica + ":" + ((ReplicaMessage.Commit) message).commit());
		}

		@Override
		public void stepEnded() {
			InboundMessagesTest.this.seen.add("end");
		}

	};

	@Test
	void messagesQueuedWhileTheLoopIsBusyCostOneTaskAndArriveInOrderAsOneStep() {
		InboundMessages inbound = new InboundMessages(100, this.loop, this.receiver);
		for (int commit = 1; commit <= 10; commit++) {
			assertThat(inbound.offer(commit % 2, commit(commit % 2, commit))).isTrue();
		}
		assertThat(this.loopTasks).as("one hand-off to the loop for the burst").hasSize(1);

		runLoop();

		assertThat(this.seen).containsExactly("step", "1:1", "0:2", "1:3", "0:4", "1:5", "0:6", "1:7", "0:8", "1:9",
				"0:10", "end");
		assertThat(inbound.queued()).isZero();
	}

	@Test
	void aMessageAfterTheDrainBeganWakesTheLoopAgain() {
		InboundMessages inbound = new InboundMessages(100, this.loop, this.receiver);
		inbound.offer(1, commit(1, 1));
		runLoop();
		inbound.offer(1, commit(1, 2));
		assertThat(this.loopTasks).hasSize(1);
		runLoop();
		assertThat(this.seen).containsExactly("step", "1:1", "end", "step", "1:2", "end");
	}

	@Test
	void oneStepTakesAtMostItsBoundAndTheRestFollowsInTheNext() {
		int count = InboundMessages.MESSAGES_PER_STEP_MAX + 10;
		InboundMessages inbound = new InboundMessages(1_000, this.loop, this.receiver);
		for (int commit = 1; commit <= count; commit++) {
			inbound.offer(1, commit(1, commit));
		}
		this.loopTasks.poll().run();
		assertThat(this.seen.stream().filter((event) -> !event.equals("step") && !event.equals("end")))
			.hasSize(InboundMessages.MESSAGES_PER_STEP_MAX);
		assertThat(this.loopTasks).as("the rest has its own task, so that timers run between").hasSize(1);
		runLoop();
		assertThat(this.seen).filteredOn("step"::equals).hasSize(2);
		assertThat(this.seen.get(this.seen.size() - 2)).isEqualTo("1:" + count);
	}

	@Test
	void beyondItsBoundTheQueueDropsAsACongestedNetworkWould() {
		InboundMessages inbound = new InboundMessages(3, this.loop, this.receiver);
		for (int commit = 1; commit <= 3; commit++) {
			assertThat(inbound.offer(1, commit(1, commit))).isTrue();
		}
		assertThat(inbound.offer(1, commit(1, 4))).as("the fourth message").isFalse();
		runLoop();
		assertThat(this.seen).containsExactly("step", "1:1", "1:2", "1:3", "end");
		assertThat(inbound.offer(1, commit(1, 5))).as("room again once the loop took them").isTrue();
	}

	private void runLoop() {
		Runnable task;
		while ((task = this.loopTasks.poll()) != null) {
			task.run();
		}
	}

	private static ReplicaMessage.Commit commit(int from, long commit) {
		return new ReplicaMessage.Commit(1, from, commit, 0);
	}

}
