/**
 * Monitoring of the replica: the {@code /actuator/replication} endpoint, the
 * {@code replication} health indicator and the {@code replication.*} meters.
 */
@NullMarked
package io.viewstamp.actuate;

import org.jspecify.annotations.NullMarked;
