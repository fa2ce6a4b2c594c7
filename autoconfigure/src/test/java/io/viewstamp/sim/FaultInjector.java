package io.viewstamp.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import io.viewstamp.vsr.Configuration;
import io.viewstamp.vsr.Status;

/**
 * The chaos of the first phase: starts and ends partitions, crashes replicas (sometimes with their
 * data directory) and restarts them later, and restarts client processes, at the rates of the
 * seed's {@link SimFaults}. Wipes stay within the fault budget: at most one replica at a time may
 * be without its data and not yet recovered, and never more than the cluster tolerates.
 */
final class FaultInjector {

	private static final int PARTITION_KINDS = 4;

	/** The most ticks a replica crashed at a protocol event stays down. */
	private static final int EVENT_CRASH_DOWN_TICKS_MAX = 60;

	/** Swarm worlds add partitions aimed at the primary, and bridges. */
	private static final int SWARM_PARTITION_KINDS = 7;

	/** The most ticks replicas stay down after a power loss: power comes back soon, but not at once. */
	private static final int POWER_LOSS_DOWN_TICKS_MAX = 200;

	private final Simulator simulator;

	private final SimFaults faults;

	private final SplittableRandom random;

	private final long[] restartAtTick;

	/**
	 * Replicas that restart reaching only the stale side ({@link #partitionWithStaleSide}): wiped
	 * ones, and ones crashed at a protocol event.
	 */
	private final boolean[] strandedAtRestart;

	private long partitionEndTick = -1;

	/** The replica a protocol event marked for a crash, or -1: it crashes once the call that did it returns. */
	private int crashDue = -1;

	/** No crash is timed to an event before this tick. */
	private long eventCrashQuietUntilTick;

	private boolean active;

	/**
	 * Partitions timed to protocol events, in half the swarm worlds with partitions: right after a
	 * replica does one of the events, it is cut off from every other replica, in place of whatever
	 * partition held (a new primary isolated right after its start-view, a voter right after its
	 * vote), so that the view it just shaped meets the view it left. Drawn as timed crashes are.
	 */
	private final EventCrashes eventPartitions;

	/** The replica an event marked to be isolated once the call that did it returns, or -1. */
	private int isolationDue = -1;

	/** No partition is timed to an event before this tick. */
	private long eventPartitionQuietUntilTick;

	/**
	 * Hand-overs of the primary's view asked at random times to random targets (an operator's move,
	 * a clean stop), in a quarter of the worlds: drawn from a stream of their own, so that the other draws
	 * of a seed are the ones they were before hand-overs existed.
	 */
	private final SplittableRandom transferRandom;

	private final double transferProbabilityPerTick;

	/**
	 * Changes of members asked at random times, in the worlds with spare hosts: drawn from a stream
	 * of their own, like hand-overs.
	 */
	private final SplittableRandom reconfigurationRandom;

	private final double reconfigurationProbabilityPerTick;

	FaultInjector(Simulator simulator, SimFaults faults, SplittableRandom random, SplittableRandom eventPartitionRandom,
			SplittableRandom transferRandom, SplittableRandom reconfigurationRandom) {
		this.simulator = simulator;
		this.faults = faults;
		this.random = random;
		this.restartAtTick = new long[simulator.configuration().hostCount()];
		Arrays.fill(this.restartAtTick, -1);
		this.strandedAtRestart = new boolean[simulator.configuration().hostCount()];
		boolean eventPartitions = faults.profile() == SimFaults.Profile.SWARM && faults.partitionProbabilityPerTick() > 0
				&& simulator.configuration().hostCount() > 1 && eventPartitionRandom.nextBoolean();
		// The events that matter here (a start-view, a vote) come once per view change, not per op:
		// a partition is timed to one with a chance of 5% to certain, not the 0.1-30% of crashes.
		EventCrashes timing = EventCrashes.random(eventPartitionRandom);
		this.transferRandom = transferRandom;
		this.transferProbabilityPerTick = (simulator.configuration().hostCount() > 1 && transferRandom.nextInt(4) == 0)
				? RandomStreams.logUniform(transferRandom, 0.0005, 0.01) : 0;
		this.reconfigurationRandom = reconfigurationRandom;
		this.reconfigurationProbabilityPerTick = (simulator.configuration().spareCount() > 0)
				? RandomStreams.logUniform(reconfigurationRandom, 0.0005, 0.005) : 0;
		this.eventPartitions = eventPartitions ? new EventCrashes(RandomStreams.logUniform(eventPartitionRandom, 0.05, 1),
				timing.events(), timing.cooldownTicks()) : EventCrashes.none();
	}

