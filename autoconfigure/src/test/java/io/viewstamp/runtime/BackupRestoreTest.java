package io.viewstamp.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

import io.viewstamp.transport.LoopbackPorts;

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

	private static final int ALL_THREE = 0b111;

	@TempDir
	Path root;

	@AutoClose
	private LoopbackNodes nodes;

	@Test
	void theCopiesOfTwoBackupsTakenWhileTheClusterServesRestoreItAfterEveryDirectoryIsLost() throws Exception {
		this.nodes = new LoopbackNodes(CLUSTER_ID, this.root, LoopbackPorts.freeAddresses(3));
		this.nodes.startAll(3);
		this.nodes.awaitNormal(ALL_THREE, 0);
		this.nodes.put(10);

		// One backup at a time, each stopped cleanly, copied and started again; the cluster serves throughout.
		int primary = this.nodes.primary();
		for (int offset = 1; offset <= 2; offset++) {
			int backup = (primary + offset) % 3;
			this.nodes.stop(backup);
			copy(this.nodes.dataDirectory(backup), this.root.resolve("backup-" + backup));
			this.nodes.start(backup);
			this.nodes.awaitNormal(ALL_THREE, 0);
		}
		this.nodes.put(10);

		for (int index = 0; index < 3; index++) {
			this.nodes.stop(index);
			FileSystemUtils.deleteRecursively(this.nodes.dataDirectory(index));
		}
		for (int offset = 1; offset <= 2; offset++) {
			int backup = (primary + offset) % 3;
			copy(this.root.resolve("backup-" + backup), this.nodes.dataDirectory(backup));
		}
		this.nodes.startAll(3);
		this.nodes.awaitNormal(ALL_THREE, 0);
		this.nodes.put(5);

		// Everything committed before the copies is on every replica, the one without a copy included;
		// what came after them (puts 11 to 20) is lost, as with any restore from a backup.
		this.nodes.awaitPutsOn(1, 10, 0, 1, 2);
		this.nodes.awaitPutsOn(21, 25, 0, 1, 2);
		await().atMost(LoopbackNodes.WAIT).untilAsserted(() -> {
			for (int index = 0; index < 3; index++) {
				assertThat(this.nodes.stateMachine(index).stateChecksum()).as("replica %d's state", index)
					.isEqualTo(this.nodes.stateMachine(primary).stateChecksum());
			}
		});
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
