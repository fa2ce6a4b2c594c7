/**
 * The Spring Boot auto-configuration of replicated beans: {@link ReplicationProperties}, the
 * replica's lifecycle and the failure analyzer that explains a bad configuration.
 */
@NullMarked
package io.viewstamp.autoconfigure;

import org.jspecify.annotations.NullMarked;
