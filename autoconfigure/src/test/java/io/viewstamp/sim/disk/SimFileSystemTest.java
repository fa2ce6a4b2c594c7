package io.viewstamp.sim.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.viewstamp.storage.FileStorage;
import io.viewstamp.storage.FileStorageOptions;
import io.viewstamp.storage.StorageCompletions;
import io.viewstamp.vsr.Checksums;
import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.Operation;
import io.viewstamp.vsr.Request;
import io.viewstamp.vsr.Superblock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Tests for {@link SimFileSystem}: what a crash keeps and loses, faults, and the real storage on it. */
class SimFileSystemTest {

	private static final int SEEDS = 200;

	private static final int SECTOR = SimFileSystem.SECTOR_SIZE_BYTES;

	private static final long CLUSTER_ID = 42;

	private static final Duration WAIT_MAX = Duration.ofSeconds(20);

	@Test
	void dataForcedInAForcedDirectorySurvivesEveryCrash() throws IOException {
		byte[] data = pattern(3 * SECTOR + 100, 1);
		for (int seed = 0; seed < SEEDS; seed++) {
			SimFileSystem fileSystem = SimFileSystem.create("disk");
			Path directory = createDirectory(fileSystem, "/data");
			Path file = directory.resolve("kept");
			write(file, data, 0, true);
			forceDirectory(directory);
			// Unsynced work next to it and after its end gives the crash choices, none of which may touch it.
			write(directory.resolve("unsynced"), pattern(5 * SECTOR, 2), 0, false);
			write(file, pattern(SECTOR, 3), 4 * SECTOR, false);
			fileSystem.crash(new SplittableRandom(seed));
			assertThat(Arrays.copyOf(fileSystem.contents(file), data.length)).as("seed %d", seed).isEqualTo(data);
			assertThat(fileSystem.hasUnsyncedChanges()).isFalse();
		}
	}

	@Test
	void aFileIsGoneAfterACrashUntilItsDirectoryIsForced() throws IOException {
		SimFileSystem fileSystem = SimFileSystem.create("disk");
		Path directory = createDirectory(fileSystem, "/data");
		Path file = directory.resolve("file");
		write(file, pattern(100, 1), 0, true);
		fileSystem.crash(new SplittableRandom(1));
		assertThat(Files.exists(file)).isFalse();
		write(file, pattern(100, 1), 0, true);
		assertThat(fileSystem.hasUnsyncedChanges()).isTrue();
		forceDirectory(directory);
		assertThat(fileSystem.hasUnsyncedChanges()).isFalse();
		fileSystem.crash(new SplittableRandom(1));
		assertThat(fileSystem.contents(file)).isEqualTo(pattern(100, 1));
	}

	@Test
	void aDirectoryIsGoneAfterACrashUntilItsParentIsForced() throws IOException {
		SimFileSystem fileSystem = SimFileSystem.create("disk");
		Path directory = fileSystem.getPath("/data");
		Files.createDirectories(directory);
		Path file = directory.resolve("file");
		write(file, pattern(10, 1), 0, true);
		forceDirectory(directory);
		fileSystem.crash(new SplittableRandom(1));
		assertThat(Files.exists(directory)).isFalse();
	}

	@Test
	void aRenameIsUndoneByACrashUnlessItsDirectoryIsForced() throws IOException {
		for (boolean forced : new boolean[] { false, true }) {
			for (int seed = 0; seed < 20; seed++) {
				SimFileSystem fileSystem = SimFileSystem.create("disk");
				Path directory = createDirectory(fileSystem, "/data");
				Path temporary = directory.resolve("file.tmp");
				Path file = directory.resolve("file");
				write(temporary, pattern(700, 1), 0, true);
				write(file, pattern(300, 2), 0, true);
				forceDirectory(directory);
				Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
				if (forced) {
					forceDirectory(directory);
				}
				fileSystem.crash(new SplittableRandom(seed));
				assertThat(fileSystem.contents(file)).as("forced %s, seed %d", forced, seed)
					.isEqualTo(pattern(forced ? 700 : 300, forced ? 1 : 2));
				assertThat(Files.exists(temporary)).as("forced %s, seed %d", forced, seed).isEqualTo(!forced);
			}
		}
	}

