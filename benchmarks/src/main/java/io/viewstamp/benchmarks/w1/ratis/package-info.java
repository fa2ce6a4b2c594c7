/**
 * W1 on Apache Ratis 3.2.0, as a new user would set it up: a counter state machine, three servers
 * with their defaults (group commit with {@code raft.server.log.force.sync.num=128}, no unsafe
 * flush), the Netty or the gRPC transport, and callers each with its own {@code RaftClient} using
 * the async API, in a fourth JVM or in the leader's.
 */
@NullMarked
package io.viewstamp.benchmarks.w1.ratis;

import org.jspecify.annotations.NullMarked;
