package io.viewstamp.vsr;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every guard that drops a message names why, and the replica counts it, so that an operator sees
 * what a replica turns away ({@code replication.messages.ignored}, {@code /actuator/replication}).
 */
class IgnoredMessagesTest {

	private static final long CLUSTER_ID = 17;

	private final RecordedIo io = new RecordedIo();

	@Test
	void aBackupCountsWhatItTurnsAwayByReasonAndDoesNothingElseWithIt() {
		List<LogEntry> log = RegistrationLogs.chain(CLUSTER_ID, 3);
		// Replica 0 of three in view 1, whose primary is replica 1: a backup.
		Replica backup = Replica.restart(new Cluster(CLUSTER_ID, 3), 0, ReplicaOptions.defaults(),
				new DurableState(new Superblock(CLUSTER_ID, 0, 3, 1, 1, 3), log), this.io.storage(), this.io.outbox(),
				RegistrationLogs.NO_COMMANDS, new SplittableRandom(1));
		assertThat(backup.status()).isEqualTo(Status.NORMAL);
		assertThat(backup.isPrimary()).isFalse();
		int sentBefore = this.io.sent.size();

		backup.receive(new ReplicaMessage.Recovery(0, 2, 99));
		backup.receive(Request.register(8, 8));
		backup.receive(new ReplicaMessage.PrepareOk(1, 2, 3, log.get(2).checksum()));
		backup.receive(new ReplicaMessage.Commit(1, 2, 3, log.get(2).checksum()));
		backup.receive(new ReplicaMessage.Commit(1, 2, 3, log.get(2).checksum()));

		Map<IgnoreReason, Long> ignored = backup.ignoredMessages();
		assertThat(ignored).containsEntry(IgnoreReason.RECOVERY_NOT_ANSWERABLE, 1L)
			.containsEntry(IgnoreReason.REQUEST_NOT_SERVING, 1L)
			.containsEntry(IgnoreReason.PREPARE_OK_NOT_PRIMARY, 1L)
			.containsEntry(IgnoreReason.NOT_FROM_PRIMARY, 2L)
			.containsEntry(IgnoreReason.PREPARE_OK_UNKNOWN_ENTRY, 0L)
			.hasSize(IgnoreReason.values().length);
		assertThat(backup.ignoredMessagesTotal()).isEqualTo(5);
		assertThat(this.io.sent.subList(sentBefore, this.io.sent.size())).as("messages sent in answer").isEmpty();
		assertThat(backup.commit()).isEqualTo(3);
	}

	@Test
	void tagsAreDistinctWordsForMetersAndTheEndpoint() {
		assertThat(List.of(IgnoreReason.values())).extracting(IgnoreReason::tag)
			.doesNotHaveDuplicates()
			.allMatch((tag) -> tag.matches("[a-z]+(-[a-z]+)*"));
	}

}
