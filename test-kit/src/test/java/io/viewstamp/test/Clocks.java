package io.viewstamp.test;

/** A superclass whose command reads the clock: the bean that inherits it must be caught too. */
public class Clocks {

	private long last;

	public long tick() {
		this.last = System.nanoTime();
		return this.last;
	}

}
