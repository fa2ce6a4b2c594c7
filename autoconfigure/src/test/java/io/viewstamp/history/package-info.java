/**
 * Client histories of a key-value store of registers (PUT, GET, compare-and-set) and the
 * linearizability checker that judges them, searching each key's history separately with Wing and
 * Gong's algorithm as improved by Lowe. Shared by the simulator ({@code io.viewstamp.sim}, virtual
 * time in ticks) and the fault runs of real replica processes ({@code io.viewstamp.runtime}, time in
 * nanoseconds): both record what their callers saw as {@link io.viewstamp.history.KvOperation}s.
 */
package io.viewstamp.history;
