package io.viewstamp.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A secret every replica of a cluster shares, with which the two ends of a connection prove to each
 * other that they belong to it, without TLS: each side sends a fresh random nonce, and each answers
 * with an HMAC-SHA256, keyed by the secret, over both nonces, the cluster id and both indexes. The
 * secret itself never crosses the network; a recorded proof is worthless on another connection,
 * whose nonces differ; and the two sides' proofs carry different labels, so that neither can be
 * sent back as the other's. Its {@link #toString()} never shows it.
 */
public final class PeerSecret {

	/** The fewest characters a secret may have: a proof would give a short one away to a brute-force search. */
	public static final int LENGTH_MIN = 16;

	/** The bytes of a proof, an HMAC-SHA256. */
	static final int PROOF_SIZE_BYTES = 32;

	/** The bytes of a nonce. */
	static final int NONCE_SIZE_BYTES = 16;

	private static final String ALGORITHM = "HmacSHA256";

	private static final byte[] ACCEPTOR_LABEL = "viewstamp acceptor proof v1".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] DIALER_LABEL = "viewstamp dialer proof v1".getBytes(StandardCharsets.US_ASCII);

	private final SecretKeySpec key;

	private PeerSecret(byte[] secret) {
		this.key = new SecretKeySpec(secret, ALGORITHM);
	}

	/**
	 * A secret from its text.
	 * @param secret the secret, at least {@link #LENGTH_MIN} characters
	 * @return the secret
	 * @throws IllegalArgumentException when it is too short; the message says how to make one (and
	 * never shows the secret)
	 */
	public static PeerSecret of(String secret) {
		Objects.requireNonNull(secret, "secret");
		if (secret.strip().length() < LENGTH_MIN) {
			throw new IllegalArgumentException("The shared secret has " + secret.strip().length() + " characters, fewer "
					+ "than the " + LENGTH_MIN + " required: a short secret can be found from a recorded handshake by "
					+ "trying every candidate. Use a long random one, e.g. the output of: openssl rand -base64 32");
		}
		return new PeerSecret(secret.getBytes(StandardCharsets.UTF_8));
	}

	/** The acceptor's proof on a connection. */
	byte[] acceptorProof(long clusterId, int dialer, int acceptor, byte[] dialerNonce, byte[] acceptorNonce) {
		return proof(ACCEPTOR_LABEL, clusterId, dialer, acceptor, dialerNonce, acceptorNonce);
	}

	/** The dialer's proof on a connection. */
	byte[] dialerProof(long clusterId, int dialer, int acceptor, byte[] dialerNonce, byte[] acceptorNonce) {
		return proof(DIALER_LABEL, clusterId, dialer, acceptor, dialerNonce, acceptorNonce);
	}

	/** Compares a received proof with the expected one in constant time, so that timing tells nothing. */
	static boolean matches(byte[] expected, byte[] received) {
		return MessageDigest.isEqual(expected, received);
	}

	private byte[] proof(byte[] label, long clusterId, int dialer, int acceptor, byte[] dialerNonce, byte[] acceptorNonce) {
		ByteBuffer context = ByteBuffer.allocate(label.length + Long.BYTES + 2 * Integer.BYTES + 2 * NONCE_SIZE_BYTES)
			.order(ByteOrder.LITTLE_ENDIAN)
			.put(label)
			.putLong(clusterId)
			.putInt(dialer)
			.putInt(acceptor)
			.put(dialerNonce)
			.put(acceptorNonce);
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(this.key);
			return mac.doFinal(context.array());
		}
		catch (GeneralSecurityException ex) {
			// Every Java platform must provide HmacSHA256 (the Mac class's documentation says so).
			throw new IllegalStateException("This JVM does not provide " + ALGORITHM, ex);
		}
	}

	@Override
	public String toString() {
		return "PeerSecret[hidden]";
	}

}
