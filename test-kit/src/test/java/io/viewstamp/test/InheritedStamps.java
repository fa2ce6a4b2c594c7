package io.viewstamp.test;

import io.viewstamp.Replicated;

/** A faulty bean whose only clock reading is in the command it inherits. */
@Replicated
public class InheritedStamps extends Clocks {

	private int count;

	public int count() {
		return ++this.count;
	}

}
