/**
 * The demo application: a bank whose accounts are a {@code @Replicated} bean, served over REST.
 */
@NullMarked
package io.viewstamp.demo;

import org.jspecify.annotations.NullMarked;
