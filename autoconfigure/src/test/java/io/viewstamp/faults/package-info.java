/**
 * Faults on real networks: a TCP proxy per link between replicas ({@link io.viewstamp.faults.FaultProxy})
 * that delays, slows, drops or black-holes the bytes of each direction, and one on every pair of a
 * cluster ({@link io.viewstamp.faults.NetworkFaults}), for tests of the running product the way
 * Jepsen tests databases. The schedules that use them are in {@code io.viewstamp.runtime}'s
 * {@code NetworkFaultRunTest}; docs/reliability.md describes them.
 */
package io.viewstamp.faults;
