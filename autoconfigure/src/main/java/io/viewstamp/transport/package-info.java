/**
 * The network transport between replicas: explicit, versioned message encoding and checksummed
 * frames, depending only on {@link io.viewstamp.vsr} and the JDK.
 */
package io.viewstamp.transport;
