package io.viewstamp.benchmarks.w1.ratis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftPeerId;

import io.viewstamp.benchmarks.w1.LoadRun;
import io.viewstamp.benchmarks.w1.LoadSchedule;

/** W1's callers on Ratis: one {@code RaftClient} per caller, async API, wherever this runs. */
final class RatisLoad {

	private RatisLoad() {
	}

	/**
	 * Moves the leadership to {@code leader} if asked, runs the schedule, and checks the counter.
	 * @return whether the check passed
	 */
	static boolean run(RatisCluster cluster, String variant, int leader)
			throws IOException, InterruptedException, ExecutionException, TimeoutException {
		LoadSchedule schedule = LoadSchedule.fromSystemProperties();
		int callersMax = schedule.callers().stream().mapToInt(Integer::intValue).max().orElse(1);
		List<RaftClient> clients = new ArrayList<>();
		try {
			for (int caller = 0; caller < callersMax; caller++) {
				clients.add(cluster.newClient());
			}
			RaftClient first = clients.get(0);
			// The first request finds the leader, through however many elections it takes.
			RatisCluster.value(first.io().sendReadOnly(RatisCluster.READ));
			if (leader >= 0) {
				// Ratis refuses to hand its leadership over while the logs hold no entry: write one that
				// changes nothing first. The transfer gets a bound of its own, since the client retries.
				RatisCluster.value(first.io().send(RatisCluster.READ));
				RaftPeerId target = RatisCluster.peerId(leader);
				CompletableFuture.runAsync(() -> {
					try {
						first.admin().transferLeadership(target, TimeUnit.SECONDS.toMillis(30));
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
				}).get(60, TimeUnit.SECONDS);
				RatisCluster.value(first.io().sendReadOnly(RatisCluster.READ));
			}
			LoadRun run = new LoadRun("ratis", variant,
					(caller) -> clients.get(caller).async().send(RatisCluster.INCREMENT).thenApply(RatisCluster::value),
					LoadRun.processesFromSystemProperties(), Path.of(System.getProperty("bench.results")));
			return run.run(schedule, () -> {
				try {
					return RatisCluster.value(first.io().sendReadOnly(RatisCluster.READ));
				}
				catch (IOException ex) {
					throw new IllegalStateException("Could not read the counter", ex);
				}
			});
		}
		finally {
			for (RaftClient client : clients) {
				client.close();
			}
		}
	}

}
