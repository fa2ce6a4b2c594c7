package io.viewstamp.benchmarks.w1.ratis;

import java.io.File;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;

/**
 * One Ratis server of W1. Arguments: its index, the transport ({@code netty} or {@code grpc}), the
 * servers' ports and its storage directory. With {@code -Dbench.variant=...} it takes the
 * leadership, runs the callers in its own JVM, and exits; otherwise it serves until killed.
 */
public final class RatisServerMain {

	private RatisServerMain() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 4) {
			System.err.println("Usage: RatisServerMain <index> <netty|grpc> <port,port,port> <storage directory>");
			System.exit(2);
		}
		int index = Integer.parseInt(args[0]);
		RatisCluster cluster = new RatisCluster(args[1], args[2]);
		RaftProperties properties = cluster.properties(index);
		RaftServerConfigKeys.setStorageDir(properties, List.of(new File(args[3])));
		RaftServer server = RaftServer.newBuilder()
			.setServerId(RatisCluster.peerId(index))
			.setGroup(cluster.group())
			.setProperties(properties)
			.setStateMachine(new CounterStateMachine())
			.setOption(RaftStorage.StartupOption.FORMAT)
			.build();
		server.start();
		String variant = System.getProperty("bench.variant");
		if (variant == null) {
			CountDownLatch stopped = new CountDownLatch(1);
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					server.close();
				}
				catch (Exception ex) {
					// Closing on the way out; nothing to do.
				}
				stopped.countDown();
			}));
			stopped.await();
			return;
		}
		boolean correct = RatisLoad.run(cluster, variant, index);
		server.close();
		System.exit(correct ? 0 : 1);
	}

}
