package io.viewstamp.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.viewstamp.vsr.Checksums;
import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.LogEntryCodec;
import io.viewstamp.vsr.Operation;
import io.viewstamp.vsr.Request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Tests for {@link LogEntryCodec}: round trips, and malformed bytes refused with a clear message. */
class LogEntryCodecTest {

	private static final long CLUSTER_ID = TestLogs.CLUSTER_ID;

	@Test
	void entryWithSeveralRequestsSurvivesTheRoundTrip() {
		LogEntry entry = sample();
		LogEntry decoded = LogEntryCodec.decode(ByteBuffer.wrap(LogEntryCodec.encode(entry)));
		assertThat(decoded).isEqualTo(entry);
		assertThat(decoded.isIntact(CLUSTER_ID)).isTrue();
	}

	@Test
	void encodedSizeIsWhatEncodeWrites() {
		LogEntry entry = sample();
		assertThat(LogEntryCodec.encode(entry)).hasSize(LogEntryCodec.encodedSizeBytes(entry));
	}

	@Test
	void formatIsLittleEndianWithTheVersionFirst() {
		LogEntry entry = sample();
		ByteBuffer bytes = ByteBuffer.wrap(LogEntryCodec.encode(entry)).order(ByteOrder.LITTLE_ENDIAN);
		assertThat(bytes.get(0)).isEqualTo(LogEntryCodec.VERSION);
		assertThat(bytes.getLong(1)).isEqualTo(entry.view());
		assertThat(bytes.getLong(9)).isEqualTo(entry.op());
	}

	@Test
	void decodeReadsOneEntryAndLeavesTheRestAndTheByteOrder() {
		LogEntry first = sample();
		LogEntry second = LogEntry.create(CLUSTER_ID, 3, 8, 99, first.checksum(), List.of(Request.register(5, 1)));
		ByteBuffer buffer = ByteBuffer.allocate(
				LogEntryCodec.encodedSizeBytes(first) + LogEntryCodec.encodedSizeBytes(second) + 3);
		LogEntryCodec.encode(first, buffer);
		LogEntryCodec.encode(second, buffer);
		buffer.put(new byte[] { 9, 9, 9 }).flip();
		assertThat(LogEntryCodec.decode(buffer)).isEqualTo(first);
		assertThat(LogEntryCodec.decode(buffer)).isEqualTo(second);
		assertThat(buffer.remaining()).isEqualTo(3);
		assertThat(buffer.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
	}

	@Test
	void everyTruncationIsRefusedAsTruncated() {
		byte[] bytes = LogEntryCodec.encode(sample());
		for (int length = 0; length < bytes.length; length++) {
			ByteBuffer truncated = ByteBuffer.wrap(bytes, 0, length).slice();
			assertThatIllegalArgumentException().as("cut at %d", length)
				.isThrownBy(() -> LogEntryCodec.decode(truncated))
				.withMessageContaining("truncated");
		}
	}

	@Test
	void anotherVersionIsRefused() {
		byte[] bytes = LogEntryCodec.encode(sample());
		bytes[0] = 2;
		assertThatIllegalArgumentException().isThrownBy(() -> LogEntryCodec.decode(ByteBuffer.wrap(bytes)))
			.withMessageContaining("format version 2");
	}

	@Test
	void hugeRequestCountIsRefusedWithoutAllocating() {
		byte[] bytes = LogEntryCodec.encode(sample());
		ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(41, Integer.MAX_VALUE);
		assertThatIllegalArgumentException().isThrownBy(() -> LogEntryCodec.decode(ByteBuffer.wrap(bytes)))
			.withMessageContaining("claims 2147483647 requests");
		ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(41, -1);
		assertThatIllegalArgumentException().isThrownBy(() -> LogEntryCodec.decode(ByteBuffer.wrap(bytes)))
			.withMessageContaining("claims 4294967295 requests");
		ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(41, 0);
		assertThatIllegalArgumentException().isThrownBy(() -> LogEntryCodec.decode(ByteBuffer.wrap(bytes)))
			.withMessageContaining("claims 0 requests");
	}

	@Test
	void hugeBodyLengthIsRefusedWithoutAllocating() {
		byte[] bytes = LogEntryCodec.encode(sample());
		int firstBodyLength = 45 + 25;
		ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(firstBodyLength, Integer.MAX_VALUE);
		assertThatIllegalArgumentException().isThrownBy(() -> LogEntryCodec.decode(ByteBuffer.wrap(bytes)))
			.withMessageContaining("claims a body of 2147483647 bytes");
		ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(firstBodyLength, 1000);
		assertThatIllegalArgumentException().isThrownBy(() -> LogEntryCodec.decode(ByteBuffer.wrap(bytes)))
			.withMessageContaining("truncated");
	}

	@Test
	void unknownOperationCodeIsRefused() {
		byte[] bytes = LogEntryCodec.encode(sample());
		bytes[45 + 24] = 0;
		assertThatIllegalArgumentException().isThrownBy(() -> LogEntryCodec.decode(ByteBuffer.wrap(bytes)))
			.withMessageContaining("unknown operation code 0");
	}

	@Test
	void valuesNoEntryCanHoldAreRefusedAsIllegalArguments() {
		byte[] bytes = LogEntryCodec.encode(sample());
		ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(9, 0);
		assertThatIllegalArgumentException().isThrownBy(() -> LogEntryCodec.decode(ByteBuffer.wrap(bytes)))
			.withMessageContaining("op numbers start at 1");
	}

	@Test
	void randomBytesNeverThrowAnythingButIllegalArgument() {
		java.util.SplittableRandom random = new java.util.SplittableRandom(7);
		byte[] valid = LogEntryCodec.encode(sample());
		for (int round = 0; round < 2000; round++) {
			byte[] bytes = valid.clone();
			for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
				bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
			}
			try {
				LogEntryCodec.decode(ByteBuffer.wrap(bytes));
			}
			catch (IllegalArgumentException ex) {
				assertThat(ex.getMessage()).isNotBlank();
			}
		}
	}

	@Test
	void entriesOverTheLimitsAreRefusedWhenEncoded() {
		Request big = new Request(1, 1, 1, Operation.COMMAND, new byte[LogEntryCodec.REQUEST_BODY_SIZE_BYTES_MAX + 1]);
		LogEntry withBigBody = LogEntry.create(CLUSTER_ID, 1, 1, 1, 0, List.of(big));
		assertThatIllegalArgumentException().isThrownBy(() -> LogEntryCodec.encode(withBigBody))
			.withMessageContaining("bytes a request body may have");
		List<Request> many = new ArrayList<>();
		for (int index = 0; index <= LogEntryCodec.ENTRY_REQUESTS_MAX; index++) {
			many.add(new Request(index, 1, 1, Operation.COMMAND, new byte[0]));
		}
		LogEntry withManyRequests = LogEntry.create(CLUSTER_ID, 1, 1, 1, 0, many);
		assertThatIllegalArgumentException().isThrownBy(() -> LogEntryCodec.encode(withManyRequests))
			.withMessageContaining("batch fewer requests");
	}

	private static LogEntry sample() {
		List<Request> requests = List.of(new Request(11, 3, 4, Operation.COMMAND, new byte[] { 1, 2, 3, 4, 5 }),
				Request.register(12, 7), new Request(-1, Long.MAX_VALUE, Long.MAX_VALUE, Operation.COMMAND, new byte[300]));
		return LogEntry.create(CLUSTER_ID, 2, 7, 123_456_789, Checksums.root(CLUSTER_ID), requests);
	}

}
