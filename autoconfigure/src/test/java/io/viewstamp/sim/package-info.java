/**
 * The deterministic simulator: real replicas, a faulty network, storage that loses unsynced writes
 * (the modelled {@link io.viewstamp.sim.SimStorage}, or the real file storage on the simulated disk
 * of {@link io.viewstamp.sim.disk}), the shipped client and apply path, and checkers of every safety
 * and liveness property, all driven by one seed in one thread on virtual time.
 *
 * <p>Run the seeds with {@code mvn -pl autoconfigure test -Dtest=SimulatorSeedsTest} ({@code -Dsim.seeds=N}
 * for more or fewer), replay one with {@code -Dsim.seed=S}, and print what it did with
 * {@code -Dsim.trace=all} or {@code -Dsim.trace=crash,"replica 1 <-"}. Scenario tests build a
 * {@link io.viewstamp.sim.Simulator#scripted scripted} world and drive the faults by hand; those
 * that test the protocol live next to it, in {@code io.viewstamp.vsr} ({@code ClassicTrapsScenarioTest},
 * {@code RepairScenarioTest}, {@code StorageFaultScenarioTest}).
 *
 * <p>This package is the world: the simulator, its network, disks, the replicas' hosts, the shipped
 * client and apply path on virtual time, and the faults (random, swarm-drawn and timed to protocol
 * events). The checkers are in {@link io.viewstamp.sim.check}, the workload and its application in
 * {@link io.viewstamp.sim.workload}, the simulated file system in {@link io.viewstamp.sim.disk}.
 */
package io.viewstamp.sim;
