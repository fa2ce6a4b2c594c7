package io.viewstamp.vsr;

import java.util.Arrays;
import java.util.Objects;

/**
 * The primary's answer to a client request.
 *
 * @param view the view of the primary that answered, so the client learns who the primary is
 * @param replica the answering replica's index
 * @param clientId the client the reply is for
 * @param session the session the request named; for a register, the new session (its op number).
 * A client that restarted with its old id tells its own replies from its predecessor's by it
 * @param requestNumber the request it answers
 * @param op the op number that committed the request (the session number for a register)
 * @param status whether the request was applied
 * @param result the state machine's result; for a register, the incarnation it names (see
 * {@link Request#register}), so that a restarted client tells its own session from its predecessor's
 */
public record Reply(long view, int replica, long clientId, long session, long requestNumber, long op,
		ReplyStatus status, byte[] result) implements Message {

	public Reply {
		Objects.requireNonNull(status, "status");
		Objects.requireNonNull(result, "result");
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Reply that && this.view == that.view && this.replica == that.replica
				&& this.clientId == that.clientId && this.session == that.session
				&& this.requestNumber == that.requestNumber && this.op == that.op
				&& this.status == that.status && Arrays.equals(this.result, that.result);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.view, this.replica, this.clientId, this.session, this.requestNumber, this.op, this.status,
				Arrays.hashCode(this.result));
	}

	@Override
	public String toString() {
		return "Reply[client=" + Long.toHexString(this.clientId) + ", session=" + this.session + ", request=" + this.requestNumber + ", op="
				+ this.op + ", " + this.status + ", view=" + this.view + "]";
	}

}
