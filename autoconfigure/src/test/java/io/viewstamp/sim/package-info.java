/**
 * The deterministic simulator: real replicas, a faulty network, storage that loses unsynced writes
 * (the modelled {@link io.viewstamp.sim.SimStorage}, or the real file storage on the simulated disk
 * of {@link io.viewstamp.sim.disk}), the shipped client and apply path, and checkers of every safety
 * and liveness property, all driven by one seed in one thread on virtual time.
 *
 * <p>Run the seeds with {@code mvn -pl autoconfigure test -Dtest=SimulatorSeedsTest} ({@code -Dsim.seeds=N}
 * for more or fewer), replay one with {@code -Dsim.seed=S}, and print what it did with
 * {@code -Dsim.trace=all} or {@code -Dsim.trace=crash,"replica 1 <-"}. Scenario tests build a
 * {@link io.viewstamp.sim.Simulator#scripted scripted} world and drive the faults by hand.
 */
package io.viewstamp.sim;
