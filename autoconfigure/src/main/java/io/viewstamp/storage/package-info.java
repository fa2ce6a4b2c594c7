/**
 * Durable storage of a replica on local files: the checksummed, group-committed journal, the
 * superblock in two copies, and atomically written snapshots, behind {@link io.viewstamp.vsr.Storage}.
 */
@NullMarked
package io.viewstamp.storage;

import org.jspecify.annotations.NullMarked;
