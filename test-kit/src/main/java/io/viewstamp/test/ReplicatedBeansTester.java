package io.viewstamp.test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs an application's {@code @Replicated} beans as a simulated cluster of three replicas in one
 * JVM, and fails the test when they would not stay equal. In the manner of Spring Boot's
 * {@code ApplicationContextRunner}: immutable, configured with {@code with...} methods, and run
 * with a callback that makes the test's calls.
 *
 * <pre class="code">
 * new ReplicatedBeansTester().withUserConfiguration(Bank.class).run((cluster) -&gt; {
 *     Bank bank = cluster.bean(Bank.class);
 *     cluster.repeat(200, (random) -&gt; bank.deposit("account-" + random.nextInt(5), random.nextInt(100)));
 *     assertThat(bank.total()).isPositive();
 * });
 * </pre>
 *
 * <p>Each replica runs the application in a Spring context of its own, its replicated beans
 * proxied by the starter, so a call goes through the log as in production: the protocol core's
 * replicas and client, on a network that delays, reorders, duplicates and drops messages, with
 * disks that lose unwritten data, and crashes and restarts of one replica at a time (never the one
 * the test calls through, which stands for the test's own process). All of it is drawn from one
 * seed, printed by every failure; the same seed replays the run exactly.
 *
 * <p>The run fails with a {@link ReplicaCheckFailure} when:
 * <ul>
 * <li>a command reads the clock or randomness instead of {@code ReplicatedContext} (found in the
 * bytecode before anything runs);</li>
 * <li>a command returns different results on two replicas, or their states differ at a snapshot
 * or once the run settles;</li>
 * <li>a snapshot restores beans that differ, field by field, from those it was taken of;</li>
 * <li>a replica restored from a snapshot returns other results than the others for the commands
 * that follow it: the mark of a command that iterates a {@code HashMap} or {@code HashSet};</li>
 * <li>the cluster stops answering.</li>
 * </ul>
 */
public final class ReplicatedBeansTester {

	/** The system property that sets the seed of every run that does not set its own. */
	public static final String SEED_PROPERTY = "viewstamp.test.seed";

	private final List<Class<?>> configurations;

	private final List<ApplicationDefinition.SuppliedBean<?>> beans;

	private final @Nullable Long seed;

	private final boolean faults;

	private final Supplier<JsonMapper> mapper;

	/** A tester of no beans yet, with faults, a seed of its own per run, and a default Jackson mapper. */
	public ReplicatedBeansTester() {
		this(List.of(), List.of(), null, true, () -> JsonMapper.builder().build());
	}

	private ReplicatedBeansTester(List<Class<?>> configurations, List<ApplicationDefinition.SuppliedBean<?>> beans,
			@Nullable Long seed, boolean faults, Supplier<JsonMapper> mapper) {
		this.configurations = configurations;
		this.beans = beans;
		this.seed = seed;
		this.faults = faults;
		this.mapper = mapper;
	}

	/**
	 * Registers classes in every replica's context: {@code @Replicated} beans, the components they
	 * need, or configurations that declare them.
	 * @param classes the classes
	 * @return a new tester
	 */
	public ReplicatedBeansTester withUserConfiguration(Class<?>... classes) {
		List<Class<?>> all = new ArrayList<>(this.configurations);
		all.addAll(Arrays.asList(classes));
		return new ReplicatedBeansTester(all, this.beans, this.seed, this.faults, this.mapper);
	}

	/**
	 * Registers a bean made by {@code supplier} in every replica's context; the supplier is called
	 * once per replica (and again when one restarts), so each gets an instance of its own.
	 * @param type the bean's type
	 * @param supplier makes a new instance
	 * @param <T> the bean's type
	 * @return a new tester
	 */
	public <T> ReplicatedBeansTester withBean(Class<T> type, Supplier<T> supplier) {
		List<ApplicationDefinition.SuppliedBean<?>> all = new ArrayList<>(this.beans);
		all.add(new ApplicationDefinition.SuppliedBean<>(Objects.requireNonNull(type, "type"),
				Objects.requireNonNull(supplier, "supplier")));
		return new ReplicatedBeansTester(this.configurations, all, this.seed, this.faults, this.mapper);
	}

	/**
	 * Runs with {@code seed}: the one a failure printed, to replay it.
	 * @param seed the seed
	 * @return a new tester
	 */
	public ReplicatedBeansTester withSeed(long seed) {
		return new ReplicatedBeansTester(this.configurations, this.beans, seed, this.faults, this.mapper);
	}

	/**
	 * Runs without dropped messages or crashes; messages are still delayed and reordered.
	 * @return a new tester
	 */
	public ReplicatedBeansTester withoutFaults() {
		return new ReplicatedBeansTester(this.configurations, this.beans, this.seed, false, this.mapper);
	}

	/**
	 * Encodes commands, results and snapshots with the application's own Jackson settings.
	 * @param mapper makes the mapper, once per replica
	 * @return a new tester
	 */
	public ReplicatedBeansTester withJsonMapper(Supplier<JsonMapper> mapper) {
		return new ReplicatedBeansTester(this.configurations, this.beans, this.seed, this.faults,
				Objects.requireNonNull(mapper, "mapper"));
	}

	/**
	 * Starts the simulated cluster, gives it to {@code calls}, then ends the faults, waits until
	 * every replica has applied every command, and compares their states.
	 * @param calls the test's calls and assertions
	 * @throws ReplicaCheckFailure when a check fails; any other failure of {@code calls} is thrown
	 * as it is, with the seed added as a suppressed exception
	 */
	public void run(ClusterCallback calls) {
		long runSeed = seed();
		ApplicationDefinition definition = new ApplicationDefinition(this.configurations, this.beans, this.mapper);
		try (SimulatedWorld world = new SimulatedWorld(runSeed, definition, this.faults)) {
			List<String> reads = ClockAndRandomnessScan.findReads(world.callerApplication().replicatedBeans());
			if (!reads.isEmpty()) {
				throw world.failure("A command reads the clock or randomness, so each replica would compute "
						+ "another result and state:\n  " + String.join("\n  ", reads));
			}
			try {
				calls.accept(new SimulatedCluster(world));
			}
			catch (ReplicaCheckFailure ex) {
				throw ex;
			}
			catch (Throwable ex) {
				ex.addSuppressed(new ReplayHint(runSeed));
				throwUnchecked(ex);
			}
			world.settleAndCompare();
		}
	}

	private long seed() {
		if (this.seed != null) {
			return this.seed;
		}
		Long property = Long.getLong(SEED_PROPERTY);
		return (property != null) ? property : new SplittableRandom().nextLong();
	}

	@SuppressWarnings("unchecked")
	private static <E extends Throwable> void throwUnchecked(Throwable ex) throws E {
		throw (E) ex;
	}

	/** The test's calls on the simulated cluster. */
	@FunctionalInterface
	public interface ClusterCallback {

		/**
		 * Makes the test's calls and assertions.
		 * @param cluster the running cluster
		 * @throws Throwable any failure, which fails the test
		 */
		void accept(SimulatedCluster cluster) throws Throwable;

	}

	/** Added to a test's own failure, so that it can be replayed too. */
	private static final class ReplayHint extends Exception {

		private static final long serialVersionUID = 1L;

		ReplayHint(long seed) {
			super("Seed " + seed + ": replay this run with ReplicatedBeansTester.withSeed(" + seed + "L), or -D"
					+ SEED_PROPERTY + "=" + seed, null, false, false);
		}

	}

}
