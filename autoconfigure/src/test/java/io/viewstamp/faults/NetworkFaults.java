package io.viewstamp.faults;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.viewstamp.transport.PeerAddress;

/**
 * The network between the replicas of a cluster on 127.0.0.1, with a {@link FaultProxy} on every
 * pair: replica {@code i} dials replica {@code j > i} through the proxy of link {@code i-j}, so
 * each directed link ({@code i->j}, the proxy's forward, and {@code j->i}, its backward) can be cut,
 * delayed or slowed on its own. A replica's peer list is {@link #peersSeenBy(int)}: the proxies for
 * the peers it dials, the real addresses of the others (which it never dials), its own address.
 */
public final class NetworkFaults implements AutoCloseable {

	private final List<PeerAddress> addresses;

	/** Indexed [lower][higher]; null on and below the diagonal. */
	private final FaultProxy[][] proxies;

	private NetworkFaults(List<PeerAddress> addresses, FaultProxy[][] proxies) {
		this.addresses = List.copyOf(addresses);
		this.proxies = proxies;
	}

	/**
	 * Starts a proxy for every pair of replicas.
	 * @param addresses where each replica really listens
	 * @param seed the seed of the proxies' jitter
	 * @return the network, every link passing
	 */
	public static NetworkFaults start(List<PeerAddress> addresses, long seed) {
		int count = addresses.size();
		FaultProxy[][] proxies = new FaultProxy[count][count];
		for (int lower = 0; lower < count; lower++) {
			for (int higher = lower + 1; higher < count; higher++) {
				PeerAddress target = addresses.get(higher);
				proxies[lower][higher] = FaultProxy.start(lower + "-" + higher,
						new InetSocketAddress(target.host(), target.port()), seed * 31 + lower * count + higher);
			}
		}
		return new NetworkFaults(addresses, proxies);
	}

	/** The replicas. */
	public int size() {
		return this.addresses.size();
	}

	/**
	 * The peer list replica {@code replica} is given: proxies in front of the replicas it dials.
	 * @param replica the replica
	 * @return its peer list
	 */
	public List<PeerAddress> peersSeenBy(int replica) {
		List<PeerAddress> peers = new ArrayList<>(this.addresses);
		for (int higher = replica + 1; higher < size(); higher++) {
			peers.set(higher, new PeerAddress("127.0.0.1", this.proxies[replica][higher].port()));
		}
		return peers;
	}

	/**
	 * What the link from {@code from} to {@code to} does.
	 * @param from the sender
	 * @param to the receiver
	 * @param fault the fault
	 */
	public void set(int from, int to, LinkFault fault) {
		if (from < to) {
			this.proxies[from][to].setForward(fault);
		}
		else {
			this.proxies[to][from].setBackward(fault);
		}
	}

	/** Every directed link does {@code fault}. */
	public void setAll(LinkFault fault) {
		for (int from = 0; from < size(); from++) {
			for (int to = 0; to < size(); to++) {
				if (from != to) {
					set(from, to, fault);
				}
			}
		}
	}

	/** No byte passes between {@code side} and the other replicas, either way. */
	public void partition(Set<Integer> side) {
		for (int from = 0; from < size(); from++) {
			for (int to = 0; to < size(); to++) {
				if (from != to && side.contains(from) != side.contains(to)) {
					set(from, to, LinkFault.DROP);
				}
			}
		}
	}

	/** The pair's connections, and any opened until the heal, pass nothing ever again and stay open. */
	public void blackHole(int one, int other) {
		this.proxies[Math.min(one, other)][Math.max(one, other)].blackHole();
	}

	/** Every link passes again; black-holed connections stay dead, new ones pass. */
	public void heal() {
		for (FaultProxy[] row : this.proxies) {
			for (FaultProxy proxy : row) {
				if (proxy != null) {
					proxy.heal();
				}
			}
		}
	}

	/** Bytes the proxies swallowed, for reports. */
	public long bytesDropped() {
		long dropped = 0;
		for (FaultProxy[] row : this.proxies) {
			for (FaultProxy proxy : row) {
				dropped += (proxy != null) ? proxy.bytesDropped() : 0;
			}
		}
		return dropped;
	}

	/** The links' state, for reports. */
	public String describe() {
		List<String> links = new ArrayList<>();
		for (FaultProxy[] row : this.proxies) {
			for (FaultProxy proxy : row) {
				if (proxy != null) {
					links.add(proxy.describe());
				}
			}
		}
		return String.join("; ", links);
	}

	@Override
	public void close() {
		for (FaultProxy[] row : this.proxies) {
			for (FaultProxy proxy : row) {
				if (proxy != null) {
					proxy.close();
				}
			}
		}
	}

	/** A delay of every byte, for schedules: {@code millis} plus up to {@code jitterMillis}. */
	public static LinkFault delay(long millis, long jitterMillis) {
		return LinkFault.delay(Duration.ofMillis(millis), Duration.ofMillis(jitterMillis));
	}

}
