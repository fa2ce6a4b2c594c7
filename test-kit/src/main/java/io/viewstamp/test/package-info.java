/**
 * The test kit for an application's own replicated beans: {@link io.viewstamp.test.ReplicatedBeansTester}
 * runs them as a simulated cluster of three replicas in one JVM, on the protocol core that ships
 * ({@code io.viewstamp.vsr}), with a network and disks whose faults are drawn from one seed. It fails
 * the test, naming the seed that replays the run, when the replicas' results or states diverge,
 * when a snapshot does not restore a bean equal to the one that took it, or when a command reads
 * the clock or randomness instead of {@link io.viewstamp.ReplicatedContext}.
 */
@NullMarked
package io.viewstamp.test;

import org.jspecify.annotations.NullMarked;
