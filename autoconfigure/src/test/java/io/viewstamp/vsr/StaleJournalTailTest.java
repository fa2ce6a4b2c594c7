package io.viewstamp.vsr;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Journal entries past the head of the log a replica holds must not stay on disk: rewriting the
 * entry they name as their parent makes them chain again, and a restart would read them back as
 * part of whatever log the replica holds by then, under its new log view. (Found by the simulator:
 * a replica with a corrupt journal entry installed a view's shorter log, restarted, and read a stale
 * op of an older view back as the new view's.)
 */
class StaleJournalTailTest {

	private static final long CLUSTER_ID = 11;

	private static final Cluster CLUSTER = new Cluster(CLUSTER_ID, 3);

	private final RecordedIo io = new RecordedIo();

	@Test
	void entriesPastTheIntactChainAreTruncatedWhenTheReplicaRestarts() {
		List<LogEntry> chain = RegistrationLogs.chain(CLUSTER_ID, 3);
		LogEntry stranger = LogEntry.create(CLUSTER_ID, 1, 4, 40, 12345, List.of(Request.register(4, 4)));
		List<LogEntry> journal = new ArrayList<>(chain);
		journal.add(stranger);
		journal.add(LogEntry.create(CLUSTER_ID, 1, 5, 50, stranger.checksum(), List.of(Request.register(5, 5))));

		Replica replica = restart(new DurableState(new Superblock(CLUSTER_ID, 0, 3, 1, 1, 0), journal));

		assertThat(replica.op()).isEqualTo(3);
		assertThat(this.io.truncatedAfter).containsExactly(3L);
	}

	@Test
	void aViewsShorterLogTruncatesTheEntriesAfterACorruptOne() {
		List<LogEntry> journal = RegistrationLogs.chain(CLUSTER_ID, 6);
		// Op 2 is corrupt on disk (the storage reports it faulty and leaves it out): the replica loads
		// op 1 and knows its journal reaches op 6.
		List<LogEntry> readable = new ArrayList<>(journal);
		readable.remove(1);
		DurableState state = new DurableState(new Superblock(CLUSTER_ID, 0, 3, 1, 1, 0), null, readable, List.of(2L));
		Replica replica = restart(state);
		assertThat(replica.op()).isEqualTo(1);
		assertThat(this.io.truncatedAfter).isEmpty();

		// View 2 (primary 2) kept ops 1 to 3 only: ops 4 to 6 were never committed.
		LogEntry head = journal.get(2);
		replica.receive(new ReplicaMessage.StartView(2, 2, 3, head.checksum(), 0, journal.subList(0, 3)));

		assertThat(replica.status()).isEqualTo(Status.NORMAL);
		assertThat(replica.op()).isEqualTo(3);
		assertThat(this.io.truncatedAfter).as("ops 4 to 6 leave the disk with the view's log").containsExactly(3L);
	}

	/**
	 * A cluster of one has no peer to repair a faulty op from (found by the simulator: after a power
	 * loss, the sectors of a batch never synced reached the disk out of order, a corrupt entry with an
	 * intact one after it, and the lone replica asked itself for the missing ones and stopped). It
	 * cuts its journal after the intact chain and goes on.
	 */
	@Test
	@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // Without the rule the lone replica looks for a peer other than itself without end.
	void aClusterOfOneCutsItsJournalAtAFaultyOpItCanNotRepair() {
		List<LogEntry> journal = new ArrayList<>(RegistrationLogs.chain(CLUSTER_ID, 6));
		journal.remove(2);
		DurableState state = new DurableState(new Superblock(CLUSTER_ID, 0, 1, 1, 1, 2), null, journal, List.of(3L));
		List<Integer> recipients = new ArrayList<>();
		Replica replica = Replica.restart(new Cluster(CLUSTER_ID, 1), 0, ReplicaOptions.defaults(), state, this.io.storage(),
				new Outbox() {

					@Override
					public void send(int to, ReplicaMessage message) {
						recipients.add(to);
					}

					@Override
					public void reply(Reply reply) {
					}

				}, RegistrationLogs.NO_COMMANDS, new SplittableRandom(1));
		for (int tick = 0; tick < 100; tick++) {
			replica.tick(tick);
		}

		assertThat(replica.op()).isEqualTo(2);
		assertThat(this.io.truncatedAfter).containsExactly(2L);
		assertThat(recipients).as("a lone replica sends nothing, to itself least of all").isEmpty();
	}

	private Replica restart(DurableState state) {
		return Replica.restart(CLUSTER, 0, ReplicaOptions.defaults(), state, this.io.storage(), this.io.outbox(),
				RegistrationLogs.NO_COMMANDS, new SplittableRandom(1));
	}

}
