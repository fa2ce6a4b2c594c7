/**
 * The Spring Boot auto-configuration of replicated beans: {@link ReplicationProperties}, the
 * replica's lifecycle and the failure analyzer that explains a bad configuration.
 */
package io.viewstamp.autoconfigure;
