/**
 * The simulator's checkers: each one watches the world after every event and names the first event
 * at which a promise broke. {@link io.viewstamp.sim.check.CommitChecker} follows the one canonical
 * committed history (and that every committed request is one a client sent,
 * {@link io.viewstamp.sim.check.RequestRegistry}); {@link io.viewstamp.sim.check.ReplyChecker}
 * checks every reply a client accepts against it; {@link io.viewstamp.sim.check.StateChecker}
 * compares the state machines of replicas that applied the same ops;
 * {@link io.viewstamp.sim.check.HistoryChecker} checks that what the clients saw is linearizable;
 * and {@link io.viewstamp.sim.check.DurableLogChecker} checks that a replica's disk backs its
 * acknowledgements, votes and log views at every instant, as a crash there would find it.
 */
package io.viewstamp.sim.check;
