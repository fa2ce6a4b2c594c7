/**
 * The application docs/getting-started.md has a new user write: a replicated to-do list behind a
 * REST controller. Every other file of this package is shown on that page as it is here.
 */
package com.example.todo;
