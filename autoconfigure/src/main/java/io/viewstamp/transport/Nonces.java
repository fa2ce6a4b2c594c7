package io.viewstamp.transport;

import java.security.SecureRandom;

/** Fresh random nonces for handshakes, from the platform's strong generator. */
final class Nonces {

	private static final SecureRandom RANDOM = new SecureRandom();

	private Nonces() {
	}

	/** A new nonce of {@link PeerSecret#NONCE_SIZE_BYTES} bytes. */
	static byte[] next() {
		byte[] nonce = new byte[PeerSecret.NONCE_SIZE_BYTES];
		RANDOM.nextBytes(nonce);
		return nonce;
	}

}
