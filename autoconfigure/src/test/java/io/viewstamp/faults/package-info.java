/**
 * Faults on real networks: a TCP proxy per link between replicas ({@link io.viewstamp.faults.FaultProxy})
 * that delays, slows, drops or black-holes the bytes of each direction, for tests of the running
 * product the way Jepsen tests databases.
 */
package io.viewstamp.faults;
