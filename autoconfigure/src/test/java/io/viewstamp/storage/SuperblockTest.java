package io.viewstamp.storage;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.viewstamp.vsr.Configuration;
import io.viewstamp.vsr.Superblock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The superblock's two copies: a damaged one is outvoted by the other, never trusted. */
class SuperblockTest {

	@TempDir
	Path directory;

	@Test
	void theNewestSuperblockComesBack() {
		writeSuperblocks(TestLogs.superblock(3, 10), TestLogs.superblock(4, 12));
		assertThat(reopenSuperblock()).isEqualTo(TestLogs.superblock(4, 12));
	}

	/**
	 * Offsets into a copy: magic, version, sequence, cluster id, replica, members, view, log view,
	 * commit, epoch, start op, start checksum, crc.
	 */
	@ParameterizedTest
	@ValueSource(ints = { 0, 4, 9, 16, 24, 28, 33, 40, 50, 57, 62, 66, 73, 78, 81 })
	void aFlippedBitInEitherCopyLeavesTheOtherToWin(int offset) throws IOException {
		writeSuperblocks(TestLogs.superblock(3, 10), TestLogs.superblock(4, 12));
		for (int copy = 0; copy < SuperblockFile.COPIES; copy++) {
			Path file = superblockFile();
			JournalCorruptionTest.flipBit(file, (long) copy * SuperblockFile.COPY_SIZE_BYTES + offset, 2);
			assertThat(reopenSuperblock()).as("copy %d damaged", copy).isEqualTo(TestLogs.superblock(4, 12));
			JournalCorruptionTest.flipBit(file, (long) copy * SuperblockFile.COPY_SIZE_BYTES + offset, 2);
		}
	}

	@Test
	void aReconfiguredSuperblockKeepsItsEpochAndMembers() {
		Superblock reconfigured = new Superblock(TestLogs.CLUSTER_ID, TestLogs.REPLICA,
				Configuration.ofMembers(2, 0, 1, 3, 4).startedAt(36, 0x0123_4567_89ab_cdefL),
				(2L << Configuration.EPOCH_SHIFT) + 5, (2L << Configuration.EPOCH_SHIFT) + 5, 40);
		writeSuperblocks(TestLogs.superblock(3, 10), reconfigured);
		// Opened by a replica whose peer list gives replicas 0..4 an address.
		Superblock reopened;
		try (FileStorage storage = FileStorage.open(this.directory, TestLogs.CLUSTER_ID, TestLogs.REPLICA, 5,
				FileStorageOptions.defaults(), new TestLogs.Recorder(), Runnable::run)) {
			reopened = storage.durableState().orElseThrow().superblock();
		}
		assertThat(reopened).isEqualTo(reconfigured);
		assertThat(reopened.configuration().quorum()).isEqualTo(3);
	}

	@Test
	void aSuperblockKeepsTheMembersAddresses() {
		Configuration addressed = Configuration.ofMembers(4, 0, 2, 5).startedAt(50, 77)
			.withAddress(0, "replica-0.viewstamp.internal:7400")
			.withAddress(5, "[::1]:7405");
		Superblock withAddresses = new Superblock(TestLogs.CLUSTER_ID, TestLogs.REPLICA, addressed,
				(4L << Configuration.EPOCH_SHIFT) + 1, (4L << Configuration.EPOCH_SHIFT) + 1, 52);
		writeSuperblocks(TestLogs.superblock(3, 10), withAddresses);
		Superblock reopened = reopenSuperblock();
		assertThat(reopened).isEqualTo(withAddresses);
		assertThat(reopened.configuration().address(5)).isEqualTo("[::1]:7405");
		assertThat(reopened.configuration().address(2)).isEmpty();
	}

	@Test
	void sixteenMembersWithTheLongestAddressesFitACopy() {
		Configuration full = Configuration.of(5, 0xffff);
		for (int member = 0; member < 16; member++) {
			full = full.withAddress(member, "h".repeat(Configuration.ADDRESS_SIZE_BYTES_MAX - 5) + ":" + (7400 + member));
		}
		Superblock largest = new Superblock(TestLogs.CLUSTER_ID, TestLogs.REPLICA, full, 5L << Configuration.EPOCH_SHIFT,
				5L << Configuration.EPOCH_SHIFT, 60);
		assertThat(SuperblockFile.encode(largest, 1).remaining()).isLessThanOrEqualTo(SuperblockFile.COPY_SIZE_BYTES)
			.isEqualTo(SuperblockFile.RECORD_SIZE_BYTES_MAX);
		writeSuperblocks(largest);
		assertThat(reopenSuperblock()).isEqualTo(largest);
	}

