package io.viewstamp.benchmarks.w1.spring;

import java.util.concurrent.CompletableFuture;

import org.springframework.stereotype.Component;

import io.viewstamp.Consistency;
import io.viewstamp.ReadOnly;
import io.viewstamp.Replicated;

/** The replicated counter of workload W1, as an application would write it. */
@Replicated
@Component
public class Counter {

	private long value;

	/** A command: adds one and returns the new value; the caller's thread waits. */
	public long increment() {
		return ++this.value;
	}

	/** The same command, submitted without blocking the caller. */
	public CompletableFuture<Long> incrementAsync() {
		return CompletableFuture.completedFuture(++this.value);
	}

	/** The value, after every increment acknowledged before the read began. */
	@ReadOnly(consistency = Consistency.LINEARIZABLE)
	public long value() {
		return this.value;
	}

}
