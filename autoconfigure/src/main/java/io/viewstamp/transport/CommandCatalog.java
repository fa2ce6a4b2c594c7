package io.viewstamp.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;

/**
 * The commands a replica's application knows, as its handshakes advertise them to its peers, so
 * that a replica can refuse a command that some member of the cluster would not know how to apply
 * (it runs an older release of the application, in the middle of a rolling upgrade).
 *
 * <p>A command is named by the application (for replicated beans: {@code bean#method(parameter types)});
 * the catalog carries 64-bit fingerprints of the names, the first eight bytes of their SHA-256, so
 * that a handshake stays small whatever the names. Two different names share a fingerprint with a
 * probability of about one in 2<sup>64</sup> per pair: a collision could only let one unknown
 * command through, which then stops the replica that lacks it, as it would without the check.
 */
public final class CommandCatalog {

	/** The most commands one catalog holds, so that a handshake's size is bounded (32 KiB of fingerprints). */
	public static final int COMMANDS_MAX = 4096;

	/** The catalog of a replica whose application names no command (a state machine driven without names). */
	public static final CommandCatalog EMPTY = new CommandCatalog(new long[0]);

	/** Sorted ascending, without duplicates. */
	private final long[] fingerprints;

	private CommandCatalog(long[] fingerprints) {
		this.fingerprints = fingerprints;
	}

	/**
	 * The catalog of the commands named {@code names}.
	 * @throws IllegalArgumentException when there are more than {@link #COMMANDS_MAX}
	 */
	public static CommandCatalog of(Collection<String> names) {
		long[] fingerprints = names.stream().mapToLong(CommandCatalog::fingerprint).sorted().distinct().toArray();
		if (fingerprints.length > COMMANDS_MAX) {
			throw new IllegalArgumentException("The application has " + fingerprints.length + " replicated commands, more "
					+ "than the " + COMMANDS_MAX + " a replica advertises to its peers: split it into several clusters");
		}
		return new CommandCatalog(fingerprints);
	}

	/**
	 * The catalog a peer's handshake carried.
	 * @throws MalformedMessageException when they are too many or not strictly ascending, which no
	 * replica sends
	 */
	static CommandCatalog ofFingerprints(long[] fingerprints) {
		if (fingerprints.length > COMMANDS_MAX) {
			throw new MalformedMessageException("the handshake advertises " + fingerprints.length + " commands, more than "
					+ "the " + COMMANDS_MAX + " allowed");
		}
		for (int i = 1; i < fingerprints.length; i++) {
			if (fingerprints[i - 1] >= fingerprints[i]) {
				throw new MalformedMessageException("the handshake's command fingerprints are not in ascending order at "
						+ "position " + i);
			}
		}
		return new CommandCatalog(fingerprints.clone());
	}

	/** The fingerprint of the command named {@code name}: the first eight bytes of its SHA-256, little-endian. */
	public static long fingerprint(String name) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
			return ByteBuffer.wrap(digest).order(ByteOrder.LITTLE_ENDIAN).getLong();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

	/** Whether the command with {@code fingerprint} is in this catalog. */
	public boolean knows(long fingerprint) {
		return Arrays.binarySearch(this.fingerprints, fingerprint) >= 0;
	}

	/** Whether the command named {@code name} is in this catalog. */
	public boolean knows(String name) {
		return knows(fingerprint(name));
	}

	/** The number of commands. */
	public int size() {
		return this.fingerprints.length;
	}

	/** The fingerprints, ascending: a copy. */
	long[] fingerprints() {
		return this.fingerprints.clone();
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof CommandCatalog catalog && Arrays.equals(catalog.fingerprints, this.fingerprints);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.fingerprints);
	}

	@Override
	public String toString() {
		return "CommandCatalog[" + this.fingerprints.length + " commands]";
	}

}
