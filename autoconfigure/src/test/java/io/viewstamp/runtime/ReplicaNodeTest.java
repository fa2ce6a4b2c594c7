package io.viewstamp.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.viewstamp.sim.workload.KvCommand;
import io.viewstamp.sim.workload.LockedKvStateMachine;
import io.viewstamp.transport.LogCapture;
import io.viewstamp.transport.LoopbackPorts;
import io.viewstamp.transport.MessageCodec;
import io.viewstamp.transport.PeerAddress;
import io.viewstamp.vsr.ReplicaOptions;
import io.viewstamp.vsr.StateMachine;
import io.viewstamp.vsr.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Three replicas in one JVM, each with its own loop, data directory and Netty transport on
 * loopback: what a caller of {@link ReplicationClient} sees. The multi-process tests do the same
 * with real processes and {@code kill -9}.
 */
class ReplicaNodeTest {

	private static final long CLUSTER_ID = 7;

	private static final Duration WAIT = Duration.ofSeconds(30);

	@TempDir
	Path root;

	private final ReplicaNode[] nodes = new ReplicaNode[3];

	private final LockedKvStateMachine[] stateMachines = new LockedKvStateMachine[3];

	private List<PeerAddress> peers;

	@AfterEach
	void closeAll() {
		for (ReplicaNode node : this.nodes) {
			if (node != null) {
				node.close();
			}
		}
	}

	@Test
	void commandsSubmittedOnEveryReplicaAreAppliedOnceEverywhere() throws Exception {
		startCluster(RuntimeOptions.defaults());
		Map<String, CompletableFuture<byte[]>> submitted = new HashMap<>();
		for (int round = 0; round < 100; round++) {
			for (int index = 0; index < 3; index++) {
				String key = "r" + index + "-" + round;
				submitted.put(key, this.nodes[index].client().submit(KvCommand.put(key, "v" + round).encode()));
			}
		}
		for (CompletableFuture<byte[]> future : submitted.values()) {
			future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		}
		awaitConverged();
		// The primary reports how far each backup has acknowledged; backups do not know.
		ReplicaNode primary = this.nodes[primary()];
		await().atMost(WAIT).until(() -> primary.status().acknowledgedOps().stream()
			.allMatch((acknowledged) -> acknowledged == primary.status().commit()));
		assertThat(this.nodes[(primary() + 1) % 3].status().acknowledgedOps()).containsOnly(-1L);
		for (int index = 0; index < 3; index++) {
			for (String key : submitted.keySet()) {
				assertThat(this.stateMachines[index].get(key)).as("%s on replica %d", key, index).isNotNull();
			}
			assertThat(this.stateMachines[index].appliedCommands()).isEqualTo(submitted.size());
		}
	}

	@Test
	void aPrimaryThatClosesHandsItsViewToABackupAndNoCallerElsewhereFails() throws Exception {
		startCluster(RuntimeOptions.defaults());
		int oldPrimary = primary();
		long viewBefore = this.nodes[oldPrimary].status().view();
		AtomicInteger acknowledged = new AtomicInteger();
		List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
		long[] slowestNanos = new long[1];
		java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
		List<Thread> callers = new ArrayList<>();
		for (int caller = 0; caller < 4; caller++) {
			ReplicaNode node = this.nodes[(oldPrimary + 1 + caller % 2) % 3];
			int id = caller;
			Thread thread = new Thread(() -> {
				for (int put = 0; running.get(); put++) {
					long start = System.nanoTime();
					try {
						node.client().submit(KvCommand.put("c" + id + "-" + put, "v").encode()).get(WAIT.toSeconds(),
								TimeUnit.SECONDS);
						acknowledged.incrementAndGet();
						synchronized (slowestNanos) {
							slowestNanos[0] = Math.max(slowestNanos[0], System.nanoTime() - start);
						}
					}
					catch (Exception ex) {
						failures.add(ex);
					}
				}
			});
			callers.add(thread);
			thread.start();
		}
		await().atMost(WAIT).until(() -> acknowledged.get() >= 200);
		this.nodes[oldPrimary].close();
		this.nodes[oldPrimary] = null;
		int afterClose = acknowledged.get();
		await().atMost(WAIT).until(() -> acknowledged.get() >= afterClose + 200);
		running.set(false);
		for (Thread caller : callers) {
			caller.join(WAIT.toMillis());
		}

		assertThat(failures).as("callers' failures").isEmpty();
		int survivor = (oldPrimary + 1) % 3;
		NodeStatus status = this.nodes[survivor].status();
		assertThat(status.primary()).isNotEqualTo(oldPrimary);
		// Handed over: the next view the chosen backup leads, not one after a timeout.
		assertThat(status.view()).isLessThanOrEqualTo(viewBefore + 2);
		System.out.printf("ReplicaNodeTest: primary %d closed under load; %d puts acknowledged, none failed, the slowest "
				+ "%.1f ms; view %d -> %d%n", oldPrimary, acknowledged.get(), slowestNanos[0] / 1e6, viewBefore, status.view());
		awaitConverged();
	}

