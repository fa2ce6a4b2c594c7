package io.viewstamp.sim;

import java.util.SplittableRandom;

import io.viewstamp.vsr.ClientOptions;
import io.viewstamp.vsr.ReplicaOptions;

/**
 * Everything that shapes one simulated world besides the seed's random draws: how many replicas
 * and clients, the replicas' options, the faults, the workload and the length of each phase.
 * {@link #random(long)} draws all of it from the seed, so a seed names a whole world.
 *
 * @param seed the seed every random choice derives from
 * @param clusterId the cluster id of the replicas
 * @param replicaCount 1, 3 or 5 replicas
 * @param clientCount the number of clients
 * @param keyCount the number of keys the workload touches
 * @param putProbability the chance that a workload operation is a PUT rather than a GET
 * @param thinkTicksMax the most ticks a client waits between one result and its next operation
 * @param clientOptions the clients' sessions, resend interval and caller timeout
 * @param clientsBesideReplicas whether each client runs beside a replica (client k beside replica k
 * mod the replica count), as an application's callers do, sharing its process's crashes and reading
 * its state; otherwise clients run on processes of their own and only send commands
 * @param replicaOptions the replicas' limits and timeouts
 * @param faults the faults of the chaos phase
 * @param chaosTicks the length of the chaos phase
 * @param livenessTicksMax the ticks the healed cluster has to finish every client's operation and
 * converge
 * @param workload whether clients invent operations on their own; scripted scenarios submit them
 * @param disks the disks the replicas run on: the modelled storage, the real one, or both
 * @param spareCount hosts beyond the first configuration's replicas (indexes {@code replicaCount} and
 * up), down and empty until a scenario or the fault injector starts one to join the cluster
 */
