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

import io.viewstamp.vsr.StateMachine;

/**
 * A ledger of command ids, the state machine of the multi-process tests: a command is an id (UTF-8
 * text), applying it appends it to the ledger and counts it, and the result is the id's count after
 * this apply as 8 bytes, so that a caller sees 1 for a command applied once and 2 for a duplicate.
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
		return ByteBuffer.allocate(Long.BYTES).putLong(count).array();
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
			for (String id : restoredLedger) {
				this.ledger.add(id);
				this.counts.merge(id, 1, Integer::sum);
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

}
