/**
 * W1 through the demo application's HTTP API: three replicas of the unmodified demo app, and
 * callers in a fourth JVM that deposit 1 into one account with {@code POST /accounts/w1/deposit}.
 * It shows what a caller of a real Spring MVC endpoint pays on top of the replicated call.
 */
@NullMarked
package io.viewstamp.benchmarks.w1.http;

import org.jspecify.annotations.NullMarked;
