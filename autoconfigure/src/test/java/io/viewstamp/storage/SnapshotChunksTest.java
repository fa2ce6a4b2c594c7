package io.viewstamp.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.Snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Tests for {@link SnapshotChunks}: chunks of bounded size, each checked, reassembled in any order. */
class SnapshotChunksTest {

	private final LogEntry entry = TestLogs.chain(3, 10).get(2);

	private final Snapshot snapshot = TestLogs.snapshot(this.entry, 10_000);

	@Test
	void chunksInAnyOrderWithDuplicatesGiveTheSnapshotBack() {
		List<byte[]> chunks = SnapshotChunks.split(this.snapshot, 1024);
		assertThat(chunks).hasSizeGreaterThan(9).allSatisfy((chunk) -> assertThat(chunk.length).isLessThanOrEqualTo(1024));
		List<byte[]> arriving = new ArrayList<>(chunks);
		arriving.addAll(chunks.subList(0, 3));
		Collections.shuffle(arriving, new Random(3));
		SnapshotChunks.Assembly assembly = SnapshotChunks.assemble();
		boolean complete = false;
		for (byte[] chunk : arriving) {
			assertThat(complete).isFalse();
			complete = assembly.add(chunk);
			if (assembly.chunksReceived() == chunks.size()) {
				break;
			}
		}
		assertThat(complete).isTrue();
		assertThat(assembly.snapshot()).contains(this.snapshot);
		assertThat(assembly.snapshotOp()).isEqualTo(3);
		assertThat(assembly.chunkCount()).isEqualTo(chunks.size());
	}

	@Test
	void aSmallSnapshotIsOneChunk() {
		Snapshot small = TestLogs.snapshot(this.entry, 0);
		List<byte[]> chunks = SnapshotChunks.split(small, SnapshotChunks.CHUNK_SIZE_BYTES_MIN);
		assertThat(chunks).hasSize(1);
		SnapshotChunks.Assembly assembly = SnapshotChunks.assemble();
		assertThat(assembly.add(chunks.get(0))).isTrue();
		assertThat(assembly.snapshot()).contains(small);
	}

	@Test
	void aCorruptChunkIsRefusedAndItsResendCompletesTheSnapshot() {
		List<byte[]> chunks = SnapshotChunks.split(this.snapshot, 2048);
		SnapshotChunks.Assembly assembly = SnapshotChunks.assemble();
		for (int index = 1; index < chunks.size(); index++) {
			assembly.add(chunks.get(index));
		}
		for (int offset : new int[] { 0, 8, 16, 20, 24, 28, 33, SnapshotChunks.CHUNK_HEADER_SIZE_BYTES + 5 }) {
			byte[] corrupt = chunks.get(0).clone();
			corrupt[offset] ^= 0x10;
			assertThatIllegalArgumentException().as("flip at %d", offset).isThrownBy(() -> assembly.add(corrupt));
		}
		assertThat(assembly.snapshot()).isEmpty();
		assertThat(assembly.add(chunks.get(0))).isTrue();
		assertThat(assembly.snapshot()).contains(this.snapshot);
	}

	@Test
	void aChunkOfAnotherSnapshotIsRefused() {
		Snapshot other = TestLogs.snapshot(TestLogs.chain(4, 10).get(3), 10_000);
		SnapshotChunks.Assembly assembly = SnapshotChunks.assemble();
		assembly.add(SnapshotChunks.split(this.snapshot, 1024).get(0));
		assertThatIllegalArgumentException().isThrownBy(() -> assembly.add(SnapshotChunks.split(other, 1024).get(1)))
			.withMessageContaining("belongs to another snapshot");
		assertThatIllegalArgumentException().isThrownBy(() -> assembly.add(SnapshotChunks.split(this.snapshot, 2048).get(1)))
			.withMessageContaining("belongs to another snapshot");
	}

	@Test
	void malformedChunksAreRefused() {
		SnapshotChunks.Assembly assembly = SnapshotChunks.assemble();
		assertThatIllegalArgumentException().isThrownBy(() -> assembly.add(new byte[10])).withMessageContaining("impossible");
		byte[] truncated = java.util.Arrays.copyOf(SnapshotChunks.split(this.snapshot, 1024).get(0), 500);
		assertThatIllegalArgumentException().isThrownBy(() -> assembly.add(truncated)).withMessageContaining("expected");
		assertThatIllegalArgumentException().isThrownBy(() -> SnapshotChunks.split(this.snapshot, 100))
			.withMessageContaining("chunk size 100 bytes is outside");
	}

}
