package com.example.todo;

import java.util.List;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An ordinary controller. The TodoList it is given is a proxy: a call of a command goes through
 * the cluster, and returns once this replica has applied it.
 */
@RestController
public class TodoController {

	private final TodoList todos;

	public TodoController(TodoList todos) {
		this.todos = todos;
	}

	@PostMapping("/todos")
	public Todo add(@RequestParam String title) {
		return this.todos.add(title);
	}

	@DeleteMapping("/todos/{id}")
	public boolean done(@PathVariable int id) {
		return this.todos.done(id);
	}

	@GetMapping("/todos")
	public List<Todo> all() {
		return this.todos.all();
	}

}
