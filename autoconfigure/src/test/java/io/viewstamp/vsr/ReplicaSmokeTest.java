package io.viewstamp.vsr;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicaSmokeTest {

	record Envelope(int to, Message message) {
	}

	static final class Node implements Outbox, Storage {

		final int index;

		final ArrayDeque<Envelope> network;

		final List<Reply> replies;

		final ArrayDeque<Runnable> writes = new ArrayDeque<>();

		final List<String> applied = new ArrayList<>();

		Replica replica;

		Node(int index, ArrayDeque<Envelope> network, List<Reply> replies) {
			this.index = index;
			this.network = network;
			this.replies = replies;
		}

		public void send(int replica, ReplicaMessage message) {
			this.network.add(new Envelope(replica, message));
		}

		public void reply(Reply reply) {
			this.replies.add(reply);
		}

		public void writeEntry(LogEntry entry) {
			this.writes.add(() -> this.replica.onEntryWritten(entry.op(), entry.checksum()));
		}

		public void truncateAfter(long op) {
		}

		public void writeSuperblock(Superblock superblock) {
			this.writes.add(() -> this.replica.onSuperblockWritten(superblock));
		}

	}

	@Test
	void threeReplicasCommitCommandsInOrder() {
		ArrayDeque<Envelope> network = new ArrayDeque<>();
		List<Reply> replies = new ArrayList<>();
		Cluster cluster = new Cluster(7, 3);
		List<Node> nodes = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			Node node = new Node(i, network, replies);
			nodes.add(node);
			int index = i;
			node.replica = Replica.restart(cluster, i, ReplicaOptions.defaults(), DurableState.formatted(7, i, 3), node,
					node, (op, timestamp, command) -> {
						nodes.get(index).applied.add(new String(command, StandardCharsets.UTF_8));
						return command;
					}, new SplittableRandom(i));
		}
		long clientId = 42;
		long session = -1;
		long requestNumber = 0;
		for (int tick = 0; tick < 3000; tick++) {
			for (Node node : nodes) {
				node.replica.tick(tick * 10_000_000L);
				while (!node.writes.isEmpty()) {
					node.writes.poll().run();
				}
			}
			while (!network.isEmpty()) {
				Envelope envelope = network.poll();
				nodes.get(envelope.to()).replica.receive(envelope.message());
				for (Node node : nodes) {
					while (!node.writes.isEmpty()) {
						node.writes.poll().run();
					}
				}
			}
			for (Reply reply : List.copyOf(replies)) {
				if (reply.requestNumber() == requestNumber && reply.clientId() == clientId) {
					if (requestNumber == 0) {
						session = reply.op();
					}
					requestNumber++;
				}
			}
			replies.clear();
			if (tick % 10 == 0 && requestNumber <= 20) {
				int primary = -1;
				for (Node node : nodes) {
					if (node.replica.isPrimary() && node.replica.status() == Status.NORMAL) {
						primary = node.index;
					}
				}
				if (primary >= 0) {
					Request request = (requestNumber == 0) ? Request.register(clientId)
							: new Request(clientId, session, requestNumber, Operation.COMMAND,
									("c" + requestNumber).getBytes(StandardCharsets.UTF_8));
					nodes.get(primary).replica.receive(request);
				}
			}
		}
		for (Node node : nodes) {
			System.out.println(node.replica);
		}
		assertThat(requestNumber).isEqualTo(21);
		assertThat(nodes.get(0).applied).hasSize(20);
		assertThat(nodes.get(1).applied).isEqualTo(nodes.get(0).applied);
		assertThat(nodes.get(2).applied).isEqualTo(nodes.get(0).applied);
	}

}
