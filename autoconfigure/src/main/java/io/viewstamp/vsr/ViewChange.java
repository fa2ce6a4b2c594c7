package io.viewstamp.vsr;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

import io.viewstamp.vsr.ReplicaMessage.DoViewChange;
import io.viewstamp.vsr.ReplicaMessage.RequestStartView;
import io.viewstamp.vsr.ReplicaMessage.StartView;
import io.viewstamp.vsr.ReplicaMessage.StartViewChange;
import org.jspecify.annotations.Nullable;

/**
 * The replica's view change (VSR Revisited, section 4.2, with TigerBeetle's hardening): a replica
 * that gives up on its view votes for the next with a start-view-change; once a quorum agrees, each
 * sends its log's claim (log view, op, head checksum, whether complete) in a do-view-change to the
 * new primary, whose view and log view are durable first. The new primary chooses the log of the
 * best complete claim, repairs its own to it, and starts the view; the others install its
 * start-view, repairing what they lack, and follow.
 *
 * <p>A room of {@link Replica}: it owns the votes, the chosen log, the start-view being installed
 * and the view change's timers, and reads and changes the state all rooms share (view, log view,
 * status, log) through the replica.
 */
final class ViewChange {

	private final Replica replica;

	/** How long a view change may take before the next view is tried; jittered. */
	private final Timeout viewChangeTimeout = new Timeout("view change", 0);

	private final Timeout viewChangeResendTimeout;

	private final boolean[] startViewChangeVotes;

	private final TreeMap<Integer, DoViewChange> doViewChangeVotes = new TreeMap<>();

	private boolean doViewChangeSent;

	/** Whether this replica knows the view has started and only waits for its start-view. */
	private boolean awaitingStartView;

	/** The start-view being installed, while its log is repaired; {@code null} otherwise. */
	private @Nullable StartView startViewInstalling;

	/** The chosen do-view-change, while the new primary repairs its log to it; {@code null} otherwise. */
	private @Nullable DoViewChange viewChangeWinner;

	private long viewChangeCommit;

	ViewChange(Replica replica, Cluster cluster, ReplicaOptions options) {
		this.replica = replica;
		this.viewChangeResendTimeout = new Timeout("view change resend", options.resendIntervalTicks());
		this.startViewChangeVotes = new boolean[Cluster.REPLICAS_MAX];
	}

	/** The repair of the log a view starts from made progress: the view change is not stuck. */
	void progressed() {
		this.viewChangeTimeout.start(this.replica.ticks);
	}

	/** Whether this replica has voted (sent its do-view-change) and still waits for the view to start. */
	boolean hasVotedAndWaits() {
		return this.doViewChangeSent && !this.awaitingStartView;
	}

	/** The start-view's log is repaired: install it and follow the new primary. */
	void startViewRepaired() {
		StartView startView = Objects.requireNonNull(this.startViewInstalling, "its repair started with a start-view");
		Invariants.check(installLog(startView.entries(), startView.op(), startView.headChecksum()),
				"a repaired log connects to its start-view");
		becomeBackup();
	}

	/** The new primary's log is repaired to the chosen one: install it and start the view. */
	void chosenLogRepaired() {
		DoViewChange winner = Objects.requireNonNull(this.viewChangeWinner, "its repair started with a chosen log");
		Invariants.check(installLog(winner.entries(), winner.op(), winner.headChecksum()),
				"a repaired log connects to the chosen log");
		becomePrimary();
	}

	/** Gives up on the current view and moves to {@code newView}. */
	void start(long newView) {
		Replica replica = this.replica;
		Invariants.check(newView > replica.view, "view change to %d from view %d", newView, replica.view);
		Invariants.check(replica.status != Status.RECOVERING, "a recovering replica takes no part in view changes");
		replica.view = newView;
		replica.status = Status.VIEW_CHANGE;
		beginRound();
		replica.writeSuperblock();
		replica.broadcast(new StartViewChange(replica.view, replica.index));
		sendDoViewChange();
	}

	void beginRound() {
		Replica replica = this.replica;
		this.viewChangeTimeout.start(replica.ticks);
		this.viewChangeResendTimeout.start(replica.ticks);
		this.viewChangeTimeout.jitter(replica.options.viewChangeTimeoutTicks(), replica.random);
		Arrays.fill(this.startViewChangeVotes, false);
		this.startViewChangeVotes[replica.index] = true;
		this.doViewChangeVotes.clear();
		this.doViewChangeSent = false;
		this.awaitingStartView = false;
		this.startViewInstalling = null;
		this.viewChangeWinner = null;
		replica.repairs.cancel();
		replica.pipeline.reset();
		replica.transfer.reset();
		// A change asked of the old view's primary and not yet prepared is given up with its view (one
		// kept would refuse every later change and hand-over, and its asker would wait forever).
		replica.reconfiguration.reset();
		replica.backup.reset();
	}