	/** The rate of hand-overs, for reports. */
	String describeTransfers() {
		return (this.transferProbabilityPerTick == 0) ? "no hand-overs"
				: String.format(java.util.Locale.ROOT, "hand-overs %.4f per tick", this.transferProbabilityPerTick);
	}

	/** The rate of changes of members, for reports. */
	String describeReconfigurations() {
		return (this.reconfigurationProbabilityPerTick == 0) ? "no changes of members"
				: String.format(java.util.Locale.ROOT, "changes of members %.4f per tick", this.reconfigurationProbabilityPerTick);
	}

	/** The partitions timed to protocol events, for reports. */
	EventCrashes eventPartitions() {
		return this.eventPartitions;
	}

	/**
	 * Injects this tick's faults.
	 * @param now the current tick
	 */
	void step(long now) {
		this.active = true;
		stepPartitions(now);
		if (chance(this.faults.powerLossProbabilityPerTick())) {
			powerLoss(now);
		}
		for (int replica = 0; replica < this.restartAtTick.length; replica++) {
			stepReplica(replica, now);
		}
		if (this.transferProbabilityPerTick > 0 && this.simulator.primaryTransfersEnabled()
				&& this.transferRandom.nextDouble() < this.transferProbabilityPerTick) {
			askForTransfer();
		}
		if (this.reconfigurationProbabilityPerTick > 0
				&& this.reconfigurationRandom.nextDouble() < this.reconfigurationProbabilityPerTick) {
			askForReconfiguration();
		}
		for (int client = 0; client < this.simulator.clientCount(); client++) {
			if (chance(this.faults.clientRestartProbabilityPerTick()) && this.simulator.client(client).isProcessRunning()) {
				this.simulator.restartClient(client, chance(this.faults.clientRestartSameIdProbability()));
			}
		}
	}

	/** The primary of the newest normal view hands it to another replica, whatever that one's state. */
	private void askForTransfer() {
		int primary = this.simulator.primaryIndex();
		if (primary < 0) {
			return;
		}
		int replicaCount = this.simulator.configuration().hostCount();
		int target = (primary + 1 + this.transferRandom.nextInt(replicaCount - 1)) % replicaCount;
		this.simulator.transferPrimary(primary, target);
	}

	/**
	 * The primary of the newest normal view changes the members: it adds a replica that runs and is
	 * none (a spare that recovered, or a removed one that came back empty), removes one, or does
	 * both (a replacement). Sometimes a removed replica is started again, empty, to be added later.
	 */
	private void askForReconfiguration() {
		SplittableRandom random = this.reconfigurationRandom;
		List<Integer> retired = this.simulator.retiredReplicas();
		if (!retired.isEmpty() && random.nextInt(4) == 0) {
			int host = retired.get(random.nextInt(retired.size()));
			if (!this.simulator.latestConfiguration().contains(host)) {
				this.simulator.rejoin(host);
			}
			return;
		}
		int primary = this.simulator.primaryIndex();
		if (primary < 0) {
			return;
		}
		Configuration latest = this.simulator.replica(primary).unwrap().configuration();
		List<Integer> joinable = new ArrayList<>();
		for (int host = 0; host < this.simulator.configuration().hostCount(); host++) {
			if (!latest.contains(host) && this.simulator.isRunning(host)
					&& this.simulator.replica(host).status() == Status.NORMAL) {
				joinable.add(host);
			}
		}
		int kind = random.nextInt(3);
		int members = latest.members();
		if (kind != 1 && !joinable.isEmpty()) {
			members |= 1 << joinable.get(random.nextInt(joinable.size()));
		}
		if (kind != 0 && latest.size() > 1) {
			members &= ~(1 << latest.member(random.nextInt(latest.size())));
		}
		if (members == latest.members() || members == 0) {
			return;
		}
		// The fault budget holds for the new configuration too: a member without its data (wiped and
		// not recovered, or with a corrupt entry) counts as a failure it must tolerate. Shrinking below
		// that is the operator's mistake the simulator does not make (it would lose the cluster).
		int damaged = 0;
		for (int host = 0; host < this.simulator.configuration().hostCount(); host++) {
			if ((members & (1 << host)) != 0 && this.simulator.isDamaged(host)) {
				damaged++;
			}
		}
		if (damaged > latest.next(members).faultsMax()) {
			return;
		}
		this.simulator.reconfigure(primary, members);
	}

