package io.viewstamp.sim.check;

import io.viewstamp.sim.SimulationFailure.Check;
import io.viewstamp.sim.SimulationFailure;
import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.Reply;
import io.viewstamp.vsr.ReplyStatus;
import io.viewstamp.vsr.Request;

/**
 * Checks each reply a client accepts against the canonical committed history: a replica may answer
 * only once the request is committed, and the op it names must be the one whose entry carries the
 * request. This catches a primary that answers before a quorum holds the op even when no later view
 * change happens to expose it.
 */
public final class ReplyChecker {

	private final long seed;

	private final CommitChecker commits;

	/**
	 * Creates a checker.
	 * @param seed the world's seed, for messages
	 * @param commits the canonical committed history
	 */
	public ReplyChecker(long seed, CommitChecker commits) {
		this.seed = seed;
		this.commits = commits;
	}

	/**
	 * Checks an accepted reply.
	 * @param client the client's number
	 * @param request the request it answers
	 * @param reply the reply
	 * @param tick the current tick
	 */
	public void check(int client, Request request, Reply reply, long tick) {
		if (reply.status() != ReplyStatus.OK) {
			return;
		}
		LogEntry entry = this.commits.committed(reply.op());
		if (entry == null) {
			throw new SimulationFailure(this.seed, tick, Check.REPLY,
					"client " + client + " got " + reply + " from replica " + reply.replica() + " for " + request
							+ ", but no replica has committed op " + reply.op() + " (highest committed op "
							+ this.commits.committedMax() + ")");
		}
		if (!entry.requests().contains(request)) {
			throw new SimulationFailure(this.seed, tick, Check.REPLY,
					"client " + client + " got " + reply + " from replica " + reply.replica() + " for " + request
							+ ", but the entry committed at op " + reply.op() + " does not carry that request: " + entry);
		}
	}

}