	@Test
	void anOperatorMovesThePrimaryAndABackupAskedToIsRefusedWithTheReason() throws Exception {
		startCluster(RuntimeOptions.defaults());
		int primary = primary();
		int target = (primary + 2) % 3;
		int backup = (primary + 1) % 3;
		assertThatThrownBy(() -> this.nodes[backup].transferPrimary(target).get(WAIT.toSeconds(), TimeUnit.SECONDS))
			.hasCauseInstanceOf(PrimaryTransferException.class)
			.hasMessageContaining("Replica " + backup + " can not hand over the view: it is not the primary")
			.hasMessageContaining("replica " + primary + " leads view");
		assertThatThrownBy(() -> this.nodes[primary].transferPrimary(5).get(WAIT.toSeconds(), TimeUnit.SECONDS))
			.hasCauseInstanceOf(PrimaryTransferException.class)
			.hasMessageContaining("Replica 5 is not a member of the cluster (epoch 0 has members [0, 1, 2])");

		long view = this.nodes[primary].transferPrimary(target).get(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(view % 3).isEqualTo(target);
		// Each replica publishes its status at its next tick.
		await().atMost(WAIT).until(() -> this.nodes[target].status().status() == Status.NORMAL
				&& this.nodes[target].status().view() == view && this.nodes[primary].status().primary() == target);
		this.nodes[primary].client().submit(KvCommand.put("after", "move").encode()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
		awaitConverged();
		assertThat(this.stateMachines[target].get("after")).isEqualTo("move");
	}

	@Test
	void threeReplicasWithEmptyDirectoriesFormANewClusterOnTheirFirstStartWithNothingToSet() throws Exception {
		try (LogCapture logs = new LogCapture("io.viewstamp.runtime")) {
			this.peers = LoopbackPorts.freeAddresses(3);
			for (int index = 0; index < 3; index++) {
				// No format, no initialize: the configuration of every later start.
				this.stateMachines[index] = new LockedKvStateMachine();
				this.nodes[index] = ReplicaNode.start(configuration(index), RuntimeOptions.defaults(), this.stateMachines[index]);
			}
			await().atMost(WAIT).until(() -> Arrays.stream(this.nodes).allMatch((node) -> node.status().status() == Status.NORMAL
					&& node.status().view() == this.nodes[0].status().view()));
			for (int index = 0; index < 3; index++) {
				assertThat(ReplicaNode.isFormatted(configuration(index))).as("replica %d formatted", index).isTrue();
			}
			this.nodes[1].client().submit(KvCommand.put("first", "start").encode()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
			awaitConverged();
			assertThat(this.stateMachines[2].get("first")).isEqualTo("start");
			// The line an operator waits for: which replica leads, and that the new cluster takes commands.
			long view = this.nodes[0].status().view();
			int primary = this.nodes[0].status().primary();
			assertThat(logs.all()).contains("Replica " + primary + " is the primary of view " + view
					+ ": the cluster takes commands");
		}
	}

	@Test
	void aReplicaThatLostItsDataAndReachesOnlyAMemberWithDataRecoversInsteadOfFormingANewCluster() throws Exception {
		startCluster(RuntimeOptions.defaults());
		for (int write = 0; write < 20; write++) {
			this.nodes[write % 3].client().submit(KvCommand.put("k" + write, "v" + write).encode())
				.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		}
		awaitConverged();
		// Replica 2 loses its disk; replica 1 is down when it comes back, so only replica 0 answers it.
		this.nodes[2].close();
		this.nodes[1].close();
		this.nodes[1] = null;
		deleteDirectory(configuration(2).dataDirectory());
		this.stateMachines[2] = new LockedKvStateMachine();
		this.nodes[2] = ReplicaNode.start(configuration(2), RuntimeOptions.defaults(), this.stateMachines[2]);
		await().atMost(WAIT).until(() -> this.nodes[2].status().status() == Status.RECOVERING);
		assertThat(ReplicaNode.isFormatted(configuration(2))).as("formatted while a member holds the cluster's state")
			.isFalse();

		this.stateMachines[1] = new LockedKvStateMachine();
		this.nodes[1] = ReplicaNode.start(configuration(1), RuntimeOptions.defaults(), this.stateMachines[1]);
		awaitConverged();
		await().atMost(WAIT).until(() -> "v19".equals(this.stateMachines[2].get("k19")));
		assertThat(this.stateMachines[2].get("k0")).isEqualTo("v0");
	}

	private static void deleteDirectory(Path directory) throws IOException {
		try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(directory)) {
			for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
				java.nio.file.Files.delete(path);
			}
		}
	}

	@Test
	void aCallerOnABackupReadsItsOwnWriteThere() throws Exception {
		startCluster(RuntimeOptions.defaults());
		int backup = (primary() + 1) % 3;
		this.nodes[backup].client().submit(KvCommand.put("mine", "written").encode()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(this.stateMachines[backup].get("mine")).isEqualTo("written");
	}

	@Test
	void whenThePrimaryStopsTheOthersElectANewOneAndKeepEveryAcknowledgedCommand() throws Exception {
		startCluster(RuntimeOptions.defaults());
		int oldPrimary = primary();
		int survivor = (oldPrimary + 1) % 3;
		for (int write = 0; write < 50; write++) {
			this.nodes[survivor].client().submit(KvCommand.put("k" + write, "before").encode()).get(WAIT.toSeconds(),
					TimeUnit.SECONDS);
		}
		long viewBefore = this.nodes[survivor].status().view();
		this.nodes[oldPrimary].close();
		this.nodes[oldPrimary] = null;

		for (int write = 0; write < 50; write++) {
			this.nodes[survivor].client().submit(KvCommand.put("k" + write, "after").encode()).get(WAIT.toSeconds(),
					TimeUnit.SECONDS);
		}
		NodeStatus status = this.nodes[survivor].status();
		assertThat(status.view()).isGreaterThan(viewBefore);
		assertThat(status.primary()).isNotEqualTo(oldPrimary);
		awaitConverged();
		assertThat(this.stateMachines[survivor].appliedCommands()).isEqualTo(100);
		assertThat(this.stateMachines[survivor].get("k49")).isEqualTo("after");
	}

	@Test
	void aViewChangeAfterALogOfTheLargestCommandsCompletes() throws Exception {
		// Each op carries one command of the largest size: as many as a view-change message carries
		// by count would not fit one message, so it carries fewer, and the rest is repaired.
		startCluster(RuntimeOptions.defaults(), (index) -> applyingWith(index, (op, timestamp, command) -> {
			// A blob stands for a put of its first byte, so the replicas' states can be compared.
			byte[] put = (command.length == MessageCodec.BODY_SIZE_BYTES_MAX)
					? KvCommand.put("blob", Integer.toString(command[0])).encode() : command;
			return this.stateMachines[index].apply(op, timestamp, put);
		}));
		int oldPrimary = primary();
		int survivor = (oldPrimary + 1) % 3;
		int writes = ReplicaOptions.VIEW_CHANGE_ENTRIES_MAX + 2;
		for (int write = 0; write < writes; write++) {
			byte[] blob = new byte[MessageCodec.BODY_SIZE_BYTES_MAX];
			blob[0] = (byte) write;
			this.nodes[survivor].client().submit(blob).get(WAIT.toSeconds(), TimeUnit.SECONDS);
		}
		long viewBefore = this.nodes[survivor].status().view();
		this.nodes[oldPrimary].close();
		this.nodes[oldPrimary] = null;
		this.nodes[survivor].client().submit(KvCommand.put("after", "v").encode()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
		for (ReplicaNode node : this.nodes) {
			if (node != null) {
				assertThat(node.status().stopped()).as("replica %d stopped: %s", node.status().replica(),
						node.status().stopCause()).isFalse();
			}
		}
		assertThat(this.nodes[survivor].status().view()).isGreaterThan(viewBefore);
		awaitConverged();
		assertThat(this.stateMachines[survivor].appliedCommands()).isEqualTo(writes + 1);
		assertThat(this.stateMachines[survivor].get("blob")).isEqualTo(Integer.toString(writes - 1));
	}

	@Test
	void aReplicaRestartedAloneAfterACleanShutdownAppliesWhatItHadApplied() throws Exception {
		startCluster(RuntimeOptions.defaults());
		int backup = (primary() + 1) % 3;
		for (int write = 0; write < 20; write++) {
			this.nodes[backup].client().submit(KvCommand.put("k" + write, "v").encode()).get(WAIT.toSeconds(),
					TimeUnit.SECONDS);
		}
		long applied = this.nodes[backup].status().commit();
		for (int index = 0; index < 3; index++) {
			this.nodes[index].close();
			this.nodes[index] = null;
		}

		// No peer answers it: what it applies now comes from its own data directory alone, so that
		// its local reads start from where they were.
		this.stateMachines[backup] = new LockedKvStateMachine();
		this.nodes[backup] = ReplicaNode.start(configuration(backup), RuntimeOptions.defaults(),
				this.stateMachines[backup]);
		await().atMost(WAIT).until(() -> this.nodes[backup].status().commit() >= applied);
		assertThat(this.stateMachines[backup].get("k19")).isEqualTo("v");
	}

	@Test
	void aReplicaClosedWhileItRecoversLeavesNoSuperblockSoItRecoversAgainOnRestart() throws Exception {
		// A superblock would let it restart as if it held a log, and vote with nothing behind it.
		this.peers = LoopbackPorts.freeAddresses(3);
		NodeConfiguration empty = configuration(0);
		this.stateMachines[0] = new LockedKvStateMachine();
		this.nodes[0] = ReplicaNode.start(empty, RuntimeOptions.defaults(), this.stateMachines[0]);
		assertThat(this.nodes[0].status().status()).isEqualTo(Status.RECOVERING);

		this.nodes[0].close();
		this.nodes[0] = null;

		assertThat(ReplicaNode.isFormatted(empty)).isFalse();
	}

	@Test
	void withoutAMajorityACommandTimesOutWithAnErrorThatSaysWhy() throws Exception {
		startCluster(RuntimeOptions.builder().requestTimeout(Duration.ofMillis(500)).build());
		int lonely = primary();
		this.nodes[(lonely + 1) % 3].close();
		this.nodes[(lonely + 2) % 3].close();

		CompletableFuture<byte[]> future = this.nodes[lonely].client().submit(KvCommand.put("k", "v").encode());
		assertThatThrownBy(() -> future.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
			.cause()
			.isInstanceOf(RequestTimeoutException.class)
			.hasMessageContaining("request timeout (PT0.5S)")
			.hasMessageContaining("majority of replicas");
	}

	@Test
	void aClosedReplicaRefusesCommandsAndFailsThoseInFlight() throws Exception {
		startCluster(RuntimeOptions.defaults());
		int backup = (primary() + 1) % 3;
		this.nodes[(backup + 1) % 3].close();
		this.nodes[(backup + 2) % 3].close();
		CompletableFuture<byte[]> inFlight = this.nodes[backup].client().submit(KvCommand.put("k", "v").encode());
		this.nodes[backup].close();

		assertThatThrownBy(() -> inFlight.get(WAIT.toSeconds(), TimeUnit.SECONDS)).cause()
			.isInstanceOf(ReplicaStoppedException.class);
		assertThatThrownBy(() -> this.nodes[backup].client().submit(KvCommand.put("k", "w").encode()).get(WAIT.toSeconds(), TimeUnit.SECONDS))
			.cause()
			.isInstanceOf(ReplicaStoppedException.class);
		assertThat(this.nodes[backup].status().stopped()).isTrue();
	}

	@Test
	void aCommandCommittedButNotYetAppliedHereAtTheTimeoutSaysItCommitted() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		startCluster(RuntimeOptions.builder().requestTimeout(Duration.ofMillis(500)).build(),
				(index) -> applyingWith(index, (op, timestamp, command) -> {
					if (index == this.laggingReplica && KvCommand.decode(command).key().equals("lagging")) {
						awaitQuietly(release);
					}
					return this.stateMachines[index].apply(op, timestamp, command);
				}));
		this.laggingReplica = (primary() + 1) % 3;

		CompletableFuture<byte[]> command = this.nodes[this.laggingReplica].client()
			.submit(KvCommand.put("lagging", "v").encode());

		assertThatThrownBy(() -> command.get(WAIT.toSeconds(), TimeUnit.SECONDS)).cause()
			.isInstanceOfSatisfying(CommittedNotAppliedException.class, (failure) -> assertThat(failure.op()).isPositive())
			.isNotInstanceOf(RequestTimeoutException.class)
			.hasMessageContaining("do not submit it again");
		release.countDown();
		awaitConverged();
		assertThat(this.stateMachines[this.laggingReplica].get("lagging")).as("applied once, late").isEqualTo("v");
	}

	@Test
	void aSlowCommandHoldsUpOnlyTheApplyThreadNotTheProtocol() throws Exception {
		CountDownLatch slowStarted = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		startCluster(RuntimeOptions.defaults(), (index) -> applyingWith(index, (op, timestamp, command) -> {
			if (KvCommand.decode(command).key().equals("slow")) {
				slowStarted.countDown();
				awaitQuietly(release);
			}
			return this.stateMachines[index].apply(op, timestamp, command);
		}));
		long view = this.nodes[0].status().view();
		CompletableFuture<byte[]> slow = this.nodes[primary()].client().submit(KvCommand.put("slow", "v").encode());
		assertThat(slowStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

		// Three times the primary timeout: with apply on the protocol's thread, the backups would
		// stop hearing heartbeats and elect another primary.
		await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> Arrays.stream(this.nodes)
			.allMatch((node) -> node.status().status() == Status.NORMAL && node.status().view() == view));
		assertThat(slow).isNotDone();
		release.countDown();
		slow.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		awaitConverged();
		assertThat(this.stateMachines[0].get("slow")).isEqualTo("v");
	}

	@Test
	void aReplicaWhoseStateMachineComputesAnotherResultReportsTheDivergence() throws Exception {
		// Once the cluster runs, one backup's state machine stops being deterministic: its results
		// differ from everyone else's.
		AtomicInteger divergent = new AtomicInteger(-1);
		startCluster(RuntimeOptions.defaults(), (index) -> applyingWith(index, (op, timestamp, command) -> {
			byte[] result = this.stateMachines[index].apply(op, timestamp, command);
			return (divergent.get() == index) ? KvCommand.encodeResult("something else") : result;
		}));
		int backup = (primary() + 1) % 3;
		divergent.set(backup);
		this.nodes[backup].client().submit(KvCommand.put("k", "v").encode()).get(WAIT.toSeconds(), TimeUnit.SECONDS);

		assertThat(this.nodes[backup].status().divergences()).isEqualTo(1);
		assertThat(this.nodes[backup].status().lastDivergence()).contains("diverged");
		assertThat(this.nodes[primary()].status().divergences()).isZero();
	}

	@Test
	void aReplicaWhoseStateDivergesWithoutAnyResultShowingItIsFoundByTheStateCheck() throws Exception {
		// One backup's state machine quietly writes one key more than the others, while every result
		// it returns is the same as theirs: only comparing states finds it.
		AtomicInteger divergent = new AtomicInteger(-1);
		startCluster(RuntimeOptions.builder().stateCheckIntervalOps(5).build(),
				(index) -> applyingWith(index, (op, timestamp, command) -> {
					if (divergent.get() == index) {
						this.stateMachines[index].apply(op, timestamp, KvCommand.put("shadow", "!").encode());
					}
					return this.stateMachines[index].apply(op, timestamp, command);
				}));
		int primary = primary();
		int backup = (primary + 1) % 3;
		int other = (primary + 2) % 3;
		// Agreement first: every replica checks its state and finds it equal to the primary's.
		for (int key = 0; key < 10; key++) {
			this.nodes[primary].client().submit(KvCommand.put("k" + key, "v").encode()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
		}
		await().atMost(WAIT).until(() -> this.nodes[backup].status().lastStateCheckOp() > 0
				&& this.nodes[other].status().lastStateCheckOp() > 0);
		long agreedBefore = this.nodes[backup].status().lastStateCheckOp();

		divergent.set(backup);
		for (int key = 10; key < 20; key++) {
			byte[] result = this.nodes[primary].client()
				.submit(KvCommand.put("k" + key, "v").encode())
				.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			assertThat(result).isEqualTo(KvCommand.encodeResult(null));
		}

		await().atMost(WAIT).until(() -> this.nodes[backup].status().divergences() > 0);
		assertThat(this.nodes[backup].status().lastDivergence()).contains("state at op").contains("diverged");
		assertThat(this.nodes[backup].status().lastStateCheckOp()).isEqualTo(agreedBefore);
		await().atMost(WAIT).until(() -> this.nodes[other].status().lastStateCheckOp() > agreedBefore);
		assertThat(this.nodes[other].status().divergences()).isZero();
		assertThat(this.nodes[primary].status().divergences()).isZero();
	}

	@Test
	void theEmptyCommandIsReservedForStateChecks() throws Exception {
		startCluster(RuntimeOptions.defaults());
		assertThatIllegalArgumentException().isThrownBy(() -> this.nodes[0].client().submit(new byte[0]))
			.withMessageContaining("at least one byte")
			.withMessageContaining("reserved");
	}

	@Test
	void aCommandLargerThanOneRequestMayCarryIsRefusedAtOnce() throws Exception {
		startCluster(RuntimeOptions.defaults());
		assertThatIllegalArgumentException().isThrownBy(() -> this.nodes[0].client().submit(new byte[(1 << 20) + 1]))
			.withMessageContaining("1048577 bytes")
			.withMessageContaining("split it");
	}

	@Test
	void aReplicaWithoutPeersWorksAlone() throws Exception {
		NodeConfiguration alone = new NodeConfiguration(CLUSTER_ID, 0, List.of(), this.root.resolve("alone"));
		ReplicaNode.format(alone);
		this.stateMachines[0] = new LockedKvStateMachine();
		this.nodes[0] = ReplicaNode.start(alone, RuntimeOptions.defaults(), this.stateMachines[0]);

		this.nodes[0].client().submit(KvCommand.put("k", "v").encode()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(this.stateMachines[0].get("k")).isEqualTo("v");
		assertThat(this.nodes[0].status().peers()).isEmpty();
	}

	@Test
	void aConfigurationThatContradictsItselfIsRefusedWithTheFix() {
		PeerAddress one = PeerAddress.parse("127.0.0.1:7401");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new NodeConfiguration(CLUSTER_ID, 3, List.of(one, PeerAddress.parse("127.0.0.1:7402")),
					this.root))
			.withMessageContaining("Replica index 3 is outside the 2 configured peers")
			.withMessageContaining("use an index from 0 to 1");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new NodeConfiguration(CLUSTER_ID, 0, List.of(one, one), this.root))
			.withMessageContaining("127.0.0.1:7401 is listed twice");
	}

	/** The replica whose apply thread a test holds up, -1 for none. */
	private volatile int laggingReplica = -1;

	private void startCluster(RuntimeOptions options) throws IOException {
		startCluster(options, (index) -> this.stateMachines[index]);
	}

	private void startCluster(RuntimeOptions options, IntFunction<StateMachine> stateMachines) throws IOException {
		this.peers = LoopbackPorts.freeAddresses(3);
		for (int index = 0; index < 3; index++) {
			NodeConfiguration configuration = configuration(index);
			ReplicaNode.format(configuration);
			this.stateMachines[index] = new LockedKvStateMachine();
			this.nodes[index] = ReplicaNode.start(configuration, options, stateMachines.apply(index));
		}
		await().atMost(WAIT).until(() -> Arrays.stream(this.nodes).allMatch((node) -> node.status().status() == Status.NORMAL
				&& node.status().view() == this.nodes[0].status().view()));
	}

	/** Replica {@code index}'s state machine, with its commands applied by {@code apply} instead. */
	private StateMachine applyingWith(int index, Apply apply) {
		return new StateMachine() {

			@Override
			public byte[] apply(long op, long timestamp, byte[] command) {
				return apply.apply(op, timestamp, command);
			}

			@Override
			public byte[] snapshot() {
				return ReplicaNodeTest.this.stateMachines[index].snapshot();
			}

			@Override
			public void restore(byte[] snapshot) {
				ReplicaNodeTest.this.stateMachines[index].restore(snapshot);
			}

		};
	}

	/** How a test's state machine applies one command. */
	@FunctionalInterface
	private interface Apply {

		byte[] apply(long op, long timestamp, byte[] command);

	}

	private NodeConfiguration configuration(int index) {
		return new NodeConfiguration(CLUSTER_ID, index, this.peers, this.root.resolve("replica-" + index));
	}

	private int primary() {
		return this.nodes[0].status().primary();
	}

	private void awaitConverged() {
		await().atMost(WAIT).until(() -> {
			List<Long> commits = new ArrayList<>();
			List<Long> checksums = new ArrayList<>();
			for (int index = 0; index < 3; index++) {
				if (this.nodes[index] != null) {
					commits.add(this.nodes[index].status().commit());
					checksums.add(this.stateMachines[index].stateChecksum());
				}
			}
			return commits.stream().distinct().count() == 1 && checksums.stream().distinct().count() == 1;
		});
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
				throw new IllegalStateException("not released within " + WAIT);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
