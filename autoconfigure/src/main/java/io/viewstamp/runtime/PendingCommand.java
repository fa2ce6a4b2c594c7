package io.viewstamp.runtime;

import java.util.concurrent.CompletableFuture;

/**
 * A submitted command and its caller's future.
 *
 * @param command the command bytes
 * @param future completed with the result, or with the reason there is none
 * @param deadlineNanos when the caller gets a {@link RequestTimeoutException}
 */
record PendingCommand(byte[] command, CompletableFuture<byte[]> future, long deadlineNanos) {
}
