package io.viewstamp.runtime;

import java.util.concurrent.CompletableFuture;

/**
 * A submitted command and its caller's future.
 *
 * @param command the command bytes
 * @param future completed with the result, or with the reason there is none
 * @param stateCheck whether the command is a {@link StateChecks state check} rather than the application's
 */
record PendingCommand(byte[] command, CompletableFuture<byte[]> future, boolean stateCheck) {
}