	@Test
	void anUnsyncedWriteIsTornOrLostByACrashAndASyncedOneIsKept() throws IOException {
		int sectors = 8;
		byte[] data = new byte[sectors * SECTOR];
		Arrays.fill(data, (byte) 0x5A);
		boolean lost = false;
		boolean torn = false;
		for (int seed = 0; seed < SEEDS; seed++) {
			SimFileSystem fileSystem = SimFileSystem.create("disk");
			Path file = createDirectory(fileSystem, "/data").resolve("file");
			write(file, new byte[0], 0, true);
			forceDirectory(file.getParent());
			write(file, data, 0, false);
			fileSystem.crash(new SplittableRandom(seed));
			byte[] contents = fileSystem.contents(file);
			int survivingSectors = newSectors(contents, sectors);
			// Lost whole: the file is back to its durable length, empty.
			lost |= contents.length == 0;
			torn |= survivingSectors > 0 && survivingSectors < sectors;
		}
		assertThat(lost).as("some crash loses the whole write").isTrue();
		assertThat(torn).as("some crash keeps some but not all of its sectors").isTrue();
		for (int seed = 0; seed < SEEDS; seed++) {
			SimFileSystem fileSystem = SimFileSystem.create("disk");
			Path file = createDirectory(fileSystem, "/data").resolve("file");
			write(file, data, 0, true);
			forceDirectory(file.getParent());
			fileSystem.crash(new SplittableRandom(seed));
			assertThat(fileSystem.contents(file)).as("seed %d", seed).isEqualTo(data);
		}
	}

	@Test
	void aLaterUnsyncedWriteMaySurviveAnEarlierOneThatIsLost() throws IOException {
		boolean reordered = false;
		for (int seed = 0; seed < SEEDS && !reordered; seed++) {
			SimFileSystem fileSystem = SimFileSystem.create("disk");
			Path file = createDirectory(fileSystem, "/data").resolve("file");
			write(file, new byte[2 * SECTOR], 0, true);
			forceDirectory(file.getParent());
			write(file, pattern(SECTOR, 1), 0, false);
			write(file, pattern(SECTOR, 2), SECTOR, false);
			fileSystem.crash(new SplittableRandom(seed));
			byte[] contents = fileSystem.contents(file);
			reordered = Arrays.equals(contents, 0, SECTOR, new byte[SECTOR], 0, SECTOR)
					&& Arrays.equals(contents, SECTOR, 2 * SECTOR, pattern(SECTOR, 2), 0, SECTOR);
		}
		assertThat(reordered).isTrue();
	}

	@Test
	void aCrashClosesChannelsAndReleasesLocks() throws IOException {
		SimFileSystem fileSystem = SimFileSystem.create("disk");
		Path file = createDirectory(fileSystem, "/data").resolve("lock");
		FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
		FileLock lock = channel.tryLock();
		forceDirectory(file.getParent());
		try (FileChannel other = FileChannel.open(file, StandardOpenOption.WRITE)) {
			assertThatExceptionOfType(OverlappingFileLockException.class).isThrownBy(other::tryLock);
		}
		fileSystem.crash(new SplittableRandom(1));
		assertThat(lock.isValid()).isFalse();
		assertThat(channel.isOpen()).isFalse();
		assertThatExceptionOfType(ClosedChannelException.class)
			.isThrownBy(() -> channel.write(ByteBuffer.allocate(1), 0));
		try (FileChannel reopened = FileChannel.open(file, StandardOpenOption.WRITE)) {
			assertThat(reopened.tryLock()).isNotNull();
		}
	}

