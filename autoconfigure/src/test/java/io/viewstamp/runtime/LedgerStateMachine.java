package io.viewstamp.runtime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.viewstamp.vsr.StateMachine;

/**
 * A ledger of command ids, the state machine of the multi-process tests: a command is an id (UTF-8
 * text), applying it appends it to the ledger and counts it, and the result starts with the id's
 * count after this apply as 8 bytes, so that a caller sees 1 for a command applied once and 2 for a
 * duplicate, followed by the op it was applied at (8 bytes).
 *
 * <p>An id that is a {@link RegisterCommand} ({@code put k v}, {@code cas k e v}) also writes a
 * register, which callers read with {@link #read}: the workload whose history the fault runs check
 * for linearizability. Its result then ends with the value the register held (see
 * {@link #previousValue}). The registers follow from the ledger, so a restore replays it to rebuild
 * them and the snapshot's format stays the ledger's.
 *
 * <p>A checksum chains every applied (op, id) pair in order, so two replicas have the same checksum
 * only if they applied the same ids at the same ops in the same order; snapshots carry it, so it
 * survives a restore. The replica's loop applies commands while the control server reads, hence
 * every method synchronizes.
 */
public final class LedgerStateMachine implements StateMachine {

	/** The checksum of an empty ledger. */
	static final long CHECKSUM_EMPTY = 0;

	private static final int SNAPSHOT_FORMAT_VERSION = 1;

	private final MessageDigest digest = sha256();

	private final ByteBuffer header = ByteBuffer.allocate(3 * Long.BYTES);

	private final List<String> ledger = new ArrayList<>();

	private final Map<String, Integer> counts = new HashMap<>();

	private long checksum = CHECKSUM_EMPTY;

	private final Map<String, String> registers = new HashMap<>();

	private long lastAppliedOp;

	@Override
	public synchronized byte[] apply(long op, long timestamp, byte[] command) {
		// One op may carry a batch of commands, so an op may repeat, but ops never go backwards.
		if (op < this.lastAppliedOp) {
			throw new IllegalStateException("Op " + op + " applied after op " + this.lastAppliedOp
					+ ": the replica applied its log out of order");
		}
		String id = new String(command, StandardCharsets.UTF_8);
		this.ledger.add(id);
		int count = this.counts.merge(id, 1, Integer::sum);
		this.checksum = chain(this.checksum, op, command);
		this.lastAppliedOp = op;
		Optional<RegisterCommand> write = RegisterCommand.parse(id);
		if (write.isEmpty()) {
			return ByteBuffer.allocate(2 * Long.BYTES).putLong(count).putLong(op).array();
		}
		byte[] previous = RegisterCommand.orNone(writeRegister(write.get())).getBytes(StandardCharsets.UTF_8);
		return ByteBuffer.allocate(2 * Long.BYTES + previous.length).putLong(count).putLong(op).put(previous).array();
	}

	/** Applies a register write and returns the value the register held. */
	private String writeRegister(RegisterCommand write) {
		String current = this.registers.get(write.key());
		if (write.setsRegisterHolding(current)) {
			this.registers.put(write.key(), write.value());
		}
		return current;
	}

	/**
	 * The value a register write's result says the register held.
	 * @param result the result of applying a {@link RegisterCommand}
	 * @return the value, {@code null} for none
	 */
	static String previousValue(byte[] result) {
		if (result.length <= 2 * Long.BYTES) {
			throw new IllegalArgumentException("A result of " + result.length + " bytes is not a register write's");
		}
		return RegisterCommand.fromNone(
				new String(result, 2 * Long.BYTES, result.length - 2 * Long.BYTES, StandardCharsets.UTF_8));
	}

	/**
	 * The op a command's result says it was applied at.
	 * @param result the result of applying any command
	 * @return the op
	 */
	static long appliedOp(byte[] result) {
		return ByteBuffer.wrap(result, Long.BYTES, Long.BYTES).getLong();
	}