	/** A superblock file of the release before addresses (version 2: its CRC at 80) still opens. */
	@Test
	void aVersionTwoSuperblockReadsWithoutAddresses() throws IOException {
		Superblock reconfigured = new Superblock(TestLogs.CLUSTER_ID, TestLogs.REPLICA,
				Configuration.ofMembers(2, 0, 2).startedAt(36, 99), (2L << Configuration.EPOCH_SHIFT) + 5,
				(2L << Configuration.EPOCH_SHIFT) + 5, 40);
		writeSuperblocks(reconfigured);
		byte[] file = java.nio.file.Files.readAllBytes(superblockFile());
		for (int copy = 0; copy < SuperblockFile.COPIES; copy++) {
			java.nio.ByteBuffer record = java.nio.ByteBuffer.wrap(file, copy * SuperblockFile.COPY_SIZE_BYTES, 84)
				.slice()
				.order(java.nio.ByteOrder.LITTLE_ENDIAN);
			record.put(4, (byte) 2).putInt(80, Crc32c.of(record, 0, 80));
		}
		java.nio.file.Files.write(superblockFile(), file);
		assertThat(reopenSuperblock()).isEqualTo(reconfigured);
	}

	/** A superblock file written before reconfiguration (version 1: the replica count, no epoch) still opens. */
	@Test
	void aVersionOneSuperblockReadsAsTheFirstConfiguration() throws IOException {
		writeSuperblocks(TestLogs.superblock(3, 10));
		byte[] file = java.nio.file.Files.readAllBytes(superblockFile());
		for (int copy = 0; copy < SuperblockFile.COPIES; copy++) {
			java.nio.ByteBuffer record = java.nio.ByteBuffer.wrap(file, copy * SuperblockFile.COPY_SIZE_BYTES, 60)
				.slice()
				.order(java.nio.ByteOrder.LITTLE_ENDIAN);
			record.put(4, (byte) 1).putInt(28, TestLogs.REPLICA_COUNT).putInt(56, Crc32c.of(record, 0, 56));
		}
		java.nio.file.Files.write(superblockFile(), file);
		Superblock read = reopenSuperblock();
		assertThat(read).isEqualTo(TestLogs.superblock(3, 10));
		assertThat(read.configuration()).isEqualTo(Configuration.initial(TestLogs.REPLICA_COUNT));
	}

	@Test
	void aCrashWhileTheFirstCopyWasWrittenLeavesTheSecondWithThePreviousSuperblock() throws IOException {
		writeSuperblocks(TestLogs.superblock(3, 10));
		// The copies of view 3 are in place; now the first copy is torn while view 4 is written.
		java.nio.ByteBuffer record = SuperblockFile.encode(TestLogs.superblock(4, 12), 99);
		byte[] file = java.nio.file.Files.readAllBytes(superblockFile());
		System.arraycopy(record.array(), 0, file, 0, 30);
		java.nio.file.Files.write(superblockFile(), file);
		assertThat(reopenSuperblock()).isEqualTo(TestLogs.superblock(3, 10));
	}

	@Test
	void aCrashBetweenTheCopiesLeavesTheNewSuperblockInTheFirst() throws IOException {
		writeSuperblocks(TestLogs.superblock(3, 10));
		java.nio.ByteBuffer record = SuperblockFile.encode(TestLogs.superblock(4, 12), 99);
		byte[] file = java.nio.file.Files.readAllBytes(superblockFile());
		System.arraycopy(record.array(), 0, file, 0, record.remaining());
		java.nio.file.Files.write(superblockFile(), file);
		assertThat(reopenSuperblock()).isEqualTo(TestLogs.superblock(4, 12));
	}

	@Test
	void bothCopiesCorruptIsRefusedWithAClearMessage() throws IOException {
		writeSuperblocks(TestLogs.superblock(3, 10));
		JournalCorruptionTest.flipBit(superblockFile(), 20, 0);
		JournalCorruptionTest.flipBit(superblockFile(), SuperblockFile.COPY_SIZE_BYTES + 40, 0);
		assertThatExceptionOfType(DataDirectoryException.class).isThrownBy(this::reopenSuperblock)
			.withMessageContaining("Every copy of the superblock")
			.withMessageContaining(this.directory.toString())
			.withMessageContaining("recovers its state from them");
	}

	private void writeSuperblocks(Superblock... superblocks) {
		FileStorage.format(this.directory, TestLogs.CLUSTER_ID, TestLogs.REPLICA, TestLogs.REPLICA_COUNT);
		TestLogs.Recorder recorder = new TestLogs.Recorder();
		try (FileStorage storage = TestLogs.open(this.directory, recorder)) {
			for (Superblock superblock : superblocks) {
				storage.writeSuperblock(superblock);
			}
			recorder.awaitCount(superblocks.length);
		}
	}

	private Superblock reopenSuperblock() {
		try (FileStorage storage = TestLogs.open(this.directory, new TestLogs.Recorder())) {
			return storage.durableState().orElseThrow().superblock();
		}
	}

	private Path superblockFile() {
		return this.directory.resolve(DataDirectory.SUPERBLOCK_FILE);
	}

}