	@Test
	void theSameOperationsAndSeedLeaveTheSameBytes() throws IOException {
		Set<TreeMap<String, String>> outcomes = new HashSet<>();
		for (int seed = 0; seed < 20; seed++) {
			TreeMap<String, String> first = runScript(seed);
			assertThat(runScript(seed)).as("seed %d", seed).isEqualTo(first);
			outcomes.add(first);
		}
		// The script leaves room for chance: a test that always saw one outcome would prove nothing.
		assertThat(outcomes).hasSizeGreaterThan(1);
	}

	@Test
	void powerLossInterruptsTheOperationAfterTheGivenNumber() throws IOException {
		SimFileSystem fileSystem = SimFileSystem.create("disk");
		Path directory = createDirectory(fileSystem, "/data");
		fileSystem.powerLossAfter(3);
		FileChannel channel = FileChannel.open(directory.resolve("file"), StandardOpenOption.CREATE_NEW,
				StandardOpenOption.WRITE);
		channel.write(ByteBuffer.wrap(pattern(10, 1)), 0);
		channel.force(false);
		assertThatThrownBy(() -> channel.write(ByteBuffer.wrap(pattern(10, 2)), 10)).isInstanceOf(SimulatedPowerLoss.class)
			.hasMessageContaining("write of 10 bytes at 10 of /data/file");
		assertThat(fileSystem.contents(directory.resolve("file"))).isEqualTo(pattern(10, 1));
		assertThatThrownBy(() -> Files.delete(directory.resolve("file"))).isInstanceOf(SimulatedPowerLoss.class)
			.hasMessageContaining("machine is off");
		fileSystem.crash(new SplittableRandom(1));
		// Only the directory /data was made durable; the machine is back and works.
		assertThat(Files.exists(directory.resolve("file"))).isFalse();
		write(directory.resolve("file"), pattern(10, 3), 0, true);
		fileSystem.powerLossAfter(1);
		fileSystem.powerLossAfter(0);
		write(directory.resolve("file"), pattern(10, 4), 0, true);
	}

