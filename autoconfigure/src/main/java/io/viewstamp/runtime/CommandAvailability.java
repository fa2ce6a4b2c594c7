package io.viewstamp.runtime;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.viewstamp.transport.CommandCatalog;
import io.viewstamp.transport.NettyTransport;
import io.viewstamp.transport.PeerAddress;
import io.viewstamp.vsr.StateMachine;
import org.jspecify.annotations.Nullable;

/**
 * Which commands this replica advertises to its peers, and which peers, by what they advertised,
 * lack a command: the check that keeps a rolling upgrade of the application from handing a replica
 * that still runs the old release a command it does not know. Safe from any thread.
 *
 * <p>A peer is judged by its last completed handshake since this replica started, kept after its
 * connection closes: a replica stopped for its upgrade counts as the old release until it connects
 * with the new one. A peer this replica has not reached since it started is not judged; should it
 * come back with an older release and meet a command it lacks, it stops at that command with a
 * message naming it, and starts again once it runs the release that has it.
 */
final class CommandAvailability {

	/** The fingerprints of names checked so far; an application has a bounded set of commands. */
	private final Map<String, Long> fingerprints = new ConcurrentHashMap<>();

	private final Supplier<CommandCatalog> local;

	private final NodeConfiguration configuration;

	/** The replica's network, once it runs; none for a single replica. */
	private volatile @Nullable NettyTransport network;

	private CommandAvailability(Supplier<CommandCatalog> local, NodeConfiguration configuration) {
		this.local = local;
		this.configuration = configuration;
	}

	/**
	 * The availability of {@code stateMachine}'s commands: named ones when it is {@link NamedCommands},
	 * else none, in the replica that {@code configuration} describes.
	 */
	static CommandAvailability of(StateMachine stateMachine, NodeConfiguration configuration) {
		if (stateMachine instanceof NamedCommands named) {
			return new CommandAvailability(() -> CommandCatalog.of(named.commandNames()), configuration);
		}
		return new CommandAvailability(() -> CommandCatalog.EMPTY, configuration);
	}

	/** What this replica's handshakes advertise, asked at each one. */
	Supplier<CommandCatalog> local() {
		return this.local;
	}

	/** The replica's network runs: its peers' handshakes say what they know. */
	void attach(NettyTransport running) {
		this.network = running;
	}

	/**
	 * The peers whose last handshake did not advertise {@code commandName}.
	 * @return index to address of each, in index order; empty when every peer heard from knows it
	 */
	SortedMap<Integer, PeerAddress> replicasLacking(String commandName) {
		NettyTransport network = this.network;
		if (network == null) {
			return Collections.emptySortedMap();
		}
		long fingerprint = this.fingerprints.computeIfAbsent(commandName, CommandCatalog::fingerprint);
		SortedMap<Integer, PeerAddress> lacking = null;
		for (int replica = 0; replica < this.configuration.peers().size(); replica++) {
			CommandCatalog commands = (replica != this.configuration.replica()) ? network.peerCommands(replica) : null;
			if (commands != null && !commands.knows(fingerprint)) {
				if (lacking == null) {
					lacking = new TreeMap<>();
				}
				lacking.put(replica, this.configuration.peers().get(replica));
			}
		}
		return (lacking != null) ? Collections.unmodifiableSortedMap(lacking) : Collections.emptySortedMap();
	}

}
