package io.viewstamp.vsr;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replica whose newest snapshot was found corrupt restarts from an older one (or none), while its
 * journal was compacted behind the lost one and so begins after a gap. It once held every op up to
 * the journal's end and vouched for them; with the gap it holds none of them in its log. Found by
 * the simulator on the real storage: such a replica voted in a view change with an empty log under
 * its old log view, the new primary chose a log without an op it had helped commit, and two
 * different ops were committed at one op number. It must count itself damaged, as after a corrupt
 * journal entry: keep its journal, and until it has repaired up to the journal's end, vote only for
 * the log it vouched for, marked as one it can not supply.
 */
class LostSnapshotTest {

	private static final long CLUSTER_ID = 13;

	private static final Cluster CLUSTER = new Cluster(CLUSTER_ID, 3);

	private final RecordedIo io = new RecordedIo();

	@Test
	void aReplicaWhoseJournalBeginsAfterALostSnapshotKeepsItAndVotesForTheLogItCanNotSupply() {
		List<LogEntry> log = RegistrationLogs.chain(CLUSTER_ID, 6);
		// Ops 1 to 3 were compacted into the snapshot now lost; the journal holds ops 4 to 6.
		DurableState state = new DurableState(new Superblock(CLUSTER_ID, 0, 3, 1, 1, 6), null, log.subList(3, 6),
				List.of());
		Replica replica = Replica.restart(CLUSTER, 0, ReplicaOptions.defaults(), state, this.io.storage(),
				this.io.outbox(), RegistrationLogs.NO_COMMANDS, new SplittableRandom(1));
		assertThat(replica.op()).isZero();
		assertThat(this.io.truncatedAfter).as("the journal is evidence of what it vouched for").isEmpty();

		// Replica 2 starts the change to view 2 (whose primary it is); replica 0 joins it.
		replica.receive(new ReplicaMessage.StartViewChange(2, 2));
		// Its new view is durable: only its damage may hold its vote back now.
		replica.onSuperblockWritten(this.io.lastSuperblock());

		assertThat(replica.status()).isEqualTo(Status.VIEW_CHANGE);
		// A vote with an empty log under log view 1 would let op 6 be lost: the vote claims op 6, and
		// says it can not supply it, so that no view change chooses it.
		assertThat(this.io.sent).filteredOn(ReplicaMessage.DoViewChange.class::isInstance)
			.singleElement()
			.isInstanceOfSatisfying(ReplicaMessage.DoViewChange.class, (vote) -> {
				assertThat(vote.logView()).isEqualTo(1);
				assertThat(vote.op()).isEqualTo(6);
				assertThat(vote.headChecksum()).isEqualTo(log.get(5).checksum());
				assertThat(vote.complete()).isFalse();
				assertThat(vote.entries()).isEmpty();
			});
	}

}
