package io.viewstamp.vsr;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backup acknowledges ops of a new view only once its new log view is durable, not its view
 * alone: after a crash in between it would come back claiming the older log view, and the next view
 * change could then prefer a longer stale log of that older view to the ops it helped commit.
 */
class AcknowledgementDurabilityTest {

	private static final long CLUSTER_ID = 13;

	private final RecordedIo io = new RecordedIo();


	@Test
	void aBackupAcknowledgesANewViewsOpsOnlyOnceItsLogViewIsDurable() {
		List<LogEntry> log = RegistrationLogs.chain(CLUSTER_ID, 3);
		Replica backup = Replica.restart(new Cluster(CLUSTER_ID, 3), 0, ReplicaOptions.defaults(),
				new DurableState(new Superblock(CLUSTER_ID, 0, 3, 1, 1, 0), log), this.io.storage(),
				this.io.outbox(), RegistrationLogs.NO_COMMANDS, new SplittableRandom(1));
		LogEntry newOp = LogEntry.create(CLUSTER_ID, 2, 4, 40, log.get(2).checksum(), List.of(Request.register(4, 4)));
		List<LogEntry> viewLog = new ArrayList<>(log);
		viewLog.add(newOp);

		backup.receive(new ReplicaMessage.StartView(2, 2, 4, newOp.checksum(), 0, viewLog));
		assertThat(backup.status()).isEqualTo(Status.NORMAL);
		assertThat(this.io.superblocks).extracting(Superblock::view, Superblock::logView)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(2L, 1L), org.assertj.core.groups.Tuple.tuple(2L, 2L));

		backup.onSuperblockWritten(this.io.superblocks.get(0));
		backup.onEntryWritten(4, newOp.checksum());
		assertThat(this.io.sent(ReplicaMessage.PrepareOk.class)).as("the view is durable, its log view is not").isEmpty();

		backup.onSuperblockWritten(this.io.superblocks.get(1));
		assertThat(this.io.sent(ReplicaMessage.PrepareOk.class)).extracting(ReplicaMessage.PrepareOk::view, ReplicaMessage.PrepareOk::op)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(2L, 4L));
	}

}
