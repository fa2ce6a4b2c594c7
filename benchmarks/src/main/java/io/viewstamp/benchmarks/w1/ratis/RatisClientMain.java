package io.viewstamp.benchmarks.w1.ratis;

/**
 * W1's callers on Ratis in a JVM of their own, Ratis's usual deployment. Arguments: the transport
 * ({@code netty} or {@code grpc}) and the servers' ports; {@code -Dbench.variant} names the variant.
 */
public final class RatisClientMain {

	private RatisClientMain() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 2) {
			System.err.println("Usage: RatisClientMain <netty|grpc> <port,port,port>");
			System.exit(2);
		}
		RatisCluster cluster = new RatisCluster(args[0], args[1]);
		boolean correct = RatisLoad.run(cluster, System.getProperty("bench.variant", args[0] + "-client-jvm"), -1);
		System.exit(correct ? 0 : 1);
	}

}
