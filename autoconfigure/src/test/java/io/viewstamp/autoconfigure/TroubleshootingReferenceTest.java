package io.viewstamp.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.viewstamp.autoconfigure.UserMessages.Message;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/troubleshooting.md against the messages of the main code, as {@link UserMessages} finds them
 * (its Javadoc has the rule of what counts): every exception's message, every WARN and ERROR log
 * line, every failure analysis, health reason and refusal has an entry, and the page lists no
 * message the code no longer has. A message added, reworded or removed without the page fails here.
 * <p>
 * An entry's message is a line {@code > `text`}, the text as the user sees it with a placeholder
 * such as {@code <bean>} or {@code <host:port>} for each part the code fills in. A placeholder starts
 * with a lower-case letter (or with the punctuation of a part the code may leave out, {@code <: cause>}),
 * so that a type such as {@code CompletableFuture<Integer>} in a message stays text. The whole
 * message is its key, spaces around a placeholder aside: its first words alone would not do, as
 * some thirty messages start {@code Replica <n>} and ten {@code the handshake}, and the tail of a
 * message, where the fix usually is, would go unchecked.
 */
class TroubleshootingReferenceTest {

	private static final String PAGE = "troubleshooting.md";

	/** A message of the page: a line that is a quote of one code span and nothing else. */
	private static final Pattern ENTRY = Pattern.compile("^> `([^`]+)`$");

	/** A part the code fills in, as the page names it: {@code <n>}, {@code <host:port>}, {@code <: cause>}. */
	private static final Pattern PLACEHOLDER = Pattern.compile("<[a-z:;,(][^<>`]*>");

	/**
	 * The files whose messages the scanner can not read whole, and where what they carry is found;
	 * a new one fails {@link #theScanReadsEveryMessageWhole()}, so that no message hides in a variable.
	 */
	private static final Map<String, String> CARRIERS = Map.ofEntries(
			Map.entry("io/viewstamp/actuate/ReplicationEndpoint.java",
					"the messages of the ReplicationAdministration exceptions it answers with"),
			Map.entry("io/viewstamp/actuate/ReplicationHealthIndicator.java", "a divergence (reportDivergence)"),
			Map.entry("io/viewstamp/autoconfigure/ReplicationFailureAnalyzer.java",
					"the messages of InvalidReplicationPropertyException"),
			Map.entry("io/viewstamp/beans/CommandCodec.java", "TypeCheck's problems"),
			Map.entry("io/viewstamp/beans/TypeCheck.java", "its own problems, with the field that leads to them"),
			Map.entry("io/viewstamp/transport/AcceptingHandshake.java", "problemWithHello"),
			Map.entry("io/viewstamp/transport/DialingHandshake.java", "problemWithAccepted"),
			Map.entry("io/viewstamp/transport/HandshakeHandler.java",
					"HandshakeCodec's exceptions, tlsProblem and describeRefusal"),
			Map.entry("io/viewstamp/transport/Membership.java", "clusterProblem, and none where there is no problem"),
			Map.entry("io/viewstamp/transport/Connections.java", "none: tlsProblem's null, for no TLS problem"),
			Map.entry("io/viewstamp/transport/RefusalLog.java", "describeRefusal, wasRefused and the refusals' reasons"),
			Map.entry("io/viewstamp/transport/Dialer.java", "a level in a variable: INFO for a first failure, then DEBUG"),
			Map.entry("io/viewstamp/runtime/ReplicaNode.java", "PeerListCheck's differences, at INFO"));

	private static List<Message> messages;

	@Test
	void everyMessageOfTheCodeHasAnEntry() throws IOException {
		Set<String> documented = entries().stream().map(Entry::key).collect(Collectors.toSet());
		Map<String, List<Message>> missing = new TreeMap<>();
		for (Message message : messages()) {
			if (message.required() && !documented.contains(key(message.text()))) {
				missing.computeIfAbsent(message.text(), (text) -> new ArrayList<>()).add(message);
			}
		}
		assertThat(missing.entrySet().stream().map(TroubleshootingReferenceTest::describe).toList())
			.as("messages of the code without an entry in docs/%s: add an entry to docs/%s for each, a line "
					+ "> `message` with <placeholders> for what the code fills in, what it means and what to do",
					PAGE, PAGE)
			.isEmpty();
	}

	@Test
	void everyEntryIsAMessageOfTheCode() throws IOException {
		Set<String> found = messages().stream().map((message) -> key(message.text())).collect(Collectors.toSet());
		List<String> stale = entries().stream()
			.filter((entry) -> !found.contains(entry.key()))
			.map((entry) -> "docs/" + PAGE + ":" + entry.line() + ": " + entry.written())
			.toList();
		assertThat(stale)
			.as("entries of docs/%s whose message the code no longer has: reword each as the code now words it, "
					+ "or remove it", PAGE)
			.isEmpty();
	}