	/**
	 * Reads a register from the state as it is now, with the op of the last command that state holds
	 * (the read's place in the log, which the checks of local reads need).
	 * @param key the register's key
	 * @return its value and the state's op
	 */
	public synchronized RegisterRead read(String key) {
		return new RegisterRead(this.registers.get(key), this.lastAppliedOp);
	}

	/** The ledger in order, with its checksum and last applied op, so that a restore continues the chain. */
	@Override
	public synchronized byte[] snapshot() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeInt(SNAPSHOT_FORMAT_VERSION);
			out.writeLong(this.checksum);
			out.writeLong(this.lastAppliedOp);
			out.writeInt(this.ledger.size());
			for (String id : this.ledger) {
				out.writeUTF(id);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Writing the ledger to memory failed", ex);
		}
		return bytes.toByteArray();
	}

	@Override
	public synchronized void restore(byte[] snapshot) {
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
			int version = in.readInt();
			if (version != SNAPSHOT_FORMAT_VERSION) {
				throw new IllegalArgumentException("Snapshot format " + version + " is not the ledger's format "
						+ SNAPSHOT_FORMAT_VERSION + ": it was taken by another state machine");
			}
			long restoredChecksum = in.readLong();
			long restoredLastAppliedOp = in.readLong();
			int size = in.readInt();
			List<String> restoredLedger = new ArrayList<>(size);
			for (int index = 0; index < size; index++) {
				restoredLedger.add(in.readUTF());
			}
			this.ledger.clear();
			this.counts.clear();
			this.registers.clear();
			for (String id : restoredLedger) {
				this.ledger.add(id);
				this.counts.merge(id, 1, Integer::sum);
				RegisterCommand.parse(id).ifPresent(this::writeRegister);
			}
			this.checksum = restoredChecksum;
			this.lastAppliedOp = restoredLastAppliedOp;
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("Snapshot of " + snapshot.length + " bytes is not a ledger snapshot", ex);
		}
	}

	/** The checksum of every (op, id) applied so far, in order; {@link #CHECKSUM_EMPTY} before the first. */
	public synchronized long checksum() {
		return this.checksum;
	}

	/** The number of commands applied (duplicates included). */
	public synchronized long size() {
		return this.ledger.size();
	}

	/** How often each id was applied; a count above 1 is a duplicate. */
	public synchronized Map<String, Integer> counts() {
		return Map.copyOf(this.counts);
	}

	/** The ids with a count above 1. */
	public synchronized List<String> duplicates() {
		return this.counts.entrySet().stream().filter((entry) -> entry.getValue() > 1).map(Map.Entry::getKey).sorted().toList();
	}

	/** The ledger as it is now, read consistently with its checksum. */
	public synchronized LedgerView view() {
		return new LedgerView(this.checksum, this.lastAppliedOp, List.copyOf(this.ledger));
	}

	@Override
	public synchronized String toString() {
		return "LedgerStateMachine[" + this.ledger.size() + " ids, last op " + this.lastAppliedOp + ", checksum "
				+ Long.toHexString(this.checksum) + "]";
	}

	/** The next link of the chain: the first 64 bits of SHA-256(previous, op, length, id). */
	private long chain(long previous, long op, byte[] id) {
		// The length keeps ("ab", "c") apart from ("a", "bc") across two links.
		this.header.clear().putLong(previous).putLong(op).putLong(id.length);
		this.digest.update(this.header.array());
		this.digest.update(id);
		return ByteBuffer.wrap(this.digest.digest()).getLong();
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
		}
	}

	/**
	 * The ledger at one moment.
	 *
	 * @param checksum the checksum of the ids below
	 * @param lastAppliedOp the op of the last id
	 * @param ids the ids in the order they were applied
	 */
	public record LedgerView(long checksum, long lastAppliedOp, List<String> ids) {
	}

	/**
	 * A register as a read found it.
	 *
	 * @param value its value, {@code null} for none
	 * @param stateOp the op of the last command in the state it was read from
	 */
	public record RegisterRead(String value, long stateOp) {
	}

}
