package io.viewstamp.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.viewstamp.vsr.DurableState;
import io.viewstamp.vsr.LogEntry;

import static io.viewstamp.storage.TestLogs.chain;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every group-commit batch starts on a sector of its own, so a crash that tears a batch at sector
 * granularity loses only that batch's frames, never the acknowledged ones before it.
 */
class SectorAlignmentTest {

	private static final int SECTOR = Journal.SECTOR_SIZE_BYTES;

	/** Ops 1..5: small entries, each synced on its own, so each is a batch of its own. */
	private static final int BATCH_A_ENTRIES = 5;

	/** Ops 6..25, written as one request after another: several sectors of frames. */
	private static final int BATCH_B_ENTRIES = 20;

	private static final int BODY_BYTES = 400;

	@TempDir
	Path directory;

	private final List<LogEntry> entries = chain(BATCH_A_ENTRIES + BATCH_B_ENTRIES + 1, BODY_BYTES);

	private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();

	private final Logger recoveryLogger = Logger.getLogger(JournalRecovery.class.getName());

	private final Handler warningRecorder = new Handler() {

		@Override
		public void publish(LogRecord record) {
			if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
				SectorAlignmentTest.this.warnings.add(record);
			}
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	/** How a crash during batch B left it. */
	enum Tear {

		/** The sector B starts in holds garbage; without padding, it would hold the end of batch A too. */
		FIRST_SECTOR_OF_B,

		/** B's last sector holds garbage: a torn tail. */
		LAST_SECTOR_OF_B,

		/** The file ends in the middle of a frame of B. */
		TRUNCATED_IN_B

	}

	@BeforeEach
	void recordWarnings() {
		this.recoveryLogger.addHandler(this.warningRecorder);
	}

	@AfterEach
	void stopRecordingWarnings() {
		this.recoveryLogger.removeHandler(this.warningRecorder);
	}

	@Test
	void everyBatchStartsOnASectorBoundaryAndTheSegmentEndsOnOne() throws IOException {
		FileStorage.format(this.directory, TestLogs.CLUSTER_ID, TestLogs.REPLICA, TestLogs.REPLICA_COUNT);
		List<LogEntry> written = chain(BATCH_A_ENTRIES, 10);
		TestLogs.Recorder recorder = new TestLogs.Recorder();
		List<Long> batchStarts = new ArrayList<>();
		try (FileStorage storage = TestLogs.open(this.directory, recorder)) {
			for (int index = 0; index < written.size(); index++) {
				batchStarts.add(Files.exists(segment()) ? Files.size(segment()) : 0);
				// Completed only after its sync: each entry is a batch of its own.
				storage.writeEntry(written.get(index));
				recorder.awaitCount(index + 1);
				assertThat(Files.size(segment()) % SECTOR).as("size after batch %d", index).isZero();
			}
		}
		List<TestLogs.Frame> frames = TestLogs.frames(segment());
		assertThat(frames).extracting(TestLogs.Frame::start).containsExactlyElementsOf(batchStarts);
		assertThat(frames).allSatisfy((frame) -> assertThat(frame.start() % SECTOR).isZero());
		assertThat(Files.size(segment())).isEqualTo((long) SECTOR * written.size());
		DurableState state = reopen();
		assertThat(state.journal()).containsExactlyElementsOf(written);
		assertThat(state.faultyOps()).isEmpty();
	}

	@Test
	void paddingBetweenBatchesIsNeitherCorruptNorATornTail() throws IOException {
		writeBatchesAAndB();
		byte[] before = Files.readAllBytes(segment());
		List<TestLogs.Frame> frames = TestLogs.frames(segment());
		// There is padding in the middle of the journal, and it is zeros.
		long paddedGaps = 0;
		for (int index = 1; index < frames.size(); index++) {
			long from = frames.get(index - 1).end();
			long to = frames.get(index).start();
			if (to > from) {
				paddedGaps++;
				assertThat(to % SECTOR).isZero();
				assertThat(Arrays.copyOfRange(before, (int) from, (int) to)).containsOnly((byte) 0);
			}
		}
		assertThat(paddedGaps).isGreaterThanOrEqualTo(BATCH_A_ENTRIES);

		DurableState state = reopen();

		assertThat(state.journal()).containsExactlyElementsOf(this.entries.subList(0, BATCH_A_ENTRIES + BATCH_B_ENTRIES));
		assertThat(state.faultyOps()).isEmpty();
		assertThat(Files.readAllBytes(segment())).isEqualTo(before);
		assertThat(this.warnings).isEmpty();
	}

	@Test
	void aSegmentWhosePaddingACrashLostIsPaddedOnOpenWithoutAWarning() throws IOException {
		writeBatchesAAndB();
		List<TestLogs.Frame> frames = TestLogs.frames(segment());
		long lastEnd = frames.get(frames.size() - 1).end();
		byte[] before = Files.readAllBytes(segment());
		Files.write(segment(), Arrays.copyOf(before, (int) lastEnd));

		DurableState state = reopen();

		assertThat(state.journal()).containsExactlyElementsOf(this.entries.subList(0, BATCH_A_ENTRIES + BATCH_B_ENTRIES));
		assertThat(state.faultyOps()).isEmpty();
		assertThat(Files.readAllBytes(segment())).isEqualTo(before);
		assertThat(this.warnings).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(Tear.class)
	void aTornBatchLosesOnlyItsOwnFramesAndTheNextAppendStartsOnASector(Tear tear) throws IOException {
		long batchBStart = writeBatchesAAndB();
		List<TestLogs.Frame> frames = TestLogs.frames(segment());
		byte[] bytes = Files.readAllBytes(segment());
		long batchBEnd = frames.get(frames.size() - 1).end();
		assertThat(batchBEnd - batchBStart).as("batch B spans several sectors").isGreaterThan(2L * SECTOR);
		long damagedFrom;
		long damagedTo;
		switch (tear) {
			case FIRST_SECTOR_OF_B -> {
				// The disk sector that holds B's first byte; unpadded, it would hold A's last frame too.
				damagedFrom = batchBStart / SECTOR * SECTOR;
				damagedTo = damagedFrom + SECTOR;
				Arrays.fill(bytes, (int) damagedFrom, (int) damagedTo, (byte) 0xA5);
			}
			case LAST_SECTOR_OF_B -> {
				damagedFrom = Journal.alignUp(batchBEnd) - SECTOR;
				damagedTo = Journal.alignUp(batchBEnd);
				Arrays.fill(bytes, (int) damagedFrom, (int) damagedTo, (byte) 0xA5);
			}
			default -> {
				// Off the middle: B's frames are all of one size, and a cut between two would not tear one.
				damagedFrom = batchBStart + (batchBEnd - batchBStart) / 2 + 7;
				damagedTo = bytes.length;
				bytes = Arrays.copyOf(bytes, (int) damagedFrom);
			}
		}
		Files.write(segment(), bytes);
		List<Long> damagedOps = frames.stream()
			.filter((frame) -> frame.end() > damagedFrom && frame.start() < damagedTo)
			.map(TestLogs.Frame::op)
			.toList();
		assertThat(damagedOps).isNotEmpty().allSatisfy((op) -> assertThat(op).isGreaterThan(BATCH_A_ENTRIES));

		LogEntry next = this.entries.get(BATCH_A_ENTRIES + BATCH_B_ENTRIES);
		long recoveredSize;
		TestLogs.Recorder recorder = new TestLogs.Recorder();
		try (FileStorage storage = TestLogs.open(this.directory, recorder)) {
			DurableState state = storage.durableState().orElseThrow();
			// All of batch A, acknowledged before the crash, is intact.
			assertThat(state.journal()).startsWith(this.entries.subList(0, BATCH_A_ENTRIES).toArray(LogEntry[]::new));
			assertThat(state.journal()).allSatisfy((entry) -> assertThat(this.entries).contains(entry));
			assertThat(state.journal()).extracting(LogEntry::op).doesNotContainAnyElementsOf(damagedOps);
			assertThat(state.faultyOps()).allSatisfy((op) -> assertThat(op).isGreaterThan(BATCH_A_ENTRIES));
			recoveredSize = Files.size(segment());
			assertThat(recoveredSize % SECTOR).isZero();
			storage.writeEntry(next);
			recorder.awaitCount(1);
		}
		if (tear != Tear.FIRST_SECTOR_OF_B) {
			// The damage reached the end of the journal: a torn tail, cut back with a warning.
			assertThat(this.warnings).isNotEmpty();
		}
		ByteBuffer appended = ByteBuffer.wrap(Files.readAllBytes(segment())).order(ByteOrder.LITTLE_ENDIAN);
		JournalFrame.Header header = JournalFrame.readHeader(appended, (int) recoveredSize, TestLogs.CLUSTER_ID);
		assertThat(header).isNotNull();
		assertThat(header.op()).isEqualTo(next.op());
		DurableState state = reopen();
		assertThat(state.journal()).startsWith(this.entries.subList(0, BATCH_A_ENTRIES).toArray(LogEntry[]::new))
			.endsWith(next);
	}

	/**
	 * Writes batch A, one synced entry at a time, then batch B, all its requests made at once.
	 * @return where batch B starts
	 */
	private long writeBatchesAAndB() throws IOException {
		FileStorage.format(this.directory, TestLogs.CLUSTER_ID, TestLogs.REPLICA, TestLogs.REPLICA_COUNT);
		TestLogs.Recorder recorder = new TestLogs.Recorder();
		long batchBStart;
		try (FileStorage storage = TestLogs.open(this.directory, recorder)) {
			for (int index = 0; index < BATCH_A_ENTRIES; index++) {
				storage.writeEntry(this.entries.get(index));
				recorder.awaitCount(index + 1);
			}
			batchBStart = Files.size(segment());
			this.entries.subList(BATCH_A_ENTRIES, BATCH_A_ENTRIES + BATCH_B_ENTRIES).forEach(storage::writeEntry);
			recorder.awaitCount(BATCH_A_ENTRIES + BATCH_B_ENTRIES);
		}
		return batchBStart;
	}

	private DurableState reopen() {
		try (FileStorage storage = TestLogs.open(this.directory, new TestLogs.Recorder())) {
			return storage.durableState().orElseThrow();
		}
	}

	private Path segment() {
		return this.directory.resolve("journal").resolve(Segment.fileName(1));
	}

}
