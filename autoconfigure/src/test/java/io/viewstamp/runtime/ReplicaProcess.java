package io.viewstamp.runtime;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import io.viewstamp.storage.DataDirectoryException;
import io.viewstamp.transport.PeerAddress;
import io.viewstamp.transport.TransportOptions;
import io.viewstamp.transport.TransportException;
import io.viewstamp.vsr.ReplicaOptions;

/**
 * One replica as a plain process, with the {@link LedgerStateMachine} and a small HTTP control
 * server on loopback: the process the multi-process tests ({@link ProcessCluster}) and the
 * benchmarks start, kill and restart.
 *
 * <h2>A three-replica cluster by hand</h2>
 *
 * Build the test classes and write the test class path once (from the repository's root):
 *
 * <pre>
 * mvn -o -q -pl autoconfigure test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
 * CP=autoconfigure/target/test-classes:autoconfigure/target/classes:$(cat autoconfigure/target/test-classpath.txt)
 * PEERS=127.0.0.1:7401,127.0.0.1:7402,127.0.0.1:7403
 * </pre>
 *
 * Format each replica's data directory once (a new cluster), then start the three replicas; each
 * prints {@code READY} when it serves its control port:
 *
 * <pre>
 * for i in 0 1 2; do
 *   java -cp "$CP" io.viewstamp.runtime.ReplicaProcess format --cluster-id 7 --replica $i --peers $PEERS --data-dir /tmp/vs/$i
 * done
 * for i in 0 1 2; do
 *   java -Xmx256m -cp "$CP" io.viewstamp.runtime.ReplicaProcess start --cluster-id 7 --replica $i --peers $PEERS \
 *       --data-dir /tmp/vs/$i --control-port 810$i &gt; /tmp/vs/replica-$i.log 2&gt;&amp;1 &amp;
 * done
 * </pre>
 *
 * Then talk to any replica's control port:
 *
 * <pre>
 * curl -s -d my-id-1 localhost:8100/submit        # 200 "1": committed and applied on replica 0, once
 * curl -s localhost:8101/status                   # replica=1 status=NORMAL view=0 primary=0 op=2 commit=2 ...
 * curl -s localhost:8102/state | head -1          # checksum=... size=1 lastAppliedOp=2 duplicates=0
 * curl -s -X POST 'localhost:8100/load?clients=32&amp;seconds=10&amp;prefix=bench'   # acked=... opsPerSecond=... p99Ms=...
 * </pre>
 *
 * {@code kill -9} a replica to crash it, start it again with the same command to restart it from
 * its data directory, or delete the directory first to make it recover from the others.
 *
 * <h2>Commands and options</h2>
 *
 * {@code format} creates the data directory of a new cluster's replica and exits; {@code start}
 * runs the replica until the process is killed (SIGTERM closes it cleanly, SIGKILL is a crash).
 * Options: {@code --cluster-id N --replica I --peers host:port,... --data-dir DIR}, and for
 * {@code start} {@code --control-port P} and optionally {@code --request-timeout-ms M},
 * {@code --snapshot-interval OPS}, {@code --idle-timeout-ms M} (the transport's idle timeout, with
 * a ping every fifth of it) and {@code --parent-pid PID} (exit when that process ends, so a
 * test that dies leaves no replica behind). The control endpoints are described on
 * {@link ControlServer}. A bad argument exits with code 2 and a message naming the option; a data
 * directory or port that can not be used exits with code 1.
 */
public final class ReplicaProcess {

	/** The line {@code start} prints once the replica runs and its control server answers. */
	public static final String READY_LINE = "READY";

	/** Exit code of a bad command line. */
	static final int EXIT_USAGE = 2;

	/** Exit code of a replica that could not start or format (its data directory or port). */
	static final int EXIT_FAILURE = 1;

	static final int EXIT_OK = 0;

	private static final String USAGE = """
			usage: ReplicaProcess format --cluster-id N --replica I --peers host:port,... --data-dir DIR
			       ReplicaProcess start  --cluster-id N --replica I --peers host:port,... --data-dir DIR --control-port P
			                             [--request-timeout-ms M] [--snapshot-interval OPS] [--idle-timeout-ms M]
			                             [--parent-pid PID]""";

	private static final Set<String> FORMAT_OPTIONS = Set.of("--cluster-id", "--replica", "--peers", "--data-dir");

