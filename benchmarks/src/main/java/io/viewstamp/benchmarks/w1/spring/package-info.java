/**
 * W1 on Viewstamp through Spring: a {@code @Replicated} counter bean, called through its proxy by
 * callers in one replica's application (variants (a) on the primary, (b) on a backup).
 */
@NullMarked
package io.viewstamp.benchmarks.w1.spring;

import org.jspecify.annotations.NullMarked;
