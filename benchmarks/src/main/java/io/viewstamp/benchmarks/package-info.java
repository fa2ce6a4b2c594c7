/**
 * JMH benchmarks of Viewstamp's storage: journal appends with fsync and group commit, next to the
 * disk's raw fsync rate.
 */
@NullMarked
package io.viewstamp.benchmarks;

import org.jspecify.annotations.NullMarked;
