package com.example.todo;

import java.util.ArrayList;
import java.util.List;

import io.viewstamp.ReadOnly;
import io.viewstamp.Replicated;

import org.springframework.stereotype.Component;

/**
 * A to-do list that every replica holds the same: each call of {@code add} or {@code done} is a
 * command, run on every replica in the same order.
 */
@Replicated
@Component
public class TodoList {

	// The replicated state: fields, so that snapshots hold them.
	private final List<Todo> todos = new ArrayList<>();

	private int lastId;

	// A command. Ids are counted, not random, so every replica gives the same one.
	public Todo add(String title) {
		Todo todo = new Todo(++this.lastId, title);
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
