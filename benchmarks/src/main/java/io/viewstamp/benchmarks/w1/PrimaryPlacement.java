package io.viewstamp.benchmarks.w1;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import io.viewstamp.runtime.NodeStatus;
import io.viewstamp.vsr.Status;

/**
 * Puts the primary where a variant needs its callers to stand: whichever replica leads once the
 * cluster serves hands its view over to {@code bench.primary} (only a primary can hand over). Each
 * replica of a run runs one in the background.
 */
public final class PrimaryPlacement {

	private PrimaryPlacement() {
	}

	/**
	 * Starts placing the primary on the replica {@code bench.primary} names, if it names one.
	 * @param status this replica's status, {@code null} while it has not started
	 * @param handOver asks this replica, as primary, to hand its view to the given replica
	 */
	public static void startFromSystemProperties(Supplier<NodeStatus> status, IntFunction<CompletableFuture<?>> handOver) {
		Integer target = Integer.getInteger("bench.primary");
		if (target != null) {
			start(target, status, handOver);
		}
	}

	/**
	 * Starts placing the primary on replica {@code target}.
	 * @param target the replica the callers need as primary
	 * @param status this replica's status, {@code null} while it has not started
	 * @param handOver asks this replica, as primary, to hand its view to the given replica
	 */
	public static void start(int target, Supplier<NodeStatus> status, IntFunction<CompletableFuture<?>> handOver) {
		Thread thread = new Thread(() -> place(status, handOver, target), "primary-placement");
		thread.setDaemon(true);
		thread.start();
	}

	private static void place(Supplier<NodeStatus> statuses, IntFunction<CompletableFuture<?>> handOver, int target) {
		long askedInView = -1;
		try {
			// For the process's whole life: a first view may form before every replica is up, and a
			// view change may move the primary again later.
			while (true) {
				NodeStatus status = statuses.get();
				if (status != null && status.status() == Status.NORMAL && status.primary() != target) {
					boolean connected = status.peers().stream().allMatch((peer) -> peer.connected());
					if (connected && status.primary() == status.replica() && status.view() != askedInView) {
						askedInView = status.view();
						System.out.println("[w1] replica " + status.replica() + " hands view " + status.view()
								+ " over to replica " + target);
						try {
							handOver.apply(target).get(10, TimeUnit.SECONDS);
						}
						catch (Exception ex) {
							System.out.println("[w1] handing the primary over to replica " + target + " failed, retrying: " + ex);
							askedInView = -1;
						}
					}
				}
				TimeUnit.MILLISECONDS.sleep(50);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
