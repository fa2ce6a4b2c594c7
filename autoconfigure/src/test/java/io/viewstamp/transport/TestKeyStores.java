package io.viewstamp.transport;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Mutual TLS from the test key stores in {@code src/test/resources/tls} (its README says how they
 * were made): the key pair of {@code tls/<keys>.p12}, trusting {@code tls/trusted.p12}.
 */
public final class TestKeyStores {

	private static final char[] PASSWORD = "changeit".toCharArray();

	private TestKeyStores() {
	}

	/**
	 * @param keys the key store of this replica's key pair: {@code replica}, {@code stranger} or
	 * {@code elsewhere}
	 * @return TLS with that key pair, trusting the certificates of {@code replica} and {@code elsewhere}
	 */
	public static PeerTls peerTls(String keys) {
		try {
			KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keyManagers.init(keyStore(keys), PASSWORD);
			TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trustManagers.init(keyStore("trusted"));
			return PeerTls.of(keyManagers, trustManagers, null, null);
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException("The test key store tls/" + keys + ".p12 can not be used", ex);
		}
	}

	private static KeyStore keyStore(String name) throws GeneralSecurityException, IOException {
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = TestKeyStores.class.getResourceAsStream("/tls/" + name + ".p12")) {
			if (in == null) {
				throw new IOException("tls/" + name + ".p12 is not on the test class path");
			}
			store.load(in, PASSWORD);
		}
		return store;
	}

}