	private void stepPartitions(long now) {
		if (this.partitionEndTick >= 0) {
			if (now >= this.partitionEndTick) {
				this.simulator.heal();
				this.partitionEndTick = -1;
			}
			else if (this.faults.profile() == SimFaults.Profile.SWARM && chance(this.faults.partitionProbabilityPerTick())) {
				overlapOrReshape(now);
			}
			return;
		}
		if (chance(this.faults.partitionProbabilityPerTick())) {
			startPartition();
			// Short partitions are the more likely: a view change that a partition started is still in
			// progress when it heals, which is where logs of different views meet.
			int ticksMax = 1 + this.random.nextInt(this.faults.partitionTicksMax());
			this.partitionEndTick = now + 1 + this.random.nextInt(ticksMax);
		}
	}

	/**
	 * While a partition holds, another starts: on top of it (the cuts add up, as when a second
	 * switch fails), or in its place with no healed moment between (the network changes shape, and
	 * a replica that led one side finds itself on the other).
	 */
	private void overlapOrReshape(long now) {
		boolean reshape = this.random.nextBoolean();
		if (reshape) {
			this.simulator.heal();
		}
		startPartition();
		this.partitionEndTick = Math.max(this.partitionEndTick, now + 1 + this.random.nextInt(this.faults.partitionTicksMax()));
		this.simulator.noteFault(reshape ? "the partition changes shape" : "a second partition overlaps the first");
	}

	/**
	 * A replica did {@code event}: with the world's chance, it is marked to be isolated as soon as
	 * the call into it returns ({@link #takeIsolationDue}).
	 */
	private void timePartition(int replica, ProtocolEvent event, long now) {
		if (this.isolationDue >= 0 || now < this.eventPartitionQuietUntilTick || !this.eventPartitions.times(event)
				|| !chance(this.eventPartitions.probability())) {
			return;
		}
		this.isolationDue = replica;
		this.eventPartitionQuietUntilTick = now + this.eventPartitions.cooldownTicks();
	}

	/**
	 * Isolates the replica an event marked, if it is {@code replica}, in place of any partition.
	 * @param replica the replica whose call just returned
	 * @param now the current tick
	 * @return whether it was isolated
	 */
	boolean isolateIfDue(int replica, long now) {
		if (this.isolationDue != replica) {
			return false;
		}
		this.isolationDue = -1;
		this.simulator.heal();
		this.simulator.isolate(replica);
		int ticksMax = 1 + this.random.nextInt(this.faults.partitionTicksMax());
		this.partitionEndTick = now + 1 + this.random.nextInt(ticksMax);
		return true;
	}

	/** Whether this world strands restarted replicas on the stale side at all: swarm worlds with partitions. */
	private boolean mayStrand() {
		return this.faults.profile() == SimFaults.Profile.SWARM && this.faults.partitionProbabilityPerTick() > 0;
	}

	/**
	 * A restarted replica reaches only the stale side: replicas without the newest primary (it and
	 * half the cluster, so that with three replicas one other answers), among them, often, a primary
	 * of an older view that does not know it was deposed. For a wiped replica, their answers alone
	 * must never make its recovery complete. For one that crashed right after a vote or an
	 * acknowledgement, what it comes back with must never let the stale side commit an op the
	 * newer view lacks, nor let its older log win the next view change.
	 */
	private void partitionWithStaleSide(int restarted, long now) {
		int replicaCount = this.simulator.configuration().hostCount();
		int primary = this.simulator.primaryIndex();
		Set<Integer> stale = new HashSet<>(List.of(restarted));
		int deposed = deposedPrimary();
		if (deposed >= 0 && deposed != restarted) {
			stale.add(deposed);
		}
		for (int replica : shuffledReplicas()) {
			if (stale.size() <= replicaCount / 2 && replica != primary) {
				stale.add(replica);
			}
		}
		Set<Integer> rest = new HashSet<>();
		for (int replica = 0; replica < replicaCount; replica++) {
			if (!stale.contains(replica)) {
				rest.add(replica);
			}
		}
		if (rest.isEmpty()) {
			return;
		}
		this.simulator.heal();
		this.simulator.partition(stale, rest);
		this.partitionEndTick = now + 1 + this.random.nextInt(this.faults.partitionTicksMax());
		this.simulator.noteFault("restarted replica " + restarted + " reaches only the stale side " + stale);
	}

