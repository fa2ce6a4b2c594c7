package io.viewstamp;

/**
 * Implemented by a {@link Replicated} bean that chooses what its snapshots hold, instead of all
 * its non-static, non-transient fields. {@code S} is encoded with Jackson, so it must be a
 * concrete type (a record, say) that Jackson can construct; it is resolved from the bean's
 * declaration, so declare the bean with a concrete {@code S}.
 *
 * <p>Neither method is a command: the replica calls them between commands.
 *
 * @param <S> the type of the bean's state
 */
public interface ReplicatedState<S> {

	/**
	 * Captures the whole state. The same state must give an equal value on every replica.
	 * @return the state, not shared with the bean (it is encoded after this call returns)
	 */
	S snapshot();

	/**
	 * Replaces the whole state with one captured by {@link #snapshot()}, on this replica or another.
	 * @param state the state
	 */
	void restore(S state);

}
