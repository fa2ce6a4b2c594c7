/**
 * Replicated beans: the proxies that turn calls of {@link io.viewstamp.Replicated} beans into
 * commands, the Jackson codec of commands and results, and the state machine that applies
 * commands to the real beans and captures their state for snapshots.
 */
@NullMarked
package io.viewstamp.beans;

import org.jspecify.annotations.NullMarked;
