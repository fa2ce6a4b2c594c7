package io.viewstamp.history;

/**
 * One operation of a single key's history in the form the search needs. Values are replaced by
 * small numbers (0 is "no value") so that the model state of a search configuration is one
 * {@code int}.
 *
 * @param number the operation's position among the searched operations, its bit in a configuration
 * @param label the operation's position in the key's listing, for explanations
 * @param source the call as the test saw it
 * @param deadline the latest time by which the operation must have taken effect
 * @param writes whether it may set the register (a PUT or a CAS)
 * @param written the value number it writes, when it writes
 * @param conditional whether it writes only when the register holds {@code condition} (a CAS)
 * @param condition the value number a CAS expects
 * @param resultKnown whether its result must match the register
 * @param expected the value number it returned, when the result is known
 */
record RegisterOperation(int number, int label, KvOperation source, long deadline, boolean writes, int written,
		boolean conditional, int condition, boolean resultKnown, int expected) {

	/**
	 * Whether the operation can take effect when the register holds {@code value}. Every call
	 * returns what the register held (a CAS too), so a known result must be that value.
	 * @param value the register's value number
	 * @return whether its result is consistent with that value
	 */
	boolean canTakeEffectOn(int value) {
		return !this.resultKnown || this.expected == value;
	}

	/**
	 * The register's value after the operation took effect on {@code value}.
	 * @param value the value number before
	 * @return the value number after
	 */
	int valueAfter(int value) {
		if (!this.writes || (this.conditional && value != this.condition)) {
			return value;
		}
		return this.written;
	}

	long invokedAt() {
		return this.source.invokedAt();
	}

}
