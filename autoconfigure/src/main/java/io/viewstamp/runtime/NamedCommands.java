package io.viewstamp.runtime;

import java.util.Set;

/**
 * A state machine whose commands have names, which its replica advertises to its peers in every
 * handshake. A replica then knows which commands every member of its cluster can apply, and an
 * application can refuse, before it submits it, a command that a member running an older release
 * would not know ({@link ReplicationClient#replicasLacking}): in a rolling upgrade, no replica is
 * ever handed a command it would have to stop at.
 *
 * <p>A {@link io.viewstamp.vsr.StateMachine} given to {@link ReplicaNode#start} that implements this
 * interface is asked at each handshake; one that does not advertises no command.
 */
public interface NamedCommands {

	/**
	 * The names of every command this application applies, the same string on every release that
	 * applies it the same way (for replicated beans: {@code bean#method(parameter types)}).
	 * @return the names, at most {@link io.viewstamp.transport.CommandCatalog#COMMANDS_MAX}
	 */
	Set<String> commandNames();

}