	/**
	 * A replica that is not a member of its new epoch's configuration moves to the epoch's first
	 * view and takes no part in it: it casts no vote, starts no view change, and follows only if a
	 * primary makes it a learner again.
	 */
	void leave(long newView) {
		Replica replica = this.replica;
		Invariants.check(!replica.isMember() && newView > replica.view, "replica %d leaves for view %d from view %d",
				replica.index, newView, replica.view);
		replica.view = newView;
		replica.status = Status.VIEW_CHANGE;
		beginRound();
		this.awaitingStartView = true;
		replica.writeSuperblock();
	}

	/** Moves to a view that has already started elsewhere, and asks its primary for the log. */
	void awaitStartView(long newView) {
		Replica replica = this.replica;
		if (newView > replica.view) {
			replica.view = newView;
			replica.status = Status.VIEW_CHANGE;
			beginRound();
			replica.writeSuperblock();
		}
		if (!this.awaitingStartView) {
			this.awaitingStartView = true;
			replica.outbox.send(replica.primaryIndex(), new RequestStartView(replica.view, replica.index));
		}
	}

	void onStartViewChange(StartViewChange message) {
		Replica replica = this.replica;
		if (replica.status == Status.RECOVERING || message.view() < replica.view || !replica.isMember()) {
			return;
		}
		if (message.view() > replica.view) {
			start(message.view());
		}
		if (replica.status == Status.VIEW_CHANGE) {
			this.startViewChangeVotes[message.replica()] = true;
			sendDoViewChange();
		}
	}

	/**
	 * Votes for the new primary once a quorum gave up on the old view, and only after this replica's
	 * view is durable: a vote forgotten in a crash could let the old view commit behind our back.
	 */
	void sendDoViewChange() {
		Replica replica = this.replica;
		// Only a member votes, and only with the op that started its epoch in its log: the previous
		// configuration's quorums need not meet this one's, so it is that op that carries what they committed.
		if (replica.status != Status.VIEW_CHANGE || this.doViewChangeSent || this.awaitingStartView || !replica.peerHeard
				|| !replica.isMember() || !replica.epochs.holdsEpochStart()
				|| (replica.superblockDurable.view() < replica.view
						&& replica.rules.votesOnlyOnceViewDurable())) {
			return;
		}
		int votes = 0;
		for (int position = 0; position < replica.configuration.size(); position++) {
			votes += this.startViewChangeVotes[replica.configuration.member(position)] ? 1 : 0;
		}
		if (votes < quorum()) {
			return;
		}
		this.doViewChangeSent = true;
		castVote();
	}

	void castVote() {
		Replica replica = this.replica;
		DoViewChange vote = doViewChange();
		if (replica.isPrimaryOf(replica.view)) {
			onDoViewChange(vote);
		}
		else {
			replica.outbox.send(replica.primaryIndex(), vote);
		}
	}

	private DoViewChange doViewChange() {
		Replica replica = this.replica;
		if (replica.faultyHead != null && replica.faultyHead.op() > replica.log.op()) {
			// What this replica acknowledged reaches its faulty head: it claims that much, or a longer
			// log it helped commit could lose to a shorter one, and says it can not supply it.
			return new DoViewChange(replica.view, replica.index, replica.logView, replica.faultyHead.op(),
					replica.faultyHead.checksum(), replica.commit, false, entries());
		}
		return new DoViewChange(replica.view, replica.index, replica.logView, replica.log.op(),
				replica.log.headChecksum(), replica.commit, true, entries());
	}