	@Test
	void thePageListsEachMessageOnce() throws IOException {
		Map<String, Entry> seen = new LinkedHashMap<>();
		List<String> twice = new ArrayList<>();
		for (Entry entry : entries()) {
			Entry first = seen.putIfAbsent(entry.key(), entry);
			if (first != null) {
				twice.add(entry.written() + " on lines " + first.line() + " and " + entry.line());
			}
		}
		assertThat(twice).as("messages docs/%s lists twice", PAGE).isEmpty();
	}

	@Test
	void theScanReadsEveryMessageWhole() {
		List<Message> messages = messages();
		assertThat(messages.stream().filter(Message::required).map(Message::text).distinct().count())
			.as("distinct messages found (a scan that finds few has stopped reading the code)")
			.isGreaterThan(200);
		Set<String> unread = new TreeSet<>();
		messages.stream()
			.filter((message) -> message.carrier() || message.kind().equals("log level"))
			.filter((message) -> !CARRIERS.containsKey(message.file()))
			.forEach((message) -> unread.add(message.where() + " (" + message.kind() + ")"));
		assertThat(unread)
			.as("messages with no text of their own, made elsewhere, or logged at a level held in a variable: "
					+ "make sure UserMessages finds the text they carry (MESSAGE_CALLS, MESSAGE_METHODS), then add "
					+ "the file to CARRIERS with where it is found")
			.isEmpty();
		Set<String> kinds = messages.stream().map(Message::kind).collect(Collectors.toSet());
		UserMessages.MESSAGE_METHODS.forEach((method) -> assertThat(kinds)
			.as("the kinds of message found: a message method that no longer exists")
			.contains("returned by " + method));
		UserMessages.MESSAGE_CALLS.keySet().forEach((call) -> assertThat(kinds)
			.as("the kinds of message found: a message call that no longer exists")
			.contains("passed to " + call.substring(call.indexOf('.') + 1)));
	}

	/** The messages of the main code of this module, read once for all the tests. */
	static synchronized List<Message> messages() {
		if (messages == null) {
			// Surefire runs in the module's directory.
			messages = UserMessages.in(Path.of(System.getProperty("user.dir"), "src", "main", "java"));
		}
		return messages;
	}

	/** The page's messages, in page order; a quote that is not one fails here, not silently. */
	private static List<Entry> entries() throws IOException {
		List<Entry> entries = new ArrayList<>();
		List<String> lines = Files.readAllLines(ConfigurationReferenceTest.docs().resolve(PAGE));
		List<String> malformed = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i);
			if (!line.startsWith(">")) {
				continue;
			}
			Matcher entry = ENTRY.matcher(line);
			if (entry.matches()) {
				entries.add(new Entry(key(text(entry.group(1))), line, i + 1));
			}
			else {
				malformed.add((i + 1) + ": " + line);
			}
		}
		assertThat(malformed).as("quotes of docs/%s that are not a message in the form > `message`", PAGE).isEmpty();
		assertThat(entries).as("messages in docs/%s", PAGE).isNotEmpty();
		return entries;
	}

	/** A message as the page writes it, in the scanner's form: each placeholder a hole. */
	static String text(String written) {
		return UserMessages.normalized(PLACEHOLDER.matcher(written).replaceAll(String.valueOf(UserMessages.HOLE)));
	}

	/**
	 * What the page and the code must agree on: the text without the spaces around its holes, so
	 * that the page may write {@code stopped<: cause>} for what the code writes
	 * {@code "stopped" + (cause != null ? ": " + cause : "")}.
	 */
	static String key(String text) {
		return text.replaceAll(" *" + UserMessages.HOLE + " *", String.valueOf(UserMessages.HOLE));
	}

	/** A message in the page's form, each hole a {@code <value>} to be named. */
	static String shown(String text) {
		return "> `" + text.replace(String.valueOf(UserMessages.HOLE), "<value>") + "`";
	}

	private static String describe(Map.Entry<String, List<Message>> missing) {
		return shown(missing.getKey()) + " (" + missing.getValue()
			.stream()
			.map((message) -> message.kind() + " at " + message.where())
			.collect(Collectors.joining(", ")) + ")";
	}

	/**
	 * A message of the page.
	 * @param key its {@link #key}
	 * @param written its line as the page writes it
	 * @param line the line's number, from 1
	 */
	record Entry(String key, String written, int line) {
	}

}
