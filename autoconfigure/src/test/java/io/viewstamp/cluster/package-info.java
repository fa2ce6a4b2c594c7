/**
 * One suite of cluster scenarios run twice: on the deterministic simulator and on real replicas
 * with Netty and file storage, so that what the simulator shows is also shown on the real parts.
 */
package io.viewstamp.cluster;