	void onDoViewChange(DoViewChange message) {
		Replica replica = this.replica;
		if (replica.status == Status.RECOVERING || message.view() < replica.view || !replica.isPrimaryOf(message.view())) {
			return;
		}
		if (message.view() > replica.view) {
			start(message.view());
		}
		if (replica.status == Status.NORMAL) {
			// The view has started; the sender missed the start-view.
			replica.outbox.send(message.replica(), startView());
			return;
		}
		if (this.awaitingStartView || this.viewChangeWinner != null) {
			return;
		}
		this.doViewChangeVotes.put(message.replica(), message);
		if (message.replica() != replica.index) {
			// A vote implies its sender gave up on the old view; our own vote may follow now, and
			// that (nested) call may already have chosen the log.
			this.startViewChangeVotes[message.replica()] = true;
			sendDoViewChange();
		}
		if (replica.status == Status.VIEW_CHANGE && this.viewChangeWinner == null
				&& this.doViewChangeVotes.size() >= quorum()
				&& this.doViewChangeVotes.containsKey(replica.index)) {
			chooseLog();
		}
	}

	/**
	 * The paper's rule: the log of the vote with the highest log view, then the highest op. The
	 * commit number is the highest any vote carries; every op up to it is in the chosen log. When
	 * the best log is one its voter can not supply (its journal was damaged), ops in it may be
	 * committed and nothing else holds them for sure: the choice waits for another vote, or for
	 * the next view.
	 */
	private void chooseLog() {
		Replica replica = this.replica;
		DoViewChange winner = null;
		long commitMax = 0;
		for (DoViewChange vote : this.doViewChangeVotes.values()) {
			commitMax = Math.max(commitMax, vote.commit());
			if (winner == null || ranksAbove(vote, winner)) {
				winner = vote;
			}
		}
		Objects.requireNonNull(winner, "a quorum of votes is in");
		if (!winner.complete()) {
			return;
		}
		Invariants.check(commitMax <= winner.op() || !replica.rules.stopsBeforeLosingCommittedOps(),
				"view %d: committed op %d is missing from the chosen log (head %d)", replica.view, commitMax, winner.op());
		this.viewChangeWinner = winner;
		this.viewChangeCommit = commitMax;
		if (installLog(winner.entries(), winner.op(), winner.headChecksum())) {
			becomePrimary();
		}
		else {
			replica.repairs.start(replica.commit + 1, winner.op(), winner.headChecksum(), commitMax, winner.replica(),
					RepairPurpose.BECOME_PRIMARY);
		}
	}

	private int quorum() {
		Replica replica = this.replica;
		return this.replica.rules.viewChangeQuorum(this.replica.configuration);
	}

	private boolean ranksAbove(DoViewChange vote, DoViewChange best) {
		Replica replica = this.replica;
		if (replica.rules.ranksLogViewFirst() && vote.logView() != best.logView()) {
			return vote.logView() > best.logView();
		}
		if (vote.op() != best.op()) {
			return vote.op() > best.op();
		}
		if (vote.complete() != best.complete()) {
			// The same claim: take the log that can be supplied.
			return vote.complete();
		}
		// Equal rank: prefer our own log, which needs no repair.
		return vote.replica() == replica.index;
	}

	private void becomePrimary() {
		Replica replica = this.replica;
		Invariants.check(replica.status == Status.VIEW_CHANGE && replica.isPrimaryOf(replica.view),
				"only the new primary starts a view");
		DoViewChange winner = Objects.requireNonNull(this.viewChangeWinner, "a new primary starts from a chosen log");
		Invariants.check(replica.log.contains(winner.op(), winner.headChecksum()),
				"the new primary's log must end with the chosen log");
		forgetFaultyHead();
		replica.status = Status.NORMAL;
		replica.logView = replica.view;
		this.viewChangeWinner = null;
		replica.repairs.cancel();
		replica.pipeline.startView(replica.log.op());
		replica.commitKnown = Math.max(replica.commitKnown, this.viewChangeCommit);
		replica.writeSuperblock();
		replica.applyCommitted(true);
		// The requests of ops not handed to the applier yet are in flight; those of the ops it has were
		// settled with the client table already, and would never be cleared.
		for (long op = replica.execution.handedOp() + 1; op <= replica.log.op(); op++) {
			LogEntry entry = Objects.requireNonNull(replica.log.entry(op), "the log holds the ops past the handed one");
			for (Request request : entry.requests()) {
				if (request.operation() != Operation.RECONFIGURE) {
					replica.pipeline.markInFlight(request);
				}
			}
		}
		replica.broadcast(startView());
		replica.pipeline.commitPrepared();
	}

	private StartView startView() {
		Replica replica = this.replica;
		return new StartView(replica.view, replica.index, replica.log.op(), replica.log.headChecksum(), replica.commit,
				entries());
	}

