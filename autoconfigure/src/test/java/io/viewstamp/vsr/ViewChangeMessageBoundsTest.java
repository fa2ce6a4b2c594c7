package io.viewstamp.vsr;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The entries a view-change or repair message carries are bounded in bytes, not only in count: a
 * log of the largest batches the primary builds must still fit one message, or no view could
 * start once such batches are in flight.
 */
class ViewChangeMessageBoundsTest {

	private static final long CLUSTER_ID = 7;

	@Test
	void aViewChangeOfTheLargestBatchesCarriesTheNewestEntriesWithinItsBytes() {
		ReplicaOptions options = ReplicaOptions.defaults();
		Log log = logOfLargestBatches(options.viewChangeEntriesMax() + 8, options.prepareRequestsMax());

		List<LogEntry> entries = log.newest(options.viewChangeEntriesMax(), 1, options.messageEntriesBytesMax());

		assertThat(entries).isNotEmpty().hasSizeLessThan(options.viewChangeEntriesMax());
		assertThat(encodedBytes(entries)).isLessThanOrEqualTo(options.messageEntriesBytesMax());
		assertThat(entries.get(entries.size() - 1).op()).isEqualTo(log.op());
	}

	@Test
	void smallEntriesAreCarriedUpToTheCount() {
		ReplicaOptions options = ReplicaOptions.defaults();
		Log log = new Log(CLUSTER_ID);
		append(log, options.viewChangeEntriesMax() + 8, 1, 10);

		assertThat(log.newest(options.viewChangeEntriesMax(), 1, options.messageEntriesBytesMax()))
			.hasSize(options.viewChangeEntriesMax());
	}

	@Test
	void theNewestCountMinIsCarriedWhateverItsBytes() {
		Log log = new Log(CLUSTER_ID);
		append(log, 10, 1, 1000);

		assertThat(log.newest(10, 4, 1)).hasSize(4);
		assertThat(log.newest(10, 1, 1)).hasSize(1).first().extracting(LogEntry::op).isEqualTo(10L);
	}

	@Test
	void aRepairAnswerStopsAtItsBytesButCarriesAtLeastOneEntry() {
		ReplicaOptions options = ReplicaOptions.defaults();
		Log log = logOfLargestBatches(20, 1);

		List<LogEntry> answer = log.range(1, 20, options.messageEntriesBytesMax());

		assertThat(answer).isNotEmpty().hasSizeLessThan(20);
		assertThat(answer.get(0).op()).isEqualTo(1);
		assertThat(encodedBytes(answer)).isLessThanOrEqualTo(options.messageEntriesBytesMax());
		assertThat(log.range(3, 20, 1)).hasSize(1).first().extracting(LogEntry::op).isEqualTo(3L);
	}

	@Test
	void aBoundBeyondWhatOneMessageCarriesIsRefused() {
		assertThatExceptionOfType(Invariants.InvariantViolation.class)
			.isThrownBy(() -> ReplicaOptions.builder()
				.messageEntriesBytesMax(ReplicaOptions.MESSAGE_ENTRIES_BYTES_LIMIT + 1)
				.build())
			.withMessageContaining("messageEntriesBytesMax");
	}

	/** Entries as large as the primary builds: {@code requests} requests sharing the largest batch body. */
	private static Log logOfLargestBatches(int count, int requests) {
		Log log = new Log(CLUSTER_ID);
		append(log, count, requests, Replica.PREPARE_BODY_BYTES_MAX / requests);
		return log;
	}

	private static void append(Log log, int count, int requests, int bodyBytes) {
		for (int index = 0; index < count; index++) {
			List<Request> batch = new ArrayList<>(requests);
			for (int request = 0; request < requests; request++) {
				batch.add(new Request(1000 + request, 1, 1 + index, Operation.COMMAND, new byte[bodyBytes]));
			}
			long op = log.op() + 1;
			log.append(LogEntry.create(CLUSTER_ID, 1, op, op, log.checksum(log.op()), batch));
		}
	}

	private static long encodedBytes(List<LogEntry> entries) {
		return entries.stream().mapToLong(LogEntryCodec::encodedSizeBytes).sum();
	}

}
