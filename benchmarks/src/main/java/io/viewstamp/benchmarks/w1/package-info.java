/**
 * Workload W1 of docs/benchmarks.md: a replicated counter, three replicas as three JVMs on one
 * machine, closed-loop callers, Viewstamp and Apache Ratis run the same way. {@link
 * io.viewstamp.benchmarks.w1.LoadRun} drives the callers and measures; the {@code *Main} classes
 * are the processes {@code benchmarks/run.sh} starts; {@link io.viewstamp.benchmarks.w1.ReportTable}
 * prints the table of every run.
 */
@NullMarked
package io.viewstamp.benchmarks.w1;

import org.jspecify.annotations.NullMarked;
