package io.viewstamp.vsr;

/**
 * Everything a replica receives or sends: requests from clients, replies to them, and the
 * protocol messages between replicas (subtypes of {@link ReplicaMessage}).
 */
public sealed interface Message permits Request, Reply, ReplicaMessage {

}
