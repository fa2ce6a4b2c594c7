package io.viewstamp.runtime;

import java.util.Objects;
import java.util.Optional;

/**
 * A write of the register workload, carried as a ledger id of the {@link LedgerStateMachine} so that
 * the ledger's exactly-once checks cover it too: {@code put <key> <value>} sets a key's register,
 * {@code cas <key> <expected> <value>} sets it only when it holds {@code expected} ({@code -} for a
 * key that holds nothing). Both return what the register held, so a CAS succeeded exactly when that
 * equals {@code expected} (compare-and-exchange). Keys and values are single words, and no value is
 * {@code -}.
 *
 * @param key the register's key
 * @param expected for a CAS the value it replaces, {@code null} for none; always {@code null} for a PUT
 * @param value the value written
 * @param conditional whether it is a CAS
 */
record RegisterCommand(String key, String expected, String value, boolean conditional) {

	/** How {@code null} (no value) is written in an id. */
	static final String NONE = "-";

	private static final String PUT = "put";

	private static final String CAS = "cas";

	RegisterCommand {
		requireWord(key, "key");
		requireWord(value, "value");
		if (expected != null) {
			requireWord(expected, "expected value");
		}
		if (!conditional && expected != null) {
			throw new IllegalArgumentException("A PUT expects nothing; got " + expected);
		}
	}

	static RegisterCommand put(String key, String value) {
		return new RegisterCommand(key, null, value, false);
	}

	static RegisterCommand cas(String key, String expected, String value) {
		return new RegisterCommand(key, expected, value, true);
	}

	/**
	 * Reads a ledger id as a register command.
	 * @param id a ledger id
	 * @return the command, or empty when the id is not one (an ordinary id of the ledger)
	 */
	static Optional<RegisterCommand> parse(String id) {
		String[] words = id.split(" ", -1);
		if (words.length == 3 && words[0].equals(PUT)) {
			return Optional.of(put(words[1], words[2]));
		}
		if (words.length == 4 && words[0].equals(CAS)) {
			return Optional.of(cas(words[1], words[2].equals(NONE) ? null : words[2], words[3]));
		}
		return Optional.empty();
	}

	/** The ledger id that carries this command. */
	String id() {
		return this.conditional ? CAS + " " + this.key + " " + orNone(this.expected) + " " + this.value
				: PUT + " " + this.key + " " + this.value;
	}

	/**
	 * Whether the command sets a register that holds {@code current}.
	 * @param current the register's value, {@code null} for none
	 * @return {@code true} for a PUT, and for a CAS that expects {@code current}
	 */
	boolean setsRegisterHolding(String current) {
		return !this.conditional || Objects.equals(this.expected, current);
	}

	static String orNone(String value) {
		return (value != null) ? value : NONE;
	}

	static String fromNone(String text) {
		return text.equals(NONE) ? null : text;
	}

	private static void requireWord(String word, String what) {
		if (word == null || word.isEmpty() || word.equals(NONE) || word.chars().anyMatch(Character::isWhitespace)) {
			throw new IllegalArgumentException("A register " + what + " must be one word other than '" + NONE
					+ "', got '" + word + "'");
		}
	}

}