	private static final Set<String> START_OPTIONS = Set.of("--cluster-id", "--replica", "--peers", "--data-dir",
			"--control-port", "--request-timeout-ms", "--snapshot-interval", "--idle-timeout-ms", "--parent-pid");

	private ReplicaProcess() {
	}

	public static void main(String[] args) {
		int exitCode = run(args, System.out, System.err);
		System.exit(exitCode);
	}

	/**
	 * Runs one command; {@code start} returns only when the process is asked to stop.
	 * @param args the command line
	 * @param out where {@link #READY_LINE} goes
	 * @param err where problems go
	 * @return the exit code
	 */
	static int run(String[] args, PrintStream out, PrintStream err) {
		Arguments arguments;
		try {
			arguments = Arguments.parse(args);
		}
		catch (UsageException ex) {
			err.println("ReplicaProcess: " + ex.getMessage());
			err.println(USAGE);
			return EXIT_USAGE;
		}
		try {
			if (arguments.command().equals("format")) {
				ReplicaNode.format(arguments.configuration());
				out.println("Formatted replica " + arguments.replica() + " of cluster " + arguments.clusterId() + " in "
						+ arguments.dataDirectory());
				return EXIT_OK;
			}
			return start(arguments, out);
		}
		catch (DataDirectoryException | TransportException | UncheckedIOException ex) {
			err.println("ReplicaProcess: replica " + arguments.replica() + " can not " + arguments.command() + ": "
					+ ex.getMessage());
			return EXIT_FAILURE;
		}
	}

