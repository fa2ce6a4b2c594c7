package io.viewstamp.vsr;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A replica's side of changes of the cluster's members, as the runtime, operators and the
 * simulator drive and watch it ({@link Replica#memberChanges}): asking the primary for a change,
 * what is under way, why one was given up, and whether this replica is a spare or has left. The
 * protocol itself is in the rooms {@link Reconfiguration} (the primary's side) and
 * {@link EpochChange} (every replica's); see docs/protocol.md, reconfiguration.
 */
public final class MemberChanges {

	/** How many view-change timeouts the new members of a change have to catch up before it is given up. */
	public static final int DEADLINE_VIEW_CHANGE_TIMEOUTS = Reconfiguration.DEADLINE_VIEW_CHANGE_TIMEOUTS;

	private final Replica replica;

	MemberChanges(Replica replica) {
		this.replica = replica;
	}

	/**
	 * Starts changing the cluster's members to {@code members} (bit {@code i} for replica {@code i}):
	 * the new members catch up as learners, then this primary prepares the change as the last op of
	 * its epoch, and the next epoch starts once it is committed. Callers see a view change's pause.
	 * The new members must be running (recovered from the others, waiting as spares) to catch up; a
	 * change whose new members do not catch up, or whose new configuration has no quorum answering,
	 * within {@link #DEADLINE_VIEW_CHANGE_TIMEOUTS} view-change timeouts is given up
	 * ({@link #givenUp}).
	 * @param members the next configuration's members
	 * @return why the change can not start, or {@code null} when it started
	 */
	public @Nullable ReconfigurationRefusal start(int members) {
		return start(members, Map.of());
	}

	/**
	 * {@link #start(int)}, recording where members are: the new ones, or ones that moved. The others
	 * keep the address the current configuration gives them (none in epoch 0).
	 * @param addresses member index to address, at most {@link Configuration#ADDRESS_SIZE_BYTES_MAX}
	 * bytes each; a change that gives an address to a replica outside {@code members} is
	 * {@link ReconfigurationRefusal#INVALID_MEMBERS}
	 */
	public @Nullable ReconfigurationRefusal start(int members, Map<Integer, String> addresses) {
		return this.replica.reconfiguration.start(members, addresses);
	}

	/** Why the last change asked of this replica was given up, or {@code null} when none was. */
	public @Nullable ReconfigurationRefusal givenUp() {
		return this.replica.reconfiguration.givenUp();
	}

	/** The configuration a change under way on this primary moves to (not prepared yet), or {@code null}. */
	public @Nullable Configuration target() {
		return this.replica.reconfiguration.target();
	}

	/**
	 * The change of members under way as this replica knows it: asked of it as the primary, or
	 * prepared at the head of its log and not yet in effect; {@code null} when there is none.
	 */
	public @Nullable Configuration pending() {
		Replica replica = this.replica;
		Configuration target = replica.reconfiguration.target();
		if (target != null || !replica.epochs.isEpochClosing()) {
			return target;
		}
		return Objects.requireNonNull(replica.log.entry(replica.log.op()), "a closing epoch's head is in the log")
			.requests()
			.get(0)
			.configuration();
	}

	/**
	 * Whether this replica has left the cluster: a change removed it, and a quorum of the new
	 * configuration has entered the new epoch, so nothing depends on this replica's news any more.
	 * Its process may stop (the runtime stops it). Until then it keeps telling the new members.
	 */
	public boolean hasLeft() {
		return this.replica.epochs.hasLeft();
	}

	/**
	 * Whether this replica runs outside its configuration's members without a change having removed
	 * it: it recovered or restarted into an epoch without it, holds the cluster's state as far as it
	 * learned it, and waits for a change of members to add it.
	 */
	public boolean isSpare() {
		return this.replica.epochs.isSpare();
	}

}
