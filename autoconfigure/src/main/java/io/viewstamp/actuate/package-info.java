/**
 * Monitoring of the replica: the {@code /actuator/replication} endpoint and the
 * {@code replication} health indicator.
 */
package io.viewstamp.actuate;