	private static int start(Arguments arguments, PrintStream out) {
		LedgerStateMachine ledger = new LedgerStateMachine();
		ReplicaNode node = ReplicaNode.start(arguments.configuration(), arguments.options(), ledger);
		ControlServer control;
		try {
			control = ControlServer.start(arguments.controlPort(), node, ledger, arguments.options().requestTimeout());
		}
		catch (RuntimeException ex) {
			node.close();
			throw ex;
		}
		CountDownLatch stopped = new CountDownLatch(1);
		// SIGTERM closes the replica cleanly; SIGKILL, the crash the tests want, skips this.
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			control.stop();
			node.close();
			stopped.countDown();
		}, "replica-process-shutdown"));
		arguments.parentPid().flatMap(ProcessHandle::of).ifPresent((parent) -> parent.onExit().thenRun(() -> {
			System.err.println("ReplicaProcess: parent process " + parent.pid() + " ended; replica "
					+ arguments.replica() + " exits too");
			System.exit(EXIT_OK);
		}));
		out.println(READY_LINE);
		out.flush();
		try {
			stopped.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return EXIT_OK;
	}

	/** A command line that can not be run; the message names the option and what is expected. */
	static final class UsageException extends Exception {

		private static final long serialVersionUID = 1L;

		UsageException(String message) {
			super(message);
		}

	}

	/**
	 * A parsed command line.
	 *
	 * @param command {@code format} or {@code start}
	 * @param clusterId the cluster id
	 * @param replica this replica's index in {@code peers}
	 * @param peers every replica's address
	 * @param dataDirectory this replica's data directory
	 * @param controlPort the control server's port on 127.0.0.1 ({@code start} only, else 0)
	 * @param requestTimeout the client's request timeout
	 * @param snapshotIntervalOps ops between snapshots, or empty for the default
	 * @param parentPid the process whose end ends this one, or empty
	 * @param idleTimeout the transport's idle timeout, or empty for the default
	 */
	record Arguments(String command, long clusterId, int replica, List<PeerAddress> peers, Path dataDirectory,
			int controlPort, Duration requestTimeout, Optional<Integer> snapshotIntervalOps, Optional<Long> parentPid,
			Optional<Duration> idleTimeout) {

		static Arguments parse(String[] args) throws UsageException {
			if (args.length == 0 || !(args[0].equals("format") || args[0].equals("start"))) {
				throw new UsageException("the first argument must be the command 'format' or 'start', got "
						+ ((args.length == 0) ? "nothing" : "'" + args[0] + "'"));
			}
			String command = args[0];
			Map<String, String> options = options(args, command.equals("start") ? START_OPTIONS : FORMAT_OPTIONS);
			long clusterId = number(options, "--cluster-id", 0, Long.MAX_VALUE);
			List<PeerAddress> peers = peers(required(options, "--peers"));
			int replica = (int) number(options, "--replica", 0, peers.size() - 1);
			Path dataDirectory = Path.of(required(options, "--data-dir"));
			int controlPort = 0;
			Duration requestTimeout = RuntimeOptions.defaults().requestTimeout();
			if (command.equals("start")) {
				controlPort = (int) number(options, "--control-port", 1, PeerAddress.PORT_MAX);
				if (options.containsKey("--request-timeout-ms")) {
					requestTimeout = Duration.ofMillis(number(options, "--request-timeout-ms", 1, Long.MAX_VALUE));
				}
			}
			Optional<Integer> snapshotIntervalOps = options.containsKey("--snapshot-interval")
					? Optional.of((int) number(options, "--snapshot-interval", 1, Integer.MAX_VALUE)) : Optional.empty();
			Optional<Long> parentPid = options.containsKey("--parent-pid")
					? Optional.of(number(options, "--parent-pid", 1, Long.MAX_VALUE)) : Optional.empty();
			Optional<Duration> idleTimeout = options.containsKey("--idle-timeout-ms")
					? Optional.of(Duration.ofMillis(number(options, "--idle-timeout-ms", 10, TransportOptions.DURATION_MAX.toMillis())))
					: Optional.empty();
			Arguments arguments = new Arguments(command, clusterId, replica, peers, dataDirectory, controlPort,
					requestTimeout, snapshotIntervalOps, parentPid, idleTimeout);
			arguments.checkSnapshotInterval();
			return arguments;
		}

		NodeConfiguration configuration() {
			return new NodeConfiguration(this.clusterId, this.replica, this.peers, this.dataDirectory);
		}

		RuntimeOptions options() {
			RuntimeOptions defaults = RuntimeOptions.defaults();
			ReplicaOptions replicaOptions = this.snapshotIntervalOps
				.map((interval) -> defaults.replica().toBuilder().snapshotIntervalOps(interval).build())
				.orElse(defaults.replica());
			RuntimeOptions options = defaults.toBuilder().requestTimeout(this.requestTimeout).replica(replicaOptions).build();
			return this.idleTimeout
				.map((idle) -> options.toBuilder()
					.transport(options.transport().withLiveness(idle.dividedBy(5), idle))
					.build())
				.orElse(options);
		}

		private void checkSnapshotInterval() throws UsageException {
			try {
				options();
			}
			catch (IllegalArgumentException | IllegalStateException ex) {
				throw new UsageException("--snapshot-interval " + this.snapshotIntervalOps.orElse(null)
						+ " is not accepted: " + ex.getMessage());
			}
		}

		private static Map<String, String> options(String[] args, Set<String> allowed) throws UsageException {
			Map<String, String> options = new LinkedHashMap<>();
			for (int index = 1; index < args.length; index++) {
				String name = args[index];
				String value;
				int equals = name.indexOf('=');
				if (equals > 0) {
					value = name.substring(equals + 1);
					name = name.substring(0, equals);
				}
				else if (index + 1 < args.length) {
					value = args[++index];
				}
				else {
					throw new UsageException("option " + name + " has no value");
				}
				if (!allowed.contains(name)) {
					throw new UsageException("unknown option '" + name + "' for command " + args[0] + "; allowed: "
							+ allowed.stream().sorted().toList());
				}
				if (options.put(name, value) != null) {
					throw new UsageException("option " + name + " is given twice");
				}
			}
			return options;
		}

		private static String required(Map<String, String> options, String name) throws UsageException {
			String value = options.get(name);
			if (value == null || value.isBlank()) {
				throw new UsageException("option " + name + " is required");
			}
			return value;
		}

		private static long number(Map<String, String> options, String name, long min, long max) throws UsageException {
			String value = required(options, name);
			long number;
			try {
				number = Long.parseLong(value.strip());
			}
			catch (NumberFormatException ex) {
				throw new UsageException("option " + name + " must be a whole number, got '" + value + "'");
			}
			if (number < min || number > max) {
				throw new UsageException("option " + name + " is " + number + ", outside " + min + ".." + max);
			}
			return number;
		}

		private static List<PeerAddress> peers(String value) throws UsageException {
			List<PeerAddress> peers = new ArrayList<>();
			for (String text : value.split(",", -1)) {
				try {
					peers.add(PeerAddress.parse(text));
				}
				catch (IllegalArgumentException ex) {
					throw new UsageException("option --peers: " + ex.getMessage());
				}
			}
			if (Set.copyOf(peers).size() != peers.size()) {
				throw new UsageException("option --peers lists an address twice: " + value);
			}
			return peers;
		}

	}

}
