package io.viewstamp.vsr;

import java.util.TreeMap;

import io.viewstamp.vsr.ReplicaMessage.Recovery;
import io.viewstamp.vsr.ReplicaMessage.RecoveryResponse;

/**
 * The replica's recovery (VSR Revisited, section 4.3), both sides of it: a replica that lost its
 * state asks every peer with a fresh nonce, waits for a quorum of answers that include the primary's
 * of the newest view they name, and brings in that primary's log by a repair before it takes part
 * again; a normal replica answers such a request, its primary with its log's head and commit.
 *
 * <p>A room of {@link Replica}: it owns the round's fields and reads and changes the state all
 * rooms share through the replica.
 */
final class RecoveryHandler {

	private final Replica replica;

	private long nonce;

	/** How long a round may take, without progress, before it starts over with a new nonce. */
	private final Timeout timeout;

	private final Timeout resendTimeout;

	private final TreeMap<Integer, RecoveryResponse> responses = new TreeMap<>();

	/** The commit number of the primary's answer this replica recovers from. */
	private long primaryCommit;

	RecoveryHandler(Replica replica, ReplicaOptions options) {
		this.replica = replica;
		this.timeout = new Timeout("recovery", options.recoveryTimeoutTicks());
		this.resendTimeout = new Timeout("recovery resend", options.resendIntervalTicks());
	}

	/** Starts the recovery of a replica whose storage was lost: it knows no view and no log. */
	void start() {
		Replica replica = this.replica;
		replica.status = Status.RECOVERING;
		replica.view = 0;
		replica.logView = 0;
		replica.superblockDurable = new Superblock(replica.cluster.clusterId(), replica.index, replica.configuration, 0,
				0, 0);
		replica.superblockRequested = replica.superblockDurable;
		startRound();
	}

	private void startRound() {
		this.nonce = this.replica.random.nextLong();
		this.responses.clear();
		this.timeout.start(this.replica.ticks);
		this.resendTimeout.start(this.replica.ticks);
		this.replica.repairs.cancel();
		askEveryReplica();
	}

	/**
	 * Sends this round's request to every index of the cluster's index space: a replica that lost
	 * its state does not know the members (a change may have replaced the ones it knew), and an
	 * outbox drops what it can not deliver.
	 */
	private void askEveryReplica() {
		Replica replica = this.replica;
		for (int other = 0; other < Cluster.REPLICAS_MAX; other++) {
			if (other != replica.index) {
				replica.outbox.send(other, new Recovery(replica.view, replica.index, this.nonce));
			}
		}
	}

	void tick() {
		long now = this.replica.ticks;
		if (this.timeout.fired(now)) {
			startRound();
		}
		else if (!this.replica.repairs.isActive() && this.resendTimeout.fired(now)) {
			this.resendTimeout.start(now);
			askEveryReplica();
		}
	}

	/** The repair that brings in the primary's log made progress: a long log may take more than one timeout. */
	void progressed() {
		this.timeout.start(this.replica.ticks);
	}

	/** Answers a peer's request; only a normal replica that has heard its view's peers knows enough to. */
	void onRecovery(Recovery message) {
		Replica replica = this.replica;
		if (replica.status != Status.NORMAL || !replica.peerHeard) {
			replica.ignore(IgnoreReason.RECOVERY_NOT_ANSWERABLE);
			return;
		}
		RecoveryResponse response = replica.isPrimary()
				? new RecoveryResponse(replica.view, replica.index, message.nonce(), replica.log.op(),
						replica.log.headChecksum(), replica.commit, replica.configuration)
				: new RecoveryResponse(replica.view, replica.index, message.nonce(), -1, 0, -1, replica.configuration);
		replica.outbox.send(message.replica(), response);
	}

	/**
	 * The paper's rule: a quorum of answers to this nonce, among them the primary's of the highest
	 * view they name. The nonce makes sure the answers describe the world after we lost our state.
	 * The answers also say which configuration their senders are in: the recovering replica takes
	 * the newest (a member of a configuration has committed the change to it), and counts only the
	 * answers of its members.
	 */
	void onRecoveryResponse(RecoveryResponse message) {
		Replica replica = this.replica;
		if (replica.status != Status.RECOVERING || message.nonce() != this.nonce || replica.repairs.isActive()) {
			replica.ignore(IgnoreReason.RECOVERY_RESPONSE_STALE);
			return;
		}
		Configuration answered = message.configuration();
		if (answered.epoch() < replica.configuration.epoch() || !answered.contains(message.replica())
				|| !answered.hasView(message.view())) {
			replica.ignore(IgnoreReason.RECOVERY_RESPONSE_STALE);
			return;
		}
		if (answered.epoch() > replica.configuration.epoch()
				|| (this.responses.isEmpty() && !answered.sameMembers(replica.configuration))) {
			// A newer configuration: the answers of the older one count no more, and the next
			// resend asks the new members. (The configuration a replica without state starts from
			// is a guess, from its peer list: the first answer of its epoch replaces it when the
			// cluster was formed with other members.)
			replica.configuration = answered;
			this.responses.clear();
		}
		else if (!answered.sameMembers(replica.configuration)) {
			replica.ignore(IgnoreReason.RECOVERY_RESPONSE_STALE);
			return;
		}
		this.responses.put(message.replica(), message);
		if (this.responses.size() < replica.configuration.quorum()
				&& (replica.rules.recoversOnlyFromQuorum() || !message.fromPrimary())) {
			return;
		}
		long viewMax = 0;
		for (RecoveryResponse response : this.responses.values()) {
			viewMax = Math.max(viewMax, response.view());
		}
		RecoveryResponse primary = this.responses.get(replica.configuration.primaryOf(viewMax));
		if (primary == null || primary.view() != viewMax || !primary.fromPrimary()) {
			return;
		}
		replica.view = viewMax;
		this.primaryCommit = primary.commit();
		replica.repairs.start(replica.commit + 1, primary.op(), primary.headChecksum(), primary.commit(),
				primary.replica(), RepairPurpose.RECOVER);
	}

	/** The primary's log is in: the replica is a normal backup of the view it learned. */
	void finish() {
		Replica replica = this.replica;
		replica.status = Status.NORMAL;
		replica.logView = replica.view;
		replica.commitKnown = Math.max(replica.commitKnown, this.primaryCommit);
		replica.primaryTimeout.start(replica.ticks);
		replica.resetPrimaryTimeout();
		replica.writeSuperblock();
		replica.applyCommitted(false);
		replica.backup.sendPrepareOk();
	}

}
