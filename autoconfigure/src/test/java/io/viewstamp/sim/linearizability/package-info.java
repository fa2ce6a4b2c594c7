/**
 * A linearizability checker for client histories of the simulated key-value store, searching each
 * key's history separately with Wing and Gong's algorithm as improved by Lowe.
 */
package io.viewstamp.sim.linearizability;
