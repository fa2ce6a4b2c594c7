package com.example.todo;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import io.viewstamp.test.ReplicaCheckFailure;
import io.viewstamp.test.ReplicatedBeansTester;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Step 11 of docs/getting-started.md shows the failure the reader sees once {@code TodoList.add}
 * draws a random id: the test kit's own message, which this test makes and compares with the page,
 * line by line ({@code …} stands for what varies).
 */
class BrokenTodoListTest {

	private static final String FAILURE_STARTS = "A command reads the clock or randomness";

	@Test
	void theFailureThePageShowsIsTheKitsOwn() throws IOException {
		ReplicaCheckFailure failure = catchThrowableOfType(ReplicaCheckFailure.class,
				() -> new ReplicatedBeansTester().withUserConfiguration(com.example.todo.broken.TodoList.class)
					.run((cluster) -> cluster.bean(com.example.todo.broken.TodoList.class).add("Buy milk")));
		assertThat(failure).as("the kit's failure for a random id").isNotNull();
		List<String> actual = failure.getMessage().lines().toList();
		List<String> shown = shownFailure();
		assertThat(actual.size()).as("lines of the failure, at least those the page shows").isGreaterThanOrEqualTo(shown.size());
		for (int line = 0; line < shown.size(); line++) {
			assertThat(GettingStartedPage.matches(shown.get(line), actual.get(line)))
				.as("line %d of the failure docs/getting-started.md shows:%n  %s%nbut the kit says:%n  %s", line + 1,
						shown.get(line), actual.get(line))
				.isTrue();
		}
	}

	/** The lines of the page's {@code text} block that shows the failure. */
	private static List<String> shownFailure() throws IOException {
		List<String> page = Files.readAllLines(GettingStartedPage.read().path());
		for (int line = 0; line + 1 < page.size(); line++) {
			if (page.get(line).equals("```text") && page.get(line + 1).startsWith(FAILURE_STARTS)) {
				int end = line + 1;
				while (!page.get(end).startsWith("```")) {
					end++;
				}
				return page.subList(line + 1, end);
			}
		}
		throw new AssertionError("docs/getting-started.md shows no failure starting '" + FAILURE_STARTS + "'");
	}

}
