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
import io.viewstamp.transport.PeerStatus;
import io.viewstamp.vsr.Configuration;
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

	/** The replica's network, once it runs; none for a single replica. */
	private volatile @Nullable NettyTransport network;

	private CommandAvailability(Supplier<CommandCatalog> local) {
		this.local = local;
	}

	/**
	 * The availability of {@code stateMachine}'s commands: named ones when it is {@link NamedCommands},
	 * else none.
	 */
	static CommandAvailability of(StateMachine stateMachine) {
		if (stateMachine instanceof NamedCommands named) {
			return new CommandAvailability(() -> CommandCatalog.of(named.commandNames()));
		}
		return new CommandAvailability(() -> CommandCatalog.EMPTY);
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
	 * The replicas that could receive {@code commandName} and whose last handshake did not advertise it:
	 * the members of {@code committed}, and the other peers connected now (spares, which apply the log too).
	 * @return index to address of each, in index order; empty when every one heard from knows it
	 */
	SortedMap<Integer, PeerAddress> replicasLacking(String commandName, Configuration committed) {
		NettyTransport network = this.network;
		if (network == null) {
			return Collections.emptySortedMap();
		}
		long fingerprint = this.fingerprints.computeIfAbsent(commandName, CommandCatalog::fingerprint);
		SortedMap<Integer, PeerAddress> lacking = null;
		// The members, connected or not (one stopped for its upgrade runs its old release until it says
		// otherwise), and every other replica connected now: a spare, which a change may add, applies the
		// log too. A removed member stops, and no longer counts.
		for (PeerStatus peer : network.peers()) {
			CommandCatalog commands = network.peerCommands(peer.replica());
			boolean counts = committed.contains(peer.replica()) || peer.connected();
			if (counts && commands != null && !commands.knows(fingerprint)) {
				if (lacking == null) {
					lacking = new TreeMap<>();
				}
				lacking.put(peer.replica(), peer.address());
			}
		}
		return (lacking != null) ? Collections.unmodifiableSortedMap(lacking) : Collections.emptySortedMap();
	}

}
