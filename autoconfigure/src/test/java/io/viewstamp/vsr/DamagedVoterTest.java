package io.viewstamp.vsr;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.viewstamp.vsr.ReplicaMessage.DoViewChange;
import io.viewstamp.vsr.ReplicaMessage.StartView;
import io.viewstamp.vsr.ReplicaMessage.StartViewChange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replica whose journal was damaged below its newest entry (a torn batch after a power loss, bit
 * rot) still votes in a view change: it claims the log it acknowledged, up to that newest entry,
 * and says it can not supply it. Found by the simulator: with one replica down and the other
 * damaged, the damaged one used to withhold its vote until it had repaired its journal, anchored on
 * an entry of a log that a newer view had replaced, which no replica held any more; no quorum ever
 * voted, and the cluster stayed in a view change for good.
 */
class DamagedVoterTest {

	private static final long CLUSTER_ID = 13;

	private static final Cluster CLUSTER = new Cluster(CLUSTER_ID, 3);

	/** Ops 1 to 6 of view 1, each the registration of client {@code op}. */
	private static final List<LogEntry> VIEW_1_LOG = RegistrationLogs.chain(CLUSTER_ID, 6);

	private final RecordedIo io = new RecordedIo();

	@Test
	void aDamagedReplicaWhoseLogIsOutrankedVotesAndStartsTheViewWithTheBetterLog() {
		// Replica 2 held ops 1 to 6 of view 1 and lost op 4 to a torn write. Meanwhile view 3 (which
		// it missed) replaced ops 4 to 6 with ops 4 to 8 of its own: nobody holds op 6 of view 1 now.
		Replica damaged = damagedReplica(1, 1, VIEW_1_LOG);
		List<LogEntry> view3Log = extend(VIEW_1_LOG.subList(0, 3), 3, 8);

		changeToView5(damaged);
		damaged.receive(new DoViewChange(5, 0, 3, 8, view3Log.get(7).checksum(), 3, true, view3Log));

		assertThat(damaged.status()).as("the view change completes with the two replicas up").isEqualTo(Status.NORMAL);
		assertThat(damaged.view()).isEqualTo(5);
		assertThat(damaged.op()).isEqualTo(8);
		assertThat(this.io.sent).filteredOn(StartView.class::isInstance)
			.map(StartView.class::cast)
			.anySatisfy((startView) -> assertThat(startView.headChecksum()).isEqualTo(view3Log.get(7).checksum()));
	}

	@Test
	void aDamagedReplicaWhoseClaimRanksHighestHoldsTheViewChangeUntilACompleteVoteOutranksTheRest() {
		// Replica 2 holds ops 1 to 8 of view 3, with op 5 lost; replica 0 holds the older, shorter
		// log of view 1. Ops 5 to 8 may be committed (replicas 1 and 2 acknowledged them): choosing
		// replica 0's log could lose them, and replica 2 can not supply its own.
		List<LogEntry> view3Log = extend(VIEW_1_LOG.subList(0, 3), 3, 8);
		Replica damaged = damagedReplica(3, 5, view3Log);

		changeToView5(damaged);
		damaged.receive(new DoViewChange(5, 0, 1, 6, VIEW_1_LOG.get(5).checksum(), 3, true, VIEW_1_LOG));
		assertThat(damaged.status()).as("no view starts with a log that may lack committed ops")
			.isEqualTo(Status.VIEW_CHANGE);
		assertThat(this.io.sent).noneMatch(StartView.class::isInstance);

		// Replica 1 comes back with the full log of view 3: that one is chosen.
		damaged.receive(new DoViewChange(5, 1, 3, 8, view3Log.get(7).checksum(), 3, true, view3Log));
		assertThat(damaged.status()).isEqualTo(Status.NORMAL);
		assertThat(damaged.op()).isEqualTo(8);
		assertThat(this.io.sent).filteredOn(StartView.class::isInstance)
			.map(StartView.class::cast)
			.anySatisfy((startView) -> assertThat(startView.headChecksum()).isEqualTo(view3Log.get(7).checksum()));
	}

	/**
	 * Replica 2 of 3, restarted with {@code log} in its journal under log view {@code logView},
	 * except the entry at {@code lostOp}, which storage found corrupt.
	 */
	private Replica damagedReplica(long logView, long lostOp, List<LogEntry> log) {
		List<LogEntry> journal = new ArrayList<>(log);
		journal.removeIf((entry) -> entry.op() == lostOp);
		DurableState state = new DurableState(new Superblock(CLUSTER_ID, 2, 3, logView, logView, 3), null, journal,
				List.of(lostOp));
		Replica replica = Replica.restart(CLUSTER, 2, ReplicaOptions.defaults(), state, this.io.storage(),
				this.io.outbox(), RegistrationLogs.NO_COMMANDS, new SplittableRandom(1));
		assertThat(replica.op()).isEqualTo(lostOp - 1);
		return replica;
	}

	/** Replica 0 starts the change to view 5, whose primary the damaged replica 2 is. */
	private void changeToView5(Replica damaged) {
		damaged.receive(new StartViewChange(5, 0));
		damaged.onSuperblockWritten(this.io.lastSuperblock());
		assertThat(damaged.status()).isEqualTo(Status.VIEW_CHANGE);
	}

	/** {@code prefix} followed by ops up to {@code lastOp} of {@code view}, registrations of other clients. */
	private static List<LogEntry> extend(List<LogEntry> prefix, long view, long lastOp) {
		List<LogEntry> log = new ArrayList<>(prefix);
		LogEntry head = prefix.get(prefix.size() - 1);
		for (long op = head.op() + 1; op <= lastOp; op++) {
			head = LogEntry.create(CLUSTER_ID, view, op, op * 10 + 5, head.checksum(),
					List.of(Request.register(100 + op, op)));
			log.add(head);
		}
		return log;
	}

}
