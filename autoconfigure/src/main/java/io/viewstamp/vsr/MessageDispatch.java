package io.viewstamp.vsr;

import io.viewstamp.vsr.ReplicaMessage.Commit;
import io.viewstamp.vsr.ReplicaMessage.DoViewChange;
import io.viewstamp.vsr.ReplicaMessage.Prepare;
import io.viewstamp.vsr.ReplicaMessage.PrepareOk;
import io.viewstamp.vsr.ReplicaMessage.Prepares;
import io.viewstamp.vsr.ReplicaMessage.Recovery;
import io.viewstamp.vsr.ReplicaMessage.RecoveryResponse;
import io.viewstamp.vsr.ReplicaMessage.RequestPrepares;
import io.viewstamp.vsr.ReplicaMessage.RequestStartView;
import io.viewstamp.vsr.ReplicaMessage.SnapshotChunk;
import io.viewstamp.vsr.ReplicaMessage.StartEpoch;
import io.viewstamp.vsr.ReplicaMessage.StartView;
import io.viewstamp.vsr.ReplicaMessage.StartViewChange;

/**
 * Hands a replica's message, once {@link EpochChange#isFromAnotherEpoch} has let it in, to the room
 * that owns its state: one line per message type, so that where a message goes is read in one place.
 * The first message of the replica's view or a newer one from a peer also tells a restarted replica
 * that a peer is up ({@link Replica#peerHeard}), which it waits for before it votes.
 */
final class MessageDispatch {

	private MessageDispatch() {
	}

	static void dispatch(Replica replica, ReplicaMessage message) {
		if (!replica.peerHeard && message.view() >= replica.view && !(message instanceof Recovery)) {
			replica.peerHeard = true;
			replica.viewChange.sendDoViewChange();
		}
		if (message instanceof Prepare prepare) {
			replica.backup.onPrepare(prepare);
		}
		else if (message instanceof PrepareOk prepareOk) {
			replica.pipeline.onPrepareOk(prepareOk);
		}
		else if (message instanceof Commit commitMessage) {
			replica.backup.onCommit(commitMessage);
		}
		else if (message instanceof StartViewChange startViewChange) {
			replica.viewChange.onStartViewChange(startViewChange);
		}
		else if (message instanceof DoViewChange doViewChange) {
			replica.viewChange.onDoViewChange(doViewChange);
		}
		else if (message instanceof StartView startView) {
			replica.viewChange.onStartView(startView);
		}
		else if (message instanceof RequestStartView requestStartView) {
			replica.viewChange.onRequestStartView(requestStartView);
		}
		else if (message instanceof RequestPrepares requestPrepares) {
			replica.repairs.onRequestPrepares(requestPrepares);
		}
		else if (message instanceof Prepares prepares) {
			replica.repairs.onPrepares(prepares);
		}
		else if (message instanceof SnapshotChunk chunk) {
			replica.repairs.onSnapshotChunk(chunk);
		}
		else if (message instanceof Recovery recoveryMessage) {
			replica.recovery.onRecovery(recoveryMessage);
		}
		else if (message instanceof RecoveryResponse recoveryResponse) {
			replica.recovery.onRecoveryResponse(recoveryResponse);
		}
		else if (message instanceof StartEpoch startEpoch) {
			replica.epochs.onStartEpoch(startEpoch);
		}
	}

}
