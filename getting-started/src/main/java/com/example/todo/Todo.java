package com.example.todo;

public record Todo(int id, String title) {
}
