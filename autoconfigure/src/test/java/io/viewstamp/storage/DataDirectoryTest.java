package io.viewstamp.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.viewstamp.vsr.DurableState;
import io.viewstamp.vsr.LogEntry;

import static io.viewstamp.storage.TestLogs.CLUSTER_ID;
import static io.viewstamp.storage.TestLogs.REPLICA;
import static io.viewstamp.storage.TestLogs.REPLICA_COUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** What a data directory holds decides how a replica starts; one of another replica is refused. */
class DataDirectoryTest {

	@TempDir
	Path directory;

	@Test
	void aMissingDirectoryIsCreatedAndReportedEmpty() {
		Path missing = this.directory.resolve("not/there/yet");
		try (FileStorage storage = TestLogs.open(missing, new TestLogs.Recorder())) {
			assertThat(storage.durableState()).isEmpty();
			assertThat(storage.dataDirectory()).isEqualTo(missing.toAbsolutePath());
		}
		assertThat(missing.resolve("journal")).isDirectory();
	}

	@Test
	void aFormattedDirectoryOpensAsANewClusterAtViewZero() {
		FileStorage.format(this.directory, CLUSTER_ID, REPLICA, REPLICA_COUNT);
		try (FileStorage storage = TestLogs.open(this.directory, new TestLogs.Recorder())) {
			assertThat(storage.durableState()).contains(DurableState.formatted(CLUSTER_ID, REPLICA, REPLICA_COUNT));
		}
	}

	@Test
	void aDirectoryIsFormattedOnlyOnce() {
		FileStorage.format(this.directory, CLUSTER_ID, REPLICA, REPLICA_COUNT);
		assertThatExceptionOfType(DataDirectoryException.class)
			.isThrownBy(() -> FileStorage.format(this.directory, CLUSTER_ID, REPLICA, REPLICA_COUNT))
			.withMessageContaining("already holds the data of replica 1 (of 3 replicas) of cluster 42");
	}

	@Test
	void anotherClusterIsRefusedNamingDirectoryDataConfigurationAndRemedy() {
		FileStorage.format(this.directory, 7, REPLICA, REPLICA_COUNT);
		assertThatExceptionOfType(DataDirectoryException.class)
			.isThrownBy(() -> TestLogs.open(this.directory, new TestLogs.Recorder()))
			.withMessageContaining(this.directory.toString())
			.withMessageContaining("holds the data of replica 1 (of 3 replicas) of cluster 7")
			.withMessageContaining("configured as replica 1 (of 3 replicas) of cluster 42")
			.withMessageContaining("replication.data-dir")
			.withMessageContaining("delete that directory")
			.satisfies((ex) -> assertThat(ex.getDirectory()).isEqualTo(this.directory.toAbsolutePath()));
	}

	@Test
	void anotherReplicaIndexIsRefused() {
		FileStorage.format(this.directory, CLUSTER_ID, 0, REPLICA_COUNT);
		assertThatExceptionOfType(DataDirectoryException.class)
			.isThrownBy(() -> TestLogs.open(this.directory, new TestLogs.Recorder()))
			.withMessageContaining("holds the data of replica 0 (of 3 replicas)");
	}

	@Test
	void aPeerListThatGivesNoAddressToAMemberIsRefusedALongerOneIsAnAddressBook() {
		FileStorage.format(this.directory, CLUSTER_ID, 0, REPLICA_COUNT);
		assertThatExceptionOfType(DataDirectoryException.class)
			.isThrownBy(() -> FileStorage.open(this.directory, CLUSTER_ID, 0, 2, FileStorageOptions.defaults(),
					new TestLogs.Recorder(), Runnable::run))
			.withMessageContaining("(epoch 0, members [0, 1, 2]) has replica 2, but replication.peers lists only "
					+ "replicas 0..1 and the configuration records no address for it: list the address of every member");
		// Hosts that may become members later: the committed configuration still says who votes.
		try (FileStorage storage = FileStorage.open(this.directory, CLUSTER_ID, 0, 5, FileStorageOptions.defaults(),
				new TestLogs.Recorder(), Runnable::run)) {
			assertThat(storage.durableState().orElseThrow().superblock().configuration().memberList()).isEqualTo("[0, 1, 2]");
		}
	}

	@Test
	void aRefusedDirectoryIsNotLeftLocked() {
		FileStorage.format(this.directory, 7, REPLICA, REPLICA_COUNT);
		assertThatExceptionOfType(DataDirectoryException.class)
			.isThrownBy(() -> TestLogs.open(this.directory, new TestLogs.Recorder()));
		try (FileStorage storage = FileStorage.open(this.directory, 7, REPLICA, REPLICA_COUNT,
				FileStorageOptions.defaults(), new TestLogs.Recorder(), Runnable::run)) {
			assertThat(storage.durableState()).isPresent();
		}
	}

	@Test
	void twoStoragesNeverShareADirectory() {
		FileStorage.format(this.directory, CLUSTER_ID, REPLICA, REPLICA_COUNT);
		try (FileStorage first = TestLogs.open(this.directory, new TestLogs.Recorder())) {
			assertThatExceptionOfType(DataDirectoryException.class)
				.isThrownBy(() -> TestLogs.open(this.directory, new TestLogs.Recorder()))
				.withMessageContaining("in use by another storage");
		}
	}

	@Test
	void aRecoveryThatNeverWroteItsSuperblockLeavesNothingTrusted() throws IOException {
		List<LogEntry> entries = TestLogs.chain(5, 10);
		TestLogs.Recorder recorder = new TestLogs.Recorder();
		try (FileStorage storage = TestLogs.open(this.directory, recorder)) {
			assertThat(storage.durableState()).isEmpty();
			entries.forEach(storage::writeEntry);
			recorder.awaitCount(5);
		}
		// The crash came before the recovering replica wrote its first superblock.
		try (FileStorage storage = TestLogs.open(this.directory, new TestLogs.Recorder())) {
			assertThat(storage.durableState()).isEmpty();
		}
		try (var files = Files.list(this.directory.resolve("journal"))) {
			assertThat(files).isEmpty();
		}
	}

	@Test
	void aRecoveryThatWroteItsSuperblockRestartsFromItsData() {
		List<LogEntry> entries = TestLogs.chain(5, 10);
		TestLogs.Recorder recorder = new TestLogs.Recorder();
		try (FileStorage storage = TestLogs.open(this.directory, recorder)) {
			entries.forEach(storage::writeEntry);
			storage.writeSuperblock(TestLogs.superblock(2, 5));
			recorder.awaitCount(6);
		}
		try (FileStorage storage = TestLogs.open(this.directory, new TestLogs.Recorder())) {
			DurableState state = storage.durableState().orElseThrow();
			assertThat(state.superblock()).isEqualTo(TestLogs.superblock(2, 5));
			assertThat(state.journal()).containsExactlyElementsOf(entries);
		}
	}

	@Test
	void aSuperblockOfAnotherReplicaIsNotWritten() {
		try (FileStorage storage = TestLogs.open(this.directory, new TestLogs.Recorder())) {
			assertThatExceptionOfType(IllegalArgumentException.class)
				.isThrownBy(() -> storage.writeSuperblock(new io.viewstamp.vsr.Superblock(CLUSTER_ID, 0, 3, 1, 1, 0)))
				.withMessageContaining("can not be written");
		}
	}

}
