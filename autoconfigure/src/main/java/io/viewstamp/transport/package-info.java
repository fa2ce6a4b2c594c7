/**
 * The network transport between replicas: explicit, versioned message encoding, checksummed
 * frames, and Netty connections that authenticate each peer with a handshake, depending only on
 * {@link io.viewstamp.vsr}, Netty and the JDK.
 */
package io.viewstamp.transport;
