package io.viewstamp.sim.workload;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;

import io.viewstamp.vsr.StateMachine;

/**
 * The simulated application: a key-value map. PUT returns the value it replaced, GET the current
 * value. The map is sorted, so its checksum does not depend on the order keys were inserted and two
 * replicas with the same state have the same checksum.
 */
public final class KvStateMachine implements StateMachine {

	private final TreeMap<String, String> values = new TreeMap<>();

	private long lastAppliedOp;

	private long appliedCommands;

	@Override
	public byte[] apply(long op, long timestamp, byte[] command) {
		// One op may carry several commands (a batch), but ops never go backwards.
		if (op < this.lastAppliedOp) {
			throw new IllegalStateException("Op " + op + " applied after op " + this.lastAppliedOp);
		}
		KvCommand decoded = KvCommand.decode(command);
		String result = switch (decoded.kind()) {
			case PUT -> (decoded.value() != null) ? this.values.put(decoded.key(), decoded.value())
					: this.values.remove(decoded.key());
			case GET -> this.values.get(decoded.key());
		};
		this.lastAppliedOp = op;
		this.appliedCommands++;
		return KvCommand.encodeResult(result);
	}

	/**
	 * The state as bytes: the last op, the count of commands applied, then each key and value in
	 * key order, so equal states give equal bytes.
	 */
	@Override
	public byte[] snapshot() {
		java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
		java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
		try {
			out.writeLong(this.lastAppliedOp);
			out.writeLong(this.appliedCommands);
			out.writeInt(this.values.size());
			for (Map.Entry<String, String> entry : this.values.entrySet()) {
				out.writeUTF(entry.getKey());
				out.writeUTF(entry.getValue());
			}
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException("writing to memory failed", ex);
		}
		return bytes.toByteArray();
	}

	@Override
	public void restore(byte[] snapshot) {
		java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(snapshot));
		try {
			this.values.clear();
			this.lastAppliedOp = in.readLong();
			this.appliedCommands = in.readLong();
			int size = in.readInt();
			for (int index = 0; index < size; index++) {
				this.values.put(in.readUTF(), in.readUTF());
			}
		}
		catch (java.io.IOException ex) {
			throw new IllegalArgumentException("not a snapshot of this state machine", ex);
		}
	}

	/**
	 * A key's value.
	 * @param key the key
	 * @return the value, or {@code null} when the key has none
	 */
	public String get(String key) {
		return this.values.get(key);
	}

	/** The op of the last command applied, 0 before the first. */
	public long lastAppliedOp() {
		return this.lastAppliedOp;
	}

	/**
	 * The number of commands applied to this state since the cluster began: part of the state, so a
	 * snapshot carries it and a replica restored from one counts on from there. A command applied
	 * twice shows here even when the map can not show it.
	 */
	public long appliedCommands() {
		return this.appliedCommands;
	}

	/** A checksum of the whole map (SHA-256, first 64 bits), to compare replicas' states. */
	public long stateChecksum() {
		MessageDigest digest = sha256();
		ByteBuffer length = ByteBuffer.allocate(Integer.BYTES);
		for (Map.Entry<String, String> entry : this.values.entrySet()) {
			update(digest, length, entry.getKey());
			update(digest, length, entry.getValue());
		}
		return ByteBuffer.wrap(digest.digest()).getLong();
	}

	@Override
	public String toString() {
		return "KvStateMachine[" + this.values.size() + " keys, last op " + this.lastAppliedOp + "]";
	}

	private static void update(MessageDigest digest, ByteBuffer length, String string) {
		byte[] bytes = string.getBytes(StandardCharsets.UTF_8);
		// The length keeps ("ab", "c") apart from ("a", "bc").
		digest.update(length.clear().putInt(bytes.length).array());
		digest.update(bytes);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
		}
	}

}
