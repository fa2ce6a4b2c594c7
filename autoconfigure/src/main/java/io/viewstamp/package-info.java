/**
 * Viewstamp's public API: what application code uses to declare and call replicated beans.
 */
@NullMarked
package io.viewstamp;

import org.jspecify.annotations.NullMarked;
