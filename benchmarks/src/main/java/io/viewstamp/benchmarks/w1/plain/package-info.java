/**
 * W1 on the plain runtime, without Spring (variant (c)): a {@code ReplicaNode} with a counter state
 * machine, and callers that submit through its {@code ReplicationClient}. Beside variant (a) it
 * shows what the Spring proxy and Jackson cost.
 */
@NullMarked
package io.viewstamp.benchmarks.w1.plain;

import org.jspecify.annotations.NullMarked;