public record SimConfiguration(long seed, long clusterId, int replicaCount, int clientCount, int keyCount,
		double putProbability, int thinkTicksMax, ClientOptions clientOptions, boolean clientsBesideReplicas, ReplicaOptions replicaOptions,
		SimFaults faults, int chaosTicks, int livenessTicksMax, boolean workload, SimDisks disks, int spareCount) {

	/** The most clients a random world has. */
	public static final int CLIENTS_MAX = 8;

	/** The fewest keys a random workload uses: few keys make clients collide on them. */
	public static final int KEYS_MIN = 5;

	/** The most keys a random workload uses. */
	public static final int KEYS_MAX = 20;

	/** The shortest chaos phase. */
	public static final int CHAOS_TICKS_MIN = 2_000;

	/** The longest chaos phase. */
	public static final int CHAOS_TICKS_MAX = 20_000;

	/** The ticks a healed cluster gets to converge. */
	public static final int LIVENESS_TICKS_MAX = 10_000;

	/**
	 * Resend intervals a random world's caller waits before it gives up on an operation (as the
	 * runtime's request timeout, 25 of its resend intervals, does).
	 */
	public static final int CALLER_PATIENCE_RESENDS = 25;

	/** The most ticks a client thinks between operations. */
	public static final int THINK_TICKS_MAX = 40;

	public SimConfiguration {
		if (replicaCount < 1 || clientCount < 0 || keyCount < 1 || clientOptions == null || chaosTicks < 0
				|| livenessTicksMax < 1 || thinkTicksMax < 0 || disks == null || spareCount < 0
				|| replicaCount + spareCount > io.viewstamp.vsr.Cluster.REPLICAS_MAX) {
			throw new IllegalArgumentException("Invalid simulator configuration: " + this);
		}
	}

	/**
	 * Draws a whole world from {@code seed}: mostly three replicas, sometimes one or five; one to
	 * eight clients; a calm, moderate or harsh fault profile; on some seeds a client table smaller
	 * than the number of clients, so that sessions get evicted.
	 * @param seed the seed
	 * @return the world's configuration
	 */
	public static SimConfiguration random(long seed) {
		SplittableRandom random = RandomStreams.of(seed, "configuration");
		int replicaDraw = random.nextInt(10);
		int replicaCount = (replicaDraw == 0) ? 1 : (replicaDraw <= 7) ? 3 : 5;
		int clientCount = random.nextInt(1, CLIENTS_MAX + 1);
		ReplicaOptions options = ReplicaOptions.defaults();
		if (clientCount >= 2 && random.nextInt(5) == 0) {
			options = options.toBuilder().clientsMax(random.nextInt((clientCount + 1) / 2, clientCount)).build();
		}
		options = withRandomPipeline(options, RandomStreams.of(seed, "pipeline"));
		options = withRandomSnapshots(options, RandomStreams.of(seed, "snapshots"));
		options = options.toBuilder()
			.commitAnnouncedAtOnce(RandomStreams.of(seed, "commit-announcement").nextBoolean())
			.build();
		options = withRandomMessageEntriesBytes(options, RandomStreams.of(seed, "message-entries-bytes"));
		SimFaults faults = SimFaults.random(random);
		int resendIntervalTicks = 4 * faults.delayTicksMax() + 2 * faults.storageLatencyTicksMax() + 20
				+ random.nextInt(0, 60);
		ClientOptions clientOptions = new ClientOptions(RandomStreams.of(seed, "client-sessions").nextInt(1, 3), 1,
				resendIntervalTicks, (long) resendIntervalTicks * CALLER_PATIENCE_RESENDS);
		// Spare hosts, for changes of members, in a quarter of the worlds of three replicas or more:
		// drawn from a stream of their own, so that the other draws of a seed are what they were.
		int spareCount = (replicaCount >= 3 && RandomStreams.of(seed, "spares").nextInt(4) == 0) ? 2 : 0;
		return new SimConfiguration(seed, random.nextLong(), replicaCount, clientCount,
				random.nextInt(KEYS_MIN, KEYS_MAX + 1), random.nextDouble(0.2, 0.8), random.nextInt(0, THINK_TICKS_MAX + 1),
				clientOptions, true, options, faults, random.nextInt(CHAOS_TICKS_MIN, CHAOS_TICKS_MAX + 1),
				LIVENESS_TICKS_MAX, true, SimDisks.random(RandomStreams.of(seed, "disks")), spareCount);
	}

	/**
	 * A world for scripted scenarios: no random faults, no workload of its own (the scenario
	 * submits operations), default replica options.
	 * @param seed the seed for what remains random (client ids, replicas' own generators)
	 * @param replicaCount the number of replicas
	 * @param clientCount the number of clients
	 * @return the configuration
	 */
	public static SimConfiguration scripted(long seed, int replicaCount, int clientCount) {
		return new SimConfiguration(seed, 1, replicaCount, clientCount, KEYS_MIN, 0.5, 0,
				new ClientOptions(1, 1, 30, ClientOptions.REQUEST_TIMEOUT_TICKS_NEVER), false, ReplicaOptions.defaults(),
				SimFaults.none(), 0, LIVENESS_TICKS_MAX, false, SimDisks.modelled(), 0);
	}

	/**
	 * A copy with {@code spareCount} spare hosts, down and empty until started to join the cluster.
	 * @param spareCount the number of spares
	 * @return the copy
	 */
	public SimConfiguration withSpares(int spareCount) {
		return new SimConfiguration(this.seed, this.clusterId, this.replicaCount, this.clientCount, this.keyCount,
				this.putProbability, this.thinkTicksMax, this.clientOptions, this.clientsBesideReplicas, this.replicaOptions,
				this.faults, this.chaosTicks, this.livenessTicksMax, this.workload, this.disks, spareCount);
	}

	/** The number of hosts: the first configuration's replicas and the spares. */
	public int hostCount() {
		return this.replicaCount + this.spareCount;
	}

	/**
	 * A copy whose clients run beside the replicas, or on processes of their own.
	 * @param clientsBesideReplicas whether clients run beside replicas
	 * @return the copy
	 */
	public SimConfiguration withClientsBesideReplicas(boolean clientsBesideReplicas) {
		return new SimConfiguration(this.seed, this.clusterId, this.replicaCount, this.clientCount, this.keyCount,
				this.putProbability, this.thinkTicksMax, this.clientOptions, clientsBesideReplicas, this.replicaOptions,
				this.faults, this.chaosTicks, this.livenessTicksMax, this.workload, this.disks, this.spareCount);
	}

	/**
	 * A copy whose clients have other options.
	 * @param clientOptions the clients' sessions, resend interval and caller timeout
	 * @return the copy
	 */
	public SimConfiguration withClientOptions(ClientOptions clientOptions) {
		return new SimConfiguration(this.seed, this.clusterId, this.replicaCount, this.clientCount, this.keyCount,
				this.putProbability, this.thinkTicksMax, clientOptions, this.clientsBesideReplicas, this.replicaOptions,
				this.faults, this.chaosTicks, this.livenessTicksMax, this.workload, this.disks, this.spareCount);
	}

	/**
	 * A copy with other faults.
	 * @param faults the faults
	 * @return the copy
	 */
	public SimConfiguration withFaults(SimFaults faults) {
		return new SimConfiguration(this.seed, this.clusterId, this.replicaCount, this.clientCount, this.keyCount,
				this.putProbability, this.thinkTicksMax, this.clientOptions, this.clientsBesideReplicas, this.replicaOptions, faults,
				this.chaosTicks, this.livenessTicksMax, this.workload, this.disks, this.spareCount);
	}

	/**
	 * A copy with other replica options.
	 * @param replicaOptions the options
	 * @return the copy
	 */
	public SimConfiguration withReplicaOptions(ReplicaOptions replicaOptions) {
		return new SimConfiguration(this.seed, this.clusterId, this.replicaCount, this.clientCount, this.keyCount,
				this.putProbability, this.thinkTicksMax, this.clientOptions, this.clientsBesideReplicas, replicaOptions, this.faults,
				this.chaosTicks, this.livenessTicksMax, this.workload, this.disks, this.spareCount);
	}

	/**
	 * A copy with another replica count.
	 * @param replicaCount the number of replicas
	 * @return the copy
	 */
	public SimConfiguration withReplicaCount(int replicaCount) {
		return new SimConfiguration(this.seed, this.clusterId, replicaCount, this.clientCount, this.keyCount,
				this.putProbability, this.thinkTicksMax, this.clientOptions, this.clientsBesideReplicas, this.replicaOptions, this.faults,
				this.chaosTicks, this.livenessTicksMax, this.workload, this.disks, this.spareCount);
	}

	/**
	 * A copy with another chaos phase length.
	 * @param chaosTicks the chaos phase's length
	 * @return the copy
	 */
	public SimConfiguration withChaosTicks(int chaosTicks) {
		return new SimConfiguration(this.seed, this.clusterId, this.replicaCount, this.clientCount, this.keyCount,
				this.putProbability, this.thinkTicksMax, this.clientOptions, this.clientsBesideReplicas, this.replicaOptions, this.faults,
				chaosTicks, this.livenessTicksMax, this.workload, this.disks, this.spareCount);
	}

	/**
	 * A copy whose replicas run on other disks.
	 * @param disks the disks
	 * @return the copy
	 */
	public SimConfiguration withDisks(SimDisks disks) {
		return new SimConfiguration(this.seed, this.clusterId, this.replicaCount, this.clientCount, this.keyCount,
				this.putProbability, this.thinkTicksMax, this.clientOptions, this.clientsBesideReplicas, this.replicaOptions,
				this.faults, this.chaosTicks, this.livenessTicksMax, this.workload, disks, this.spareCount);
	}

	/**
	 * With one client request in flight per client, the default pipeline never fills and every
	 * prepare carries one request. A third of the seeds get a pipeline of a few ops and small
	 * batches, so that requests queue at the primary and prepares carry several of them.
	 */
	private static ReplicaOptions withRandomPipeline(ReplicaOptions options, SplittableRandom random) {
		if (random.nextInt(3) != 0) {
			return options;
		}
		int pipelinePreparesMax = random.nextInt(1, 5);
		return options.toBuilder()
			.pipelinePreparesMax(pipelinePreparesMax)
			.prepareRequestsMax(random.nextInt(2, 9))
			.build();
	}

	/**
	 * Half the seeds take snapshots every few dozen to few hundred ops, with small chunks, so that
	 * journals are compacted and lagging or recovering replicas receive snapshots in pieces.
	 */
	private static ReplicaOptions withRandomSnapshots(ReplicaOptions options, SplittableRandom random) {
		if (random.nextBoolean()) {
			return options;
		}
		return options.toBuilder()
			.snapshotIntervalOps(random.nextInt(options.pipelinePreparesMax() + 1, 400))
			.snapshotChunkBytesMax(1024)
			.build();
	}

	/**
	 * A third of the seeds bound the entries of view-change and repair messages to 1–16 KiB, from
	 * a few to a few dozen of the simulator's entries, as 4 MiB holds a few batches of the largest
	 * commands: view changes then carry less than they need and repair the rest. Fewer entries per
	 * message would make repair, one answer per round trip, too slow for the liveness budget.
	 */
	private static ReplicaOptions withRandomMessageEntriesBytes(ReplicaOptions options, SplittableRandom random) {
		if (random.nextInt(3) != 0) {
			return options;
		}
		return options.toBuilder().messageEntriesBytesMax(random.nextInt(1024, 16 * 1024 + 1)).build();
	}

	/** A one-line description for reports. */
	public String describe() {
		return "seed " + this.seed + ": " + this.replicaCount + " replicas"
				+ ((this.spareCount > 0) ? " (+" + this.spareCount + " spare hosts)" : "") + ", " + this.clientCount + " clients, "
				+ this.keyCount + " keys, clientsMax " + this.replicaOptions.clientsMax() + ", pipeline "
				+ this.replicaOptions.pipelinePreparesMax() + " x " + this.replicaOptions.prepareRequestsMax()
				+ ", snapshots every " + this.replicaOptions.snapshotIntervalOps() + " ops, message entries "
				+ this.replicaOptions.messageEntriesBytesMax() + " bytes, commits announced "
				+ (this.replicaOptions.commitAnnouncedAtOnce() ? "at once" : "with heartbeats") + ", faults "
				+ this.faults.profile() + " (loss " + percent(this.faults.packetLossProbability()) + ", duplicates "
				+ percent(this.faults.packetDuplicateProbability()) + ", delay 1.." + this.faults.delayTicksMax()
				+ " ticks, storage 1.." + this.faults.storageLatencyTicksMax() + " ticks, partitions "
				+ perMillionTicks(this.faults.partitionProbabilityPerTick()) + " up to " + this.faults.partitionTicksMax()
				+ " ticks, crashes " + perMillionTicks(this.faults.crashProbabilityPerTick()) + ", power losses "
				+ perMillionTicks(this.faults.powerLossProbabilityPerTick()) + ", timed crashes "
				+ this.faults.eventCrashes().describe() + ", wire " + this.faults.wire().describe() + "), clients " + this.clientOptions.sessionsMax()
				+ " sessions each" + (this.clientsBesideReplicas ? " beside the replicas" : " on their own") + ", disks "
				+ this.disks.describe() + ", chaos " + this.chaosTicks + " ticks";
	}

	private static String perMillionTicks(double probabilityPerTick) {
		return String.format(java.util.Locale.ROOT, "%.0f per million ticks", probabilityPerTick * 1_000_000);
	}

	private static String percent(double probability) {
		return String.format(java.util.Locale.ROOT, "%.1f%%", probability * 100);
	}

}