	/**
	 * A running replica that is primary of a view older than the newest any replica is in, so it
	 * was deposed while cut off and does not know it yet; -1 when there is none.
	 */
	private int deposedPrimary() {
		long newestView = -1;
		for (int replica = 0; replica < this.simulator.configuration().hostCount(); replica++) {
			if (this.simulator.isRunning(replica)) {
				newestView = Math.max(newestView, this.simulator.replica(replica).view());
			}
		}
		for (int replica = 0; replica < this.simulator.configuration().hostCount(); replica++) {
			if (this.simulator.isRunning(replica) && this.simulator.replica(replica).isPrimary()
					&& this.simulator.replica(replica).view() < newestView) {
				return replica;
			}
		}
		return -1;
	}

	private void startPartition() {
		int replicaCount = this.simulator.configuration().hostCount();
		int kinds = (this.faults.profile() == SimFaults.Profile.SWARM) ? SWARM_PARTITION_KINDS : PARTITION_KINDS;
		int kind = (replicaCount == 1) ? 3 : this.random.nextInt(kinds);
		switch (kind) {
			case 0 -> {
				List<Integer> shuffled = shuffledReplicas();
				int sideASize = 1 + this.random.nextInt(replicaCount - 1);
				this.simulator.partition(new HashSet<>(shuffled.subList(0, sideASize)),
						new HashSet<>(shuffled.subList(sideASize, replicaCount)));
			}
			case 1 -> this.simulator.isolate(this.random.nextInt(replicaCount));
			case 2 -> {
				// Asymmetric: some directed links only, so a replica may hear others that cannot hear it.
				int links = 1 + this.random.nextInt(replicaCount * (replicaCount - 1) / 2);
				for (int link = 0; link < links; link++) {
					int from = this.random.nextInt(replicaCount);
					int to = (from + 1 + this.random.nextInt(replicaCount - 1)) % replicaCount;
					this.simulator.cutLink(from, to);
				}
			}
			case 3 -> cutClientLinks(replicaCount);
			case 4 -> this.simulator.isolate(primaryOrAny(replicaCount));
			case 5 -> keepPrimaryWithOne(replicaCount);
			default -> bridge(replicaCount);
		}
	}

	/** The running normal primary of the highest view, or any replica when there is none. */
	private int primaryOrAny(int replicaCount) {
		int primary = this.simulator.primaryIndex();
		return (primary >= 0) ? primary : this.random.nextInt(replicaCount);
	}

	/**
	 * The primary keeps one backup and loses the others: with three replicas it goes on committing;
	 * with five it stays normal and keeps preparing ops that can not commit, while the other side
	 * elects a primary of its own.
	 */
	private void keepPrimaryWithOne(int replicaCount) {
		int primary = primaryOrAny(replicaCount);
		int companion = (primary + 1 + this.random.nextInt(replicaCount - 1)) % replicaCount;
		Set<Integer> side = new HashSet<>(List.of(primary, companion));
		Set<Integer> rest = new HashSet<>();
		for (int replica = 0; replica < replicaCount; replica++) {
			if (!side.contains(replica)) {
				rest.add(replica);
			}
		}
		if (!rest.isEmpty()) {
			this.simulator.partition(side, rest);
		}
	}

	/**
	 * A bridge (Jepsen's): two halves that can not reach each other, and one replica that reaches
	 * both. Each half with the bridge is a majority, so two primaries can each believe they lead one.
	 */
	private void bridge(int replicaCount) {
		List<Integer> shuffled = shuffledReplicas();
		int bridge = shuffled.get(0);
		int half = (replicaCount - 1) / 2;
		Set<Integer> sideA = new HashSet<>(shuffled.subList(1, 1 + half));
		Set<Integer> sideB = new HashSet<>(shuffled.subList(1 + half, replicaCount));
		if (!sideA.isEmpty() && !sideB.isEmpty()) {
			this.simulator.partition(sideA, sideB);
		}
		else {
			this.simulator.isolate(bridge);
		}
	}

	/** Each client, with even odds, reaches only a random non-empty subset of the replicas. */
	private void cutClientLinks(int replicaCount) {
		for (int client = 0; client < this.simulator.clientCount(); client++) {
			if (this.random.nextBoolean()) {
				int reachable = 1 + this.random.nextInt(replicaCount);
				List<Integer> shuffled = shuffledReplicas();
				for (int replica : shuffled.subList(reachable, replicaCount)) {
					this.simulator.cutClientLink(client, replica);
				}
			}
		}
	}

