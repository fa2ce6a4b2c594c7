/**
 * The runtime that runs one replica on real threads: an event loop that owns the
 * {@link io.viewstamp.vsr.Replica}, its file storage and its network transport, and the
 * {@link io.viewstamp.runtime.ReplicationClient} through which local callers submit commands.
 */
@NullMarked
package io.viewstamp.runtime;

import org.jspecify.annotations.NullMarked;
