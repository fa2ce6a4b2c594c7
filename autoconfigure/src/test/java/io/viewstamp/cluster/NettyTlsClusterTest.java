package io.viewstamp.cluster;

import io.viewstamp.runtime.RuntimeOptions;
import io.viewstamp.transport.TestKeyStores;

/**
 * The cluster scenarios on real replicas in this JVM, as {@link NettyClusterTest} runs them, with
 * every connection under mutual TLS.
 */
class NettyTlsClusterTest extends NettyClusterTest {

	@Override
	RuntimeOptions options(int clientTableSessions) {
		RuntimeOptions plain = super.options(clientTableSessions);
		return plain.toBuilder().transport(plain.transport().withTls(TestKeyStores.peerTls("replica"))).build();
	}

}
