package com.example.todo;

import io.viewstamp.test.ReplicatedBeansTester;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TodoList as three replicas in this JVM, under faults: fails if they ever hold different lists.
 */
class TodoListReplicationTest {

	private final ReplicatedBeansTester tester = new ReplicatedBeansTester().withUserConfiguration(TodoList.class);

	@Test
	void everyReplicaHoldsTheSameList() {
		this.tester.run((cluster) -> {
			TodoList list = cluster.bean(TodoList.class);
			cluster.repeat(200, (random) -> {
				if (random.nextInt(3) > 0) {
					list.add("to-do " + random.nextInt(100));
				}
				else {
					list.done(1 + random.nextInt(150));
				}
			});
			Todo last = list.add("the last one");
			assertThat(list.all()).endsWith(last);
		});
	}

}