	@Test
	void failingReadsFailThenReadsWorkAgain() throws IOException {
		SimFileSystem fileSystem = SimFileSystem.create("disk");
		Path file = createDirectory(fileSystem, "/data").resolve("file");
		write(file, pattern(100, 1), 0, true);
		fileSystem.failReads(file, 2);
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			assertThatThrownBy(() -> channel.read(ByteBuffer.allocate(10))).isInstanceOf(IOException.class)
				.hasMessageContaining("Simulated read failure of /data/file");
			assertThatThrownBy(() -> channel.read(ByteBuffer.allocate(10), 0)).isInstanceOf(IOException.class);
			ByteBuffer buffer = ByteBuffer.allocate(100);
			assertThat(channel.read(buffer, 0)).isEqualTo(100);
			assertThat(buffer.array()).isEqualTo(pattern(100, 1));
		}
		assertThatIllegalArgumentException().isThrownBy(() -> fileSystem.failReads(file.resolveSibling("missing"), 1));
	}

	@Test
	void aFlippedBitIsInTheCurrentAndTheDurableContent() throws IOException {
		SimFileSystem fileSystem = SimFileSystem.create("disk");
		Path file = createDirectory(fileSystem, "/data").resolve("file");
		write(file, pattern(100, 1), 0, true);
		forceDirectory(file.getParent());
		fileSystem.flipBit(file, 10, 3);
		byte[] expected = pattern(100, 1);
		expected[10] ^= 8;
		assertThat(fileSystem.contents(file)).isEqualTo(expected);
		fileSystem.crash(new SplittableRandom(1));
		assertThat(fileSystem.contents(file)).isEqualTo(expected);
		assertThatIllegalArgumentException().isThrownBy(() -> fileSystem.flipBit(file, 100, 0))
			.withMessageContaining("100 bytes");
		assertThatIllegalArgumentException().isThrownBy(() -> fileSystem.flipBit(file.resolveSibling("missing"), 0, 0));
	}

	@Test
	void errorsAreThoseOfTheJdk() throws IOException {
		SimFileSystem fileSystem = SimFileSystem.create("disk");
		Path directory = createDirectory(fileSystem, "/data");
		Path file = directory.resolve("file");
		write(file, pattern(10, 1), 0, false);
		assertThatExceptionOfType(FileAlreadyExistsException.class)
			.isThrownBy(() -> FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
		assertThatExceptionOfType(FileAlreadyExistsException.class).isThrownBy(() -> Files.createDirectory(directory));
		assertThatExceptionOfType(NoSuchFileException.class)
			.isThrownBy(() -> FileChannel.open(directory.resolve("missing"), StandardOpenOption.READ));
		assertThatExceptionOfType(DirectoryNotEmptyException.class).isThrownBy(() -> Files.delete(directory));
		try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ);
				FileChannel writer = FileChannel.open(file, StandardOpenOption.WRITE)) {
			assertThatExceptionOfType(NonWritableChannelException.class)
				.isThrownBy(() -> reader.write(ByteBuffer.allocate(1), 0));
			assertThatExceptionOfType(NonReadableChannelException.class)
				.isThrownBy(() -> writer.read(ByteBuffer.allocate(1)));
		}
		assertThat(Files.size(file)).isEqualTo(10);
		assertThat(Files.isRegularFile(file)).isTrue();
		assertThat(Files.isDirectory(directory)).isTrue();
		try (Stream<Path> entries = Files.list(fileSystem.getPath("/"))) {
			assertThat(entries.toList()).containsExactly(directory);
		}
		assertThatThrownBy(() -> Files.copy(file, directory.resolve("copy")))
			.isInstanceOf(UnsupportedOperationException.class);
	}

	@Test
	void theRealStorageKeepsWhatItAcknowledgedAcrossCrashes() {
		List<LogEntry> entries = chain(12);
		for (int seed = 0; seed < 5; seed++) {
			SimFileSystem fileSystem = SimFileSystem.create("replica-0");
			Path dataDirectory = fileSystem.getPath("/replica-0");
			FileStorage.format(dataDirectory, CLUSTER_ID, 0, 3);
			fileSystem.crash(new SplittableRandom(seed));
			Recorder recorder = new Recorder();
			try (FileStorage storage = open(dataDirectory, recorder)) {
				entries.forEach(storage::writeEntry);
				recorder.awaitCount(entries.size());
			}
			fileSystem.crash(new SplittableRandom(seed));
			try (FileStorage storage = open(dataDirectory, new Recorder())) {
				assertThat(storage.durableState().orElseThrow().journal()).as("seed %d", seed)
					.containsExactlyElementsOf(entries);
			}
		}
	}

	@Test
	void theRealStorageKeepsWhatItAcknowledgedWhenTheCrashComesBeforeClose() {
		List<LogEntry> entries = chain(30);
		for (int seed = 0; seed < 5; seed++) {
			SimFileSystem fileSystem = SimFileSystem.create("replica-0");
			Path dataDirectory = fileSystem.getPath("/replica-0");
			FileStorage.format(dataDirectory, CLUSTER_ID, 0, 3);
			Recorder recorder = new Recorder();
			FileStorage storage = open(dataDirectory, recorder);
			entries.subList(0, 10).forEach(storage::writeEntry);
			recorder.awaitCount(10);
			entries.subList(10, entries.size()).forEach(storage::writeEntry);
			// Whatever the I/O thread had acknowledged before the crash must survive it.
			List<Long> acknowledged = List.copyOf(recorder.ops);
			fileSystem.crash(new SplittableRandom(seed));
			// The dead process's thread can only fail now (its channels are closed); let it end.
			storage.close();
			try (FileStorage reopened = open(dataDirectory, new Recorder())) {
				List<LogEntry> journal = reopened.durableState().orElseThrow().journal();
				assertThat(entries).as("seed %d", seed).startsWith(journal.toArray(new LogEntry[0]));
				assertThat(journal.size()).as("seed %d", seed).isGreaterThanOrEqualTo(acknowledged.size());
			}
		}
	}

	/** Writes, syncs, renames and crashes in one fixed order; the outcome depends on the seed only. */
	private static TreeMap<String, String> runScript(int seed) throws IOException {
		SimFileSystem fileSystem = SimFileSystem.create("disk");
		SplittableRandom random = new SplittableRandom(seed);
		Path directory = createDirectory(fileSystem, "/data");
		for (int round = 0; round < 3; round++) {
			Path file = directory.resolve("file-" + round);
			write(file, pattern(3 * SECTOR, round), 0, round != 1);
			write(file, pattern(2 * SECTOR + 7, round + 10), SECTOR + 3, false);
			if (round == 1) {
				forceDirectory(directory);
			}
			Files.move(file, directory.resolve("renamed-" + round), StandardCopyOption.ATOMIC_MOVE);
			fileSystem.crash(random);
		}
		TreeMap<String, String> contents = new TreeMap<>();
		try (Stream<Path> files = Files.list(directory)) {
			for (Path file : files.toList()) {
				contents.put(file.toString(), Base64.getEncoder().encodeToString(fileSystem.contents(file)));
			}
		}
		return contents;
	}

	private static FileStorage open(Path dataDirectory, Recorder recorder) {
		return FileStorage.open(dataDirectory, CLUSTER_ID, 0, 3, FileStorageOptions.defaults(), recorder, Runnable::run);
	}

	/** The number of the first {@code sectors} sectors that hold the new bytes (0x5A) whole. */
	private static int newSectors(byte[] contents, int sectors) {
		int count = 0;
		for (int sector = 0; sector < sectors; sector++) {
			int start = sector * SECTOR;
			boolean written = contents.length >= start + SECTOR;
			for (int at = start; written && at < start + SECTOR; at++) {
				written = contents[at] == 0x5A;
			}
			count += written ? 1 : 0;
		}
		return count;
	}

	private static Path createDirectory(SimFileSystem fileSystem, String path) throws IOException {
		Path directory = Files.createDirectory(fileSystem.getPath(path));
		forceDirectory(directory.getParent());
		return directory;
	}

	private static void forceDirectory(Path directory) throws IOException {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
	}

	private static void write(Path file, byte[] data, long position, boolean force) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
			ByteBuffer buffer = ByteBuffer.wrap(data);
			while (buffer.hasRemaining()) {
				channel.write(buffer, position + buffer.position());
			}
			if (force) {
				channel.force(false);
			}
		}
	}

	private static byte[] pattern(int size, int variant) {
		byte[] bytes = new byte[size];
		for (int at = 0; at < size; at++) {
			bytes[at] = (byte) (at * 7 + variant * 13 + 1);
		}
		return bytes;
	}

	private static List<LogEntry> chain(int count) {
		List<LogEntry> entries = new ArrayList<>();
		long parent = Checksums.root(CLUSTER_ID);
		for (long op = 1; op <= count; op++) {
			byte[] body = pattern(50 + (int) op * 40, (int) op);
			Request request = new Request(1000, 1, op, Operation.COMMAND, body);
			LogEntry entry = LogEntry.create(CLUSTER_ID, 1, op, 1_000 * op, parent, List.of(request));
			entries.add(entry);
			parent = entry.checksum();
		}
		return entries;
	}

	/** Records the ops the storage reports durable, and its failure. */
	private static final class Recorder implements StorageCompletions {

		final List<Long> ops = new CopyOnWriteArrayList<>();

		volatile Exception failure;

		@Override
		public void onEntryWritten(long op, long checksum) {
			this.ops.add(op);
		}

		@Override
		public void onSuperblockWritten(Superblock superblock) {
		}

		@Override
		public void onSnapshotWritten(long op) {
		}

		@Override
		public void onStorageFailed(Exception cause) {
			this.failure = cause;
		}

		void awaitCount(int count) {
			await().atMost(WAIT_MAX).until(() -> this.ops.size() >= count || this.failure != null);
			if (this.failure != null) {
				throw new AssertionError("The storage failed", this.failure);
			}
		}

	}

}
