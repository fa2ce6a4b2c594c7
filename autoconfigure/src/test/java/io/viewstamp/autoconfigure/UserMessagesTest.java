package io.viewstamp.autoconfigure;

import java.util.List;

import io.viewstamp.autoconfigure.UserMessages.Message;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link UserMessages} on a source written for it: the ways the main code builds a message, and
 * the texts that are no messages. {@code ¤} stands for {@link UserMessages#HOLE} here.
 */
class UserMessagesTest {

	private static final String SOURCE = """
			package io.viewstamp.sample;

			class Sample {

				private static final String FIX = "set replication.secret on every replica";

				void messages(int replica, Throwable cause, boolean stale) {
					// throw new IllegalStateException("a comment is no message");
					throw new IllegalStateException("Replica " + replica
							+ " can not \\"start\\": " + cause + ", " + FIX, cause);
					new DataDirectoryException(directory, "Data directory " + directory + " is a file");
					logger.log(Level.WARNING, () -> "Replica " + replica + " heard nothing");
					LOGGER.log(Level.ERROR, "The storage of " + root + " stopped", cause);
					logger.log(Level.INFO, "Replica " + replica + " listens");
					logger.log(Level.DEBUG, "Replica " + replica + " lost a connection");
					String why = stale ? "it is stale" : "it is " + cause;
					throw new MemberChangeException("The change was given up: " + why);
					throw new InvalidReplicationPropertyException("replication.peers[" + replica + "]", value,
							"it is the same address as another", "Give every replica its own address.", null);
					Invariants.check(replica >= 0, "replica %d is negative", replica);
					throw new Invariants.InvariantViolation("an invariant");
					Objects.requireNonNull(cause, "a cause is given");
					throw new IllegalStateException(cause);
					refuse(context, RefusalReason.SECRET, "the peer has no secret: " + FIX);
					logger.log(level, "Replica " + replica + " can not reach a peer");
					LOGGER.log(System.Logger.Level.ERROR, "A qualified level");
				}

				String clusterProblem(long peer) {
					return switch ((int) peer) {
						case 0 -> "the peer claims cluster " + peer;
						default -> "the peer is " + (peer > 0 ? "ahead" : "behind");
					};
				}

			}
			""";

	@Test
	void findsEachMessageAsTheCodeBuildsIt() {
		assertThat(texts(UserMessages.in(SOURCE, "Sample.java"))).containsExactly(
				"exception: Replica ¤ can not \"start\": ¤, set replication.secret on every replica",
				"exception: Data directory ¤ is a file",
				"WARN: Replica ¤ heard nothing",
				"ERROR: The storage of ¤ stopped",
				"INFO: Replica ¤ listens",
				"exception: The change was given up: it is stale",
				"exception: The change was given up: it is ¤",
				"exception: Property replication.peers[¤] with value '¤' is invalid: it is the same address as another",
				"passed to refuse: the peer has no secret: set replication.secret on every replica",
				"log level: level",
				"ERROR: A qualified level",
				"returned by clusterProblem: the peer claims cluster ¤",
				"returned by clusterProblem: the peer is ¤");
	}

	@Test
	void tellsRequiredMessagesFromOthers() {
		List<Message> messages = UserMessages.in(SOURCE, "Sample.java");
		assertThat(messages).filteredOn(Message::required).extracting(Message::kind).doesNotContain("INFO", "log level");
		assertThat(messages).filteredOn((message) -> message.kind().equals("WARN")).extracting(Message::where)
			.containsExactly("Sample.java:12");
		assertThat(UserMessages.in("class C { void f() { log.log(Level.ERROR, what + \": \" + problem); } }", "C.java"))
			.singleElement()
			.satisfies((message) -> assertThat(message.carrier()).isTrue());
	}

	private static List<String> texts(List<Message> messages) {
		return messages.stream()
			.map((message) -> message.kind() + ": " + message.text().replace(UserMessages.HOLE, '¤'))
			.toList();
	}

}
