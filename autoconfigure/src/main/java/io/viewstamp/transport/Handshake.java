package io.viewstamp.transport;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The first frames each way on a connection between replicas: they prove that both ends belong to
 * the same cluster, run compatible releases and agree on who is who (and, with a {@link PeerSecret},
 * that both know the cluster's secret), before any message of the connection is passed on. Their
 * bytes are {@link HandshakeCodec}'s.
 */
sealed interface Handshake permits Handshake.Hello, Handshake.Accepted, Handshake.Proven, Handshake.Refused {

	/**
	 * The dialer's opening.
	 * @param clusterId the dialer's cluster id
	 * @param dialer the dialer's index
	 * @param acceptor the index the dialer believes it dials, which catches peer lists in different orders
	 * @param authenticated whether the dialer has a shared secret and will prove it
	 * @param nonce the dialer's fresh random bytes, which the acceptor's proof covers
	 * @param holdsData whether the dialer's data directory holds a replica's state (it is formatted),
	 * which a replica without data asks of every member before it forms a new cluster
	 * @param commands the commands the dialer's application knows
	 */
	record Hello(long clusterId, int dialer, int acceptor, boolean authenticated, byte[] nonce,
			boolean holdsData, CommandCatalog commands) implements Handshake {

		/** A hello without a secret, whose nonce is all zeros (nothing covers it). */
		Hello(long clusterId, int dialer, int acceptor) {
			this(clusterId, dialer, acceptor, false, new byte[PeerSecret.NONCE_SIZE_BYTES]);
		}

		/** A hello of a replica that holds data and names no command. */
		Hello(long clusterId, int dialer, int acceptor, boolean authenticated, byte[] nonce) {
			this(clusterId, dialer, acceptor, authenticated, nonce, true, CommandCatalog.EMPTY);
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Hello hello && hello.clusterId == this.clusterId && hello.dialer == this.dialer
					&& hello.acceptor == this.acceptor && hello.authenticated == this.authenticated
					&& Arrays.equals(hello.nonce, this.nonce) && hello.holdsData == this.holdsData
					&& hello.commands.equals(this.commands);
		}

		@Override
		public int hashCode() {
			return Long.hashCode(this.clusterId) * 31 + this.dialer * 7 + this.acceptor + Arrays.hashCode(this.nonce);
		}

		@Override
		public String toString() {
			return "Hello[clusterId=" + this.clusterId + ", dialer=" + this.dialer + ", acceptor=" + this.acceptor
					+ ", authenticated=" + this.authenticated + ", nonce=" + HexFormat.of().formatHex(this.nonce)
					+ ", holdsData=" + this.holdsData + ", commands=" + this.commands.size() + "]";
		}

	}

	/**
	 * The acceptor's answer to a hello it accepts; the dialer checks it too.
	 * @param clusterId the acceptor's cluster id
	 * @param acceptor the acceptor's index
	 * @param nonce the acceptor's fresh random bytes, which the dialer's proof covers
	 * @param proof the acceptor's proof of the shared secret, or zeros without one
	 * @param holdsData whether the acceptor's data directory holds a replica's state
	 * @param commands the commands the acceptor's application knows
	 */
	record Accepted(long clusterId, int acceptor, byte[] nonce, byte[] proof, boolean holdsData,
			CommandCatalog commands) implements Handshake {

		/** An acceptance without a secret: nonce and proof all zeros. */
		Accepted(long clusterId, int acceptor) {
			this(clusterId, acceptor, new byte[PeerSecret.NONCE_SIZE_BYTES], new byte[PeerSecret.PROOF_SIZE_BYTES]);
		}

		/** An acceptance of a replica that holds data and names no command. */
		Accepted(long clusterId, int acceptor, byte[] nonce, byte[] proof) {
			this(clusterId, acceptor, nonce, proof, true, CommandCatalog.EMPTY);
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Accepted accepted && accepted.clusterId == this.clusterId
					&& accepted.acceptor == this.acceptor && Arrays.equals(accepted.nonce, this.nonce)
					&& Arrays.equals(accepted.proof, this.proof) && accepted.holdsData == this.holdsData
					&& accepted.commands.equals(this.commands);
		}

		@Override
		public int hashCode() {
			return Long.hashCode(this.clusterId) * 31 + this.acceptor + Arrays.hashCode(this.nonce) * 7
					+ Arrays.hashCode(this.proof);
		}

		@Override
		public String toString() {
			return "Accepted[clusterId=" + this.clusterId + ", acceptor=" + this.acceptor + ", nonce="
					+ HexFormat.of().formatHex(this.nonce) + ", holdsData=" + this.holdsData + ", commands="
					+ this.commands.size() + "]";
		}

	}

	/**
	 * The dialer's proof of the shared secret, its last handshake frame when it has one.
	 * @param proof the proof
	 */
	record Proven(byte[] proof) implements Handshake {

		@Override
		public boolean equals(Object other) {
			return other instanceof Proven proven && Arrays.equals(proven.proof, this.proof);
		}

		@Override
		public int hashCode() {
			return Arrays.hashCode(this.proof);
		}

		@Override
		public String toString() {
			return "Proven[]";
		}

	}

	/**
	 * Either side's refusal, sent before it closes the connection.
	 * @param reason what was wrong and what to check, for the other side's log
	 */
	record Refused(String reason) implements Handshake {
	}

}
