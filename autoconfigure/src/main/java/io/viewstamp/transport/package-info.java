/**
 * The network transport between replicas: explicit, versioned message encoding, checksummed
 * frames, and Netty connections that identify each peer with a handshake, optionally under
 * mutual TLS ({@link io.viewstamp.transport.PeerTls}); it depends only on
 * {@link io.viewstamp.vsr}, Netty and the JDK.
 */
@NullMarked
package io.viewstamp.transport;

import org.jspecify.annotations.NullMarked;
