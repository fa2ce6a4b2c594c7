package io.viewstamp.autoconfigure;

import io.viewstamp.ReadOnly;
import io.viewstamp.Replicated;

/**
 * The smallest replicated bean: one number that commands add to.
 */
@Replicated
public class Counter {

	private int value;

	/** A command: adds to the number and returns it. */
	public int add(int amount) {
		this.value += amount;
		return this.value;
	}

	/** A local read. */
	@ReadOnly
	public int value() {
		return this.value;
	}

}
