package io.viewstamp.vsr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Checksums of log entries. SHA-256, truncated to 64 bits: far stronger than a CRC against
 * corruption, and a hash chain built from it tells two histories apart with overwhelming
 * probability. Every JDK has SHA-256, so the core needs no library for it.
 */
public final class Checksums {

	private static final MessageDigest SHA_256 = lookUpSha256();

	private Checksums() {
	}

	/**
	 * The checksum that the first entry of a cluster's log names as its parent. It depends on the
	 * cluster id, so logs of different clusters never chain into each other.
	 */
	public static long root(long clusterId) {
		MessageDigest digest = sha256();
		digest.update("viewstamp-root".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		digest.update(longBytes(clusterId));
		return first64Bits(digest.digest());
	}

	/** The checksum of a byte array, for snapshot transfer. */
	public static long bytes(byte[] bytes) {
		MessageDigest digest = sha256();
		digest.update(bytes);
		return first64Bits(digest.digest());
	}

	/** The whole SHA-256 of {@code bytes}. */
	public static byte[] sha256(byte[] bytes) {
		return sha256().digest(bytes);
	}

	/** The checksum of an entry's header fields and requests. */
	static long entry(long clusterId, long view, long op, long timestamp, long parent, List<Request> requests) {
		MessageDigest digest = sha256();
		ByteBuffer header = ByteBuffer.allocate(5 * Long.BYTES + Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
		header.putLong(clusterId).putLong(view).putLong(op).putLong(timestamp).putLong(parent).putInt(requests.size());
		digest.update(header.array());
		ByteBuffer requestHeader = ByteBuffer.allocate(3 * Long.BYTES + 2 * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
		for (Request request : requests) {
			requestHeader.clear();
			requestHeader.putLong(request.clientId())
				.putLong(request.session())
				.putLong(request.requestNumber())
				.putInt(request.operation().ordinal())
				.putInt(request.body().length);
			digest.update(requestHeader.array());
			digest.update(request.body());
		}
		return first64Bits(digest.digest());
	}

	private static byte[] longBytes(long value) {
		return ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
	}

	private static long first64Bits(byte[] hash) {
		return ByteBuffer.wrap(hash, 0, Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).getLong();
	}

	/**
	 * A fresh SHA-256 digest, cloned from one looked up once: {@code MessageDigest.getInstance} walks
	 * the security providers on every call, which the profile of a busy primary showed as 13 % of
	 * what it allocates, and a digest is not safe to share between threads.
	 */
	private static MessageDigest sha256() {
		try {
			return (MessageDigest) SHA_256.clone();
		}
		catch (CloneNotSupportedException ex) {
			return lookUpSha256();
		}
	}

	private static MessageDigest lookUpSha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
		}
	}

}