	/**
	 * The newest entries a view-change message carries, within its bounds: a replica that can not
	 * connect them to its own log repairs the rest from the sender.
	 */
	private List<LogEntry> entries() {
		Replica replica = this.replica;
		return replica.log.newest(replica.options.viewChangeEntriesMax(), 1, replica.options.messageEntriesBytesMax());
	}

	void onRequestStartView(RequestStartView message) {
		Replica replica = this.replica;
		if (replica.status == Status.NORMAL && message.view() == replica.view && replica.isPrimary()) {
			replica.outbox.send(message.replica(), startView());
		}
	}

	void onStartView(StartView message) {
		Replica replica = this.replica;
		if (replica.status == Status.RECOVERING || message.view() < replica.view
				|| (message.view() == replica.view && replica.status == Status.NORMAL)
				|| message.replica() != replica.configuration.primaryOf(message.view())) {
			return;
		}
		if (message.view() > replica.view) {
			// The new view must be durable before the log changes for it (see Storage's order).
			replica.view = message.view();
			replica.status = Status.VIEW_CHANGE;
			beginRound();
			replica.writeSuperblock();
		}
		if (installLog(message.entries(), message.op(), message.headChecksum())) {
			this.startViewInstalling = message;
			becomeBackup();
		}
		else if (!replica.repairs.isActive(RepairPurpose.INSTALL_START_VIEW) || reachesFurther(message)) {
			// A copy of the start-view that arrives during its repair is dropped unless it reaches
			// further: the repair completes the one it is anchored on, and that log is a prefix of the
			// primary's as much as the newer one. But the primary may meanwhile compact its log past
			// that anchor into a snapshot; then no one holds the anchor and the repair would wait
			// forever (a replica being added, which takes part in no view change, for good). The
			// newer copy's head is one the primary holds. Any other repair (of a corrupt entry, say)
			// gives way too: the view's log supersedes it.
			this.startViewInstalling = message;
			replica.repairs.start(replica.commit + 1, message.op(), message.headChecksum(), message.commit(), message.replica(),
					RepairPurpose.INSTALL_START_VIEW);
			if (!replica.rules.takesLogViewOnlyOnceRepaired()) {
				replica.logView = replica.view;
				replica.writeSuperblock();
			}
			if (!replica.rules.appliesOnlyWithinRepairedLog()) {
				replica.commitKnown = Math.max(replica.commitKnown, message.commit());
				replica.applyCommitted(false);
			}
		}
	}

	/** Whether {@code message} is a copy of the start-view being installed whose log reaches further. */
	private boolean reachesFurther(StartView message) {
		StartView installing = this.startViewInstalling;
		return installing != null && installing.view() == message.view() && message.op() > installing.op();
	}

	private void becomeBackup() {
		Replica replica = this.replica;
		StartView startView = Objects.requireNonNull(this.startViewInstalling, "a backup starts from a start-view");
		Invariants.check(replica.log.contains(startView.op(), startView.headChecksum()),
				"the backup's log must end with the start-view's log");
		this.startViewInstalling = null;
		// A later copy of the start-view may have connected before the repair finished.
		replica.repairs.cancel();
		forgetFaultyHead();
		replica.status = Status.NORMAL;
		replica.logView = replica.view;
		this.awaitingStartView = false;
		replica.primaryTimeout.start(replica.ticks);
		replica.resetPrimaryTimeout();
		replica.writeSuperblock();
		replica.backup.learnCommit(startView.commit());
		replica.backup.sendPrepareOk();
	}

	/**
	 * The view's whole log is ours now: whatever a corrupt journal entry held is in it, if it counts.
	 */
	private void forgetFaultyHead() {
		Replica replica = this.replica;
		if (replica.faultyHead != null && replica.faultyHead.op() > replica.log.op()
				&& replica.rules.cutsJournalBeyondLog()) {
			// The journal still holds the entries after the corrupt one, up to the faulty head; the
			// view's log ends before them, and a restart must not read them back as part of it.
			replica.storage.truncateAfter(replica.log.op());
		}
		replica.faultyHead = null;
	}

