/**
 * What the simulated clients do, and the application they do it to: a key-value map
 * ({@link io.viewstamp.sim.workload.KvStateMachine}, and {@link io.viewstamp.sim.workload.LockedKvStateMachine}
 * for worlds of real threads) driven by PUTs, GETs and reads ({@link io.viewstamp.sim.workload.SimWorkload})
 * encoded as {@link io.viewstamp.sim.workload.KvCommand}s, with values no other write writes so that
 * a read names the write it saw.
 */
package io.viewstamp.sim.workload;
