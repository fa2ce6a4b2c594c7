package com.example.todo.broken;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import com.example.todo.Todo;
import io.viewstamp.ReadOnly;
import io.viewstamp.Replicated;

/**
 * TodoList as step 11 of docs/getting-started.md has the reader break it: {@code add} draws a
 * random id. The same file, in another package and not a component (the application's scan must
 * not find it), so that the test can show the page's failure.
 *
 * <p>A to-do list that every replica holds the same: each call of {@code add} or {@code done} is a
 * command, run on every replica in the same order.
 */
@Replicated
public class TodoList {

	// The replicated state: fields, so that snapshots hold them.
	private final List<Todo> todos = new ArrayList<>();

	private int lastId;

	// The broken command: a random id, another one on every replica.
	public Todo add(String title) {
		Todo todo = new Todo(ThreadLocalRandom.current().nextInt(), title);
		this.todos.add(todo);
		return todo;
	}

	// A command: true when the to-do was open.
	public boolean done(int id) {
		return this.todos.removeIf((todo) -> todo.id() == id);
	}

	// A read of this replica's state, not logged. A copy, so that no caller changes the state.
	@ReadOnly
	public List<Todo> all() {
		return List.copyOf(this.todos);
	}

}