	/**
	 * Makes the log end with {@code headOp}/{@code headChecksum}, using {@code entries} (the newest
	 * entries of that log) where our own log differs. Returns false when our log does not connect
	 * to the first of them, so a repair must bring the missing entries first.
	 */
	private boolean installLog(List<LogEntry> entries, long headOp, long headChecksum) {
		Replica replica = this.replica;
		if (!replica.log.contains(headOp, headChecksum)) {
			boolean chainChecked = replica.rules.checksHashChains();
			if (chainChecked && !isChain(entries, headOp, headChecksum)) {
				return false;
			}
			// Entries at or below our base are committed and in our snapshot already.
			List<LogEntry> above = entries.stream().filter((entry) -> entry.op() > replica.log.baseOp()).toList();
			if (above.isEmpty() || above.get(0).op() - 1 > replica.log.op()
					|| (chainChecked && !replica.log.contains(above.get(0).op() - 1, above.get(0).parent()))) {
				return false;
			}
			for (LogEntry entry : above) {
				if (!replica.log.contains(entry.op(), entry.checksum())) {
					replica.replaceFrom(entry);
				}
			}
		}
		if (replica.log.op() > headOp) {
			replica.truncateAndWrite(headOp);
		}
		return true;
	}

	/**
	 * In the first view change of an epoch, the members not heard from yet may not know the epoch
	 * started (a new member that was no learner, a start-epoch lost): they are told again, since a
	 * replica that has not entered the epoch sends its members nothing that would be answered.
	 */
	private void tellSilentMembersOfTheEpoch() {
		Replica replica = this.replica;
		Configuration configuration = replica.configuration;
		if (!replica.epochs.isEpochDurable()) {
			return;
		}
		for (int position = 0; position < configuration.size(); position++) {
			int member = configuration.member(position);
			if (member != replica.index && !this.startViewChangeVotes[member]) {
				replica.outbox.send(member, new ReplicaMessage.StartEpoch(replica.view, replica.index, configuration));
			}
		}
	}

	/** A replica no longer a member hands the news of the epoch on to the members not known to have entered it. */
	private void tellMembersNotEntered() {
		Replica replica = this.replica;
		Configuration configuration = replica.configuration;
		if (configuration.startOp() == 0 || replica.epochs.hasLeft() || !replica.epochs.isEpochDurable()) {
			return;
		}
		for (int position = 0; position < configuration.size(); position++) {
			int member = configuration.member(position);
			if ((replica.epochs.membersEntered & (1 << member)) == 0) {
				replica.outbox.send(member, new ReplicaMessage.StartEpoch(replica.view, replica.index, configuration));
			}
		}
	}

	private boolean isChain(List<LogEntry> entries, long headOp, long headChecksum) {
		if (entries.isEmpty()) {
			return false;
		}
		LogEntry previous = null;
		for (LogEntry entry : entries) {
			if (!entry.isIntact(this.replica.cluster.clusterId())
					|| (previous != null && (entry.op() != previous.op() + 1 || entry.parent() != previous.checksum()))) {
				return false;
			}
			previous = entry;
		}
		LogEntry head = entries.get(entries.size() - 1);
		return head.op() == headOp && head.checksum() == headChecksum;
	}

	void tick() {
		Replica replica = this.replica;
		if (!replica.isMember()) {
			// It waits to be told: a start-view if a primary makes it a learner, a start-epoch if one adds it.
			// Meanwhile one that a change removed tells the new members until a quorum of them entered.
			this.viewChangeTimeout.start(replica.ticks);
			if (this.viewChangeResendTimeout.fired(replica.ticks)) {
				this.viewChangeResendTimeout.start(replica.ticks);
				tellMembersNotEntered();
				if (this.awaitingStartView) {
					// The primary answers only once a change makes this replica its learner; until then
					// it ignores the question. (Its prepares alone would not do: a replica changing views
					// takes none, and it asks on a prepare only of a view newer than its own.)
					replica.outbox.send(replica.primaryIndex(), new RequestStartView(replica.view, replica.index));
				}
			}
			return;
		}
		if (this.viewChangeTimeout.fired(replica.ticks)) {
			start(replica.view + 1);
			return;
		}
		if (this.viewChangeResendTimeout.fired(replica.ticks)) {
			this.viewChangeResendTimeout.start(replica.ticks);
			if (this.awaitingStartView || this.startViewInstalling != null) {
				replica.outbox.send(replica.primaryIndex(), new RequestStartView(replica.view, replica.index));
			}
			else {
				replica.broadcast(new StartViewChange(replica.view, replica.index));
				if (this.doViewChangeSent && !replica.isPrimaryOf(replica.view)) {
					replica.outbox.send(replica.primaryIndex(), doViewChange());
				}
				if (replica.view == replica.configuration.firstView() && replica.configuration.startOp() > 0) {
					tellSilentMembersOfTheEpoch();
				}
			}
		}
	}

}