	private void stepReplica(int replica, long now) {
		if (this.simulator.isRetired(replica)) {
			// Removed and stopped for good; only a change of members brings it back, empty.
			return;
		}
		if (!this.simulator.isRunning(replica)) {
			if (this.restartAtTick[replica] < 0) {
				this.restartAtTick[replica] = now + 1 + this.random.nextInt(this.faults.downTicksMax());
			}
			else if (now >= this.restartAtTick[replica]) {
				this.restartAtTick[replica] = -1;
				if (this.strandedAtRestart[replica]) {
					this.strandedAtRestart[replica] = false;
					partitionWithStaleSide(replica, now);
				}
				this.simulator.restart(replica);
			}
			return;
		}
		if (chance(this.faults.crashProbabilityPerTick())) {
			boolean wipe = chance(this.faults.wipeProbability()) && this.simulator.isWipeWithinBudget(replica);
			this.simulator.crash(replica, chance(this.faults.tornWriteProbability()));
			if (wipe) {
				this.simulator.wipe(replica);
				this.strandedAtRestart[replica] = mayStrand() && this.random.nextBoolean();
			}
			else if (chance(this.faults.wipeProbability())) {
				this.simulator.corruptJournal(replica, this.random);
			}
			this.restartAtTick[replica] = now + 1 + this.random.nextInt(this.faults.downTicksMax());
		}
	}

	/**
	 * Every running replica crashes at once, each to come back after its own down time. This is
	 * what finds a replica that acknowledges before its write is durable: a lone crash rarely
	 * meets the moment when the only durable copy of an op is also gone.
	 */
	private void powerLoss(long now) {
		this.simulator.powerLoss();
		for (int replica = 0; replica < this.restartAtTick.length; replica++) {
			if (this.simulator.isRunning(replica)) {
				this.simulator.crash(replica, chance(this.faults.tornWriteProbability()));
				this.restartAtTick[replica] = now + 1
						+ this.random.nextInt(Math.min(this.faults.downTicksMax(), POWER_LOSS_DOWN_TICKS_MAX));
			}
		}
	}

	private List<Integer> shuffledReplicas() {
		List<Integer> replicas = new ArrayList<>();
		for (int replica = 0; replica < this.simulator.configuration().hostCount(); replica++) {
			replicas.add(replica);
		}
		// Fisher-Yates with the injector's own stream (Collections.shuffle would want a java.util.Random).
		for (int position = replicas.size() - 1; position > 0; position--) {
			int other = this.random.nextInt(position + 1);
			replicas.set(position, replicas.set(other, replicas.get(position)));
		}
		return replicas;
	}

	/** The chaos phase is over: no more crashes are timed to events. */
	void stop() {
		this.active = false;
		this.crashDue = -1;
		this.isolationDue = -1;
	}

	/**
	 * A replica did {@code event}: with the seed's chance, it is marked to crash as soon as the call
	 * into it returns ({@link #takeCrashDue}).
	 * @param replica the replica
	 * @param event what it did
	 * @param now the current tick
	 */
	void onEvent(int replica, ProtocolEvent event, long now) {
		if (this.active) {
			timePartition(replica, event, now);
		}
		EventCrashes eventCrashes = this.faults.eventCrashes();
		if (!this.active || this.crashDue >= 0 || now < this.eventCrashQuietUntilTick || !eventCrashes.times(event)) {
			return;
		}
		if (chance(eventCrashes.probabilityOf(event))) {
			this.crashDue = replica;
			this.eventCrashQuietUntilTick = now + eventCrashes.cooldownTicks();
		}
	}

	/**
	 * The replica marked to crash after its latest event, if it is {@code replica}; the mark is
	 * cleared.
	 * @param replica the replica whose call just returned
	 * @return whether it must crash now
	 */
	boolean takeCrashDue(int replica) {
		if (this.crashDue != replica) {
			return false;
		}
		this.crashDue = -1;
		return true;
	}

	/**
	 * Crashes a replica at a protocol event. It comes back soon, as under a supervisor that
	 * restarts a process at once: the harm of a forgotten vote or acknowledgement shows when the
	 * replica is back while the others still act on what it said.
	 * @param replica the replica
	 * @param now the current tick
	 */
	void crashAtEvent(int replica, long now) {
		this.simulator.crash(replica, chance(this.faults.tornWriteProbability()));
		// Its disk may be damaged as a lone crash's may: a corrupt entry below the head, met with the
		// view change the crash was timed to, is what leaves a journal longer than the view's log.
		if (chance(this.faults.wipeProbability())) {
			this.simulator.corruptJournal(replica, this.random);
		}
		this.restartAtTick[replica] = now + 1 + this.random.nextInt(EVENT_CRASH_DOWN_TICKS_MAX);
		this.strandedAtRestart[replica] = mayStrand() && this.random.nextBoolean();
	}

	private boolean chance(double probability) {
		return probability > 0 && this.random.nextDouble() < probability;
	}

}
