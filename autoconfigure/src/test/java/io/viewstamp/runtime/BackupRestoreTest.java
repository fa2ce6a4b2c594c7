package io.viewstamp.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

import io.viewstamp.sim.workload.KvCommand;
import io.viewstamp.sim.workload.LockedKvStateMachine;
import io.viewstamp.transport.LoopbackPorts;
import io.viewstamp.transport.PeerAddress;
import io.viewstamp.vsr.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Backups as docs/operations.md describes them, on real replicas over Netty: a backup replica is
 * stopped cleanly, its data directory copied, and it is started again, while the others serve;
 * after every data directory is lost, the copies of a majority restore the cluster, with everything
 * committed before the copies were taken, and the replica without a copy recovers from them.
 */
class BackupRestoreTest {

	private static final long CLUSTER_ID = 61;

	private static final Duration WAIT = Duration.ofSeconds(60);

	@TempDir
	Path root;

	private List<PeerAddress> peers = List.of();

	private final ReplicaNode[] nodes = new ReplicaNode[3];

	private final LockedKvStateMachine[] stateMachines = new LockedKvStateMachine[3];

	@AfterEach
	void closeAll() {
		for (ReplicaNode node : this.nodes) {
			if (node != null) {
				node.close();
			}
		}
	}

	@Test
	void theCopiesOfTwoBackupsTakenWhileTheClusterServesRestoreItAfterEveryDirectoryIsLost() throws Exception {
		this.peers = LoopbackPorts.freeAddresses(3);
		for (int index = 0; index < 3; index++) {
			start(index);
		}
		awaitNormal();
		put(1, 10);

		// One backup at a time, each stopped cleanly, copied and started again; the cluster serves throughout.
		int primary = this.nodes[0].status().primary();
		for (int offset = 1; offset <= 2; offset++) {
			int backup = (primary + offset) % 3;
			this.nodes[backup].close();
			copy(dataDirectory(backup), this.root.resolve("backup-" + backup));
			start(backup);
			awaitNormal();
		}
		put(11, 10);

		for (int index = 0; index < 3; index++) {
			this.nodes[index].close();
			this.nodes[index] = null;
			FileSystemUtils.deleteRecursively(dataDirectory(index));
		}
		for (int offset = 1; offset <= 2; offset++) {
			int backup = (primary + offset) % 3;
			copy(this.root.resolve("backup-" + backup), dataDirectory(backup));
		}
		for (int index = 0; index < 3; index++) {
			start(index);
		}
		awaitNormal();
		put(21, 5);

		// Everything committed before the copies is on every replica, the one without a copy included;
		// what came after them is lost, as with any restore from a backup.
		await().atMost(WAIT).untilAsserted(() -> {
			for (int index = 0; index < 3; index++) {
				for (int put = 1; put <= 10; put++) {
					assertThat(this.stateMachines[index].get("k" + put)).as("k%d on replica %d", put, index).isEqualTo("v" + put);
				}
				for (int put = 21; put <= 25; put++) {
					assertThat(this.stateMachines[index].get("k" + put)).as("k%d on replica %d", put, index).isEqualTo("v" + put);
				}
				assertThat(this.stateMachines[index].stateChecksum()).as("replica %d's state", index)
					.isEqualTo(this.stateMachines[primary].stateChecksum());
			}
		});
	}

	private void put(int first, int count) throws Exception {
		for (int put = first; put < first + count; put++) {
			this.nodes[put % 3].client()
				.submit(KvCommand.put("k" + put, "v" + put).encode())
				.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		}
	}

	private void awaitNormal() {
		await().atMost(WAIT).until(() -> {
			long view = this.nodes[0].status().view();
			for (ReplicaNode node : this.nodes) {
				if (node.status().status() != Status.NORMAL || node.status().view() != view) {
					return false;
				}
			}
			return true;
		});
	}

	private void start(int index) {
		this.stateMachines[index] = new LockedKvStateMachine();
		this.nodes[index] = ReplicaNode.start(new NodeConfiguration(CLUSTER_ID, index, this.peers, dataDirectory(index)),
				RuntimeOptions.defaults(), this.stateMachines[index]);
	}

	private Path dataDirectory(int index) {
		return this.root.resolve("replica-" + index);
	}

	private static void copy(Path from, Path to) {
		try (Stream<Path> paths = Files.walk(from)) {
			for (Path path : (Iterable<Path>) paths::iterator) {
				Path target = to.resolve(from.relativize(path).toString());
				if (Files.isDirectory(path)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(path, target);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
