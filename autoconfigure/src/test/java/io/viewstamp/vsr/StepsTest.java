package io.viewstamp.vsr;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A step of the loop that drives a replica ({@link Replica#startStep}): what arrives together is
 * prepared and acknowledged once, at the step's end, and nothing waits beyond it. Outside a step
 * each request is its own prepare and each durable entry its own acknowledgement.
 */
class StepsTest {

	private static final long CLUSTER_ID = 17;

	private final RecordedIo io = new RecordedIo();

	@Test
	void requestsTakenInOneStepShareOnePrepare() {
		Replica primary = aloneAndNormal();
		int writtenBefore = this.io.written.size();

		primary.startStep();
		for (long client = 101; client <= 103; client++) {
			primary.receive(Request.register(client, 1));
		}
		assertThat(this.io.written).as("nothing is prepared before the step ends").hasSize(writtenBefore);
		primary.endStep();

		List<LogEntry> prepared = this.io.written.subList(writtenBefore, this.io.written.size());
		assertThat(prepared).as("one op for the step's three requests").hasSize(1);
		assertThat(prepared.get(0).requests()).extracting(Request::clientId).containsExactly(101L, 102L, 103L);
	}

	@Test
	void requestsTakenOutsideAStepArePreparedOneByOne() {
		Replica primary = aloneAndNormal();
		int writtenBefore = this.io.written.size();

		for (long client = 101; client <= 103; client++) {
			primary.receive(Request.register(client, 1));
		}

		assertThat(this.io.written.subList(writtenBefore, this.io.written.size())).hasSize(3)
			.allSatisfy((entry) -> assertThat(entry.requests()).hasSize(1));
	}

	@Test
	void aBackupAcknowledgesTheEntriesOfOneStepOnce() {
		Replica backup = normalBackup();
		List<LogEntry> entries = prepare(backup, 3);

		backup.startStep();
		for (LogEntry entry : entries) {
			backup.onEntryWritten(entry.op(), entry.checksum());
		}
		assertThat(this.io.sent(ReplicaMessage.PrepareOk.class)).as("nothing is acknowledged before the step ends")
			.isEmpty();
		backup.endStep();

		assertThat(this.io.sent(ReplicaMessage.PrepareOk.class)).extracting(ReplicaMessage.PrepareOk::op)
			.as("one acknowledgement, of the highest op, which stands for those before it")
			.containsExactly(entries.get(2).op());
	}

	@Test
	void aBackupAcknowledgesEachEntryWrittenOutsideAStep() {
		Replica backup = normalBackup();
		List<LogEntry> entries = prepare(backup, 3);

		for (LogEntry entry : entries) {
			backup.onEntryWritten(entry.op(), entry.checksum());
		}

		assertThat(this.io.sent(ReplicaMessage.PrepareOk.class)).extracting(ReplicaMessage.PrepareOk::op)
			.containsExactly(entries.get(0).op(), entries.get(1).op(), entries.get(2).op());
	}

	@Test
	void stepsDoNotNest() {
		Replica backup = normalBackup();
		backup.startStep();
		assertThatIllegalStateException().isThrownBy(backup::startStep);
	}

	/** A cluster of one: its only replica restarts, leads its view alone, and serves. */
	private Replica aloneAndNormal() {
		Replica replica = Replica.restart(new Cluster(CLUSTER_ID, 1), 0, ReplicaOptions.defaults(),
				new DurableState(new Superblock(CLUSTER_ID, 0, 1, 1, 1, 0), RegistrationLogs.chain(CLUSTER_ID, 3)),
				this.io.storage(), this.io.outbox(), RegistrationLogs.NO_COMMANDS, new SplittableRandom(1));
		for (int tick = 0; tick < 1_000 && !(replica.status() == Status.NORMAL && replica.commit() == replica.op()); tick++) {
			Superblock asked = this.io.lastSuperblock();
			if (asked != null) {
				replica.onSuperblockWritten(asked);
			}
			for (LogEntry entry : List.copyOf(this.io.written)) {
				replica.onEntryWritten(entry.op(), entry.checksum());
			}
			replica.tick(tick);
		}
		assertThat(replica.status()).as("the replica leads its view").isEqualTo(Status.NORMAL);
		assertThat(replica.isPrimary()).isTrue();
		return replica;
	}

	/** Replica 0 of three, a backup in view 2 (replica 2 leads) whose view and log view are durable. */
	private Replica normalBackup() {
		List<LogEntry> log = RegistrationLogs.chain(CLUSTER_ID, 3);
		Replica backup = Replica.restart(new Cluster(CLUSTER_ID, 3), 0, ReplicaOptions.defaults(),
				new DurableState(new Superblock(CLUSTER_ID, 0, 3, 1, 1, 0), log), this.io.storage(), this.io.outbox(),
				RegistrationLogs.NO_COMMANDS, new SplittableRandom(1));
		LogEntry head = log.get(2);
		backup.receive(new ReplicaMessage.StartView(2, 2, 3, head.checksum(), 0, log));
		for (Superblock superblock : List.copyOf(this.io.superblocks)) {
			backup.onSuperblockWritten(superblock);
		}
		assertThat(backup.status()).isEqualTo(Status.NORMAL);
		this.io.sent.clear();
		return backup;
	}

	/** The primary of view 2 prepares {@code count} ops after op 3; the backup writes each. */
	private List<LogEntry> prepare(Replica backup, int count) {
		List<LogEntry> entries = new ArrayList<>();
		long parent = backup.log.checksum(backup.op());
		for (int index = 0; index < count; index++) {
			long op = backup.op() + 1;
			LogEntry entry = LogEntry.create(CLUSTER_ID, 2, op, 100 + op, parent, List.of(Request.register(200 + op, 1)));
			backup.receive(new ReplicaMessage.Prepare(2, 2, 3, entry));
			assertThat(backup.op()).as("the backup appended op %d", op).isEqualTo(op);
			entries.add(entry);
			parent = entry.checksum();
		}
		this.io.sent.clear();
		return entries;
	}

}
