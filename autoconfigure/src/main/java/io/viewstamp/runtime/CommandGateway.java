package io.viewstamp.runtime;

import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

import org.jspecify.annotations.Nullable;

/**
 * Where the proxies of replicated beans send their commands and read barriers: the replica's
 * {@link ReplicationClient} in an application, a simulated cluster in the test kit. Only what a
 * proxy needs, so that the same proxies run on either.
 */
public interface CommandGateway {

	/**
	 * Submits {@code command} through the log.
	 * @param command the command bytes
	 * @param committedAt told the op that carries the command, before the future completes with
	 * its result (so that traces can name it); {@code null} when no one asks
	 * @return completed with the state machine's result once the command is committed and applied
	 * on this replica, or failed when its outcome is unknown or it was refused
	 * @see ReplicationClient#submit(byte[])
	 */
	CompletableFuture<byte[]> submit(byte[] command, @Nullable LongConsumer committedAt);

	/**
	 * Sends the barrier of a linearizable read through the log.
	 * @param committedAt told the op that carries the barrier, before the future completes; or {@code null}
	 * @return completed once every command acknowledged before this call is applied on this replica
	 * @see ReplicationClient#barrier()
	 */
	CompletableFuture<byte[]> barrier(@Nullable LongConsumer committedAt);

	/**
	 * The members that do not know the command named {@code commandName}, as they run an older
	 * release.
	 * @param commandName a name the application's {@link NamedCommands} gives
	 * @return index to address of each member lacking it; empty when none does
	 * @see ReplicationClient#replicasLacking(String)
	 */
	SortedMap<Integer, String> replicasLacking(String commandName);

}
