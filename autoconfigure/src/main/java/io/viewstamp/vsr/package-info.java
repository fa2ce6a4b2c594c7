/**
 * The Viewstamped Replication protocol core: a deterministic {@link io.viewstamp.vsr.Replica} that
 * reacts only to {@code tick}, {@code receive} and storage completions, with no threads, clock,
 * randomness or I/O of its own.
 */
@NullMarked
package io.viewstamp.vsr;

import org.jspecify.annotations.NullMarked;
