package io.viewstamp.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

import org.jspecify.annotations.Nullable;

/**
 * A submitted command and its caller's future.
 *
 * @param command the command bytes
 * @param future completed with the result, or with the reason there is none
 * @param stateCheck whether the command is a {@link StateChecks state check} rather than the application's
 * @param committedAt told the op that carries the command before the future completes, or {@code null}
 */
record PendingCommand(byte[] command, CompletableFuture<byte[]> future, boolean stateCheck,
		@Nullable LongConsumer committedAt) {
}
