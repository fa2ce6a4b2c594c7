package io.viewstamp.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.viewstamp.autoconfigure.JavaTokens.Kind;
import io.viewstamp.autoconfigure.JavaTokens.Token;

import static io.viewstamp.autoconfigure.JavaTokens.arguments;
import static io.viewstamp.autoconfigure.JavaTokens.at;
import static io.viewstamp.autoconfigure.JavaTokens.closing;
import static io.viewstamp.autoconfigure.JavaTokens.depth;
import static io.viewstamp.autoconfigure.JavaTokens.topLevel;

/**
 * The messages a user can see, found in the main sources by what the code does with a text, not
 * by its wording. A message is the text given to one of these:
 * <ul>
 * <li>an exception: {@code new SomethingException(...)} or {@code new SomethingError(...)},
 * thrown or handed to a caller's future, and {@code super(...)} in an exception's constructor; its
 * first argument that has text. {@link InvalidReplicationPropertyException} is the exception to
 * that: Spring Boot words its message, {@code Property <name> with value '<value>' is invalid:
 * <reason>}, from the first and third arguments;</li>
 * <li>a log call at WARNING or ERROR: {@code logger.log(Level.WARNING, ...)}, with a supplier
 * lambda or without, and {@code warn(...)} or {@code error(...)} on a logger, should the code ever
 * use a logger that has them;</li>
 * <li>the description of a {@code FailureAnalysis}, which Spring Boot prints when startup fails;</li>
 * <li>the {@code reason} detail of a health ({@code withDetail("reason", ...)}), which
 * {@code /actuator/health} shows when the replica is down or out of service;</li>
 * <li>a call of {@link #MESSAGE_CALLS} (the reason of a refused handshake, which both replicas log
 * at WARNING; a divergence, logged at ERROR; an error {@code /actuator/replication} answers), and a
 * text returned by one of {@link #MESSAGE_METHODS}, which compose a message's part for the places
 * above.</li>
 * </ul>
 * Not messages: {@code Invariants.check} and {@code InvariantViolation}. A protocol invariant that
 * fails is a bug of Viewstamp, not a mistake a user can fix, and it reaches the user only inside the
 * replica's one "stops" error, which has its entry. Nor is {@code Objects.requireNonNull}, for the
 * same reason. Every other exception counts, even one that only guards against a bug, since the code
 * does not mark it as such; the page files those under bugs. Nor is the detail a helper is given to
 * word into its own message ({@code MessageReader.malformed(offset, "trailing bytes")}): the entry of
 * that message ({@code Malformed <message> at offset <offset>: <problem>}) covers its details. A log
 * call at INFO is found too, but not required ({@link Message#required()}): the page may explain
 * one, such as "has no data in", where it helps.
 * <p>
 * A message's text has {@link #HOLE} for each part the code fills in (a variable, a call, a
 * parenthesized expression): {@code "Replica " + index + " stops: " + cause} is
 * {@code "Replica \0 stops: \0"}. A {@code String} variable or constant that a message names, the
 * nearest {@code String name = ...;} in scope, stands for the text it was given. A text that is a
 * choice, {@code c ? "a" : "b"}, is two messages. A message without a letter of its own,
 * {@code what + ": " + problem}, carries messages made elsewhere ({@link Message#carrier()}).
 */
final class UserMessages {

	/** Stands for a part of a message the code fills in. */
	static final char HOLE = '\0';

	/**
	 * Calls whose argument at the given index is a message, by name or {@code receiver.name}: the
	 * reasons of refused handshakes, which {@code RefusalLog} logs at WARNING after the connection's
	 * name ({@code what + ": " + problem}) and the refusing replica sends to the other; the
	 * divergences a replica reports, which it logs at ERROR; why a connection is closed after its
	 * handshake ({@code MessageHandler}), logged at WARNING; and the {@code error} of an answer of
	 * {@code /actuator/replication}.
	 */
	static final Map<String, Integer> MESSAGE_CALLS = Map.of("refuse", 2, "refusals.refused", 2, "refusals.wasRefused", 0,
			"environment.reportDivergence", 0, "close", 1, "error", 1);

	/**
	 * Methods that compose the reason part of a message, which the places above fill in: every
	 * text they return, yield, or give in a switch's arm is a message. (Methods that only name a
	 * thing, such as {@code describe}, are not: the entry of the message they fill in says what
	 * they name.)
	 */
	static final Set<String> MESSAGE_METHODS = Set.of("problemWithHello", "problemWithAccepted", "clusterProblem",
			"tlsProblem", "describeRefusal", "refused", "problem", "keyProblem", "constructionProblem");

	/** The most texts one expression may have, its choices multiplied; more means a mistake in reading it. */
	private static final int TEXTS_MAX = 16;

	private UserMessages() {
	}

	/**
	 * A message found in the code.
	 * @param text the text, with {@link #HOLE} for each part the code fills in
	 * @param kind what shows it: {@code exception}, {@code WARN}, {@code ERROR}, {@code INFO},
	 * {@code failure analysis}, {@code health reason}, {@code passed to <call>} (a message call's), {@code returned by <method>}
	 * (a message method's), or {@code log level} for a log call whose level is not a constant, whose
	 * text is the level's expression
	 * @param file the source file, relative to the source root
	 * @param line its line
	 */
	record Message(String text, String kind, String file, int line) {

		/** Whether the page must have an entry for it; an INFO line may have one. */
		boolean required() {
			return !this.kind.equals("INFO") && !this.kind.equals("log level") && !carrier();
		}

		/** Whether it has no text of its own and only carries messages made elsewhere. */
		boolean carrier() {
			return this.text.chars().noneMatch(Character::isLetter);
		}

		/** {@code file:line}, as a stack trace and an IDE write it. */
		String where() {
			return this.file + ":" + this.line;
		}

	}

	/** The messages of every {@code .java} file under {@code root}, in file and line order. */
	static List<Message> in(Path root) {
		List<Message> messages = new ArrayList<>();
		try (Stream<Path> files = Files.walk(root)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".java")).sorted().toList()) {
				messages.addAll(in(Files.readString(file), root.relativize(file).toString().replace('\\', '/')));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return messages;
	}

	/** The messages of one source file. */
	static List<Message> in(String source, String file) {
		return new Scan(JavaTokens.of(source), file).messages();
	}

	/** Runs of white space as one space, runs of holes as one hole, trimmed. */
	static String normalized(String text) {
		return text.replaceAll("\\s+", " ").replaceAll(HOLE + "+", String.valueOf(HOLE)).strip();
	}

	/** One file's tokens, read once from start to end. */
	private static final class Scan {

		private final List<Token> tokens;

		private final String file;

		private final List<Message> messages = new ArrayList<>();

		Scan(List<Token> tokens, String file) {
			this.tokens = tokens;
			this.file = file;
		}

		List<Message> messages() {
			for (int i = 0; i < this.tokens.size(); i++) {
				Token token = this.tokens.get(i);
				if (token.kind() != Kind.WORD) {
					continue;
				}
				if (token.is("new")) {
					constructed(i);
				}
				else if (token.is("super") && at(this.tokens, i + 1, "(")) {
					add(firstWithText(i, arguments(this.tokens, i + 1)), "exception", token.line());
				}
				else if (at(this.tokens, i + 1, "(") && !at(this.tokens, i - 1, "new")) {
					called(i);
				}
			}
			return this.messages;
		}

		/** {@code new X(...)}: an exception, an error or a failure analysis. */
		private void constructed(int at) {
			int i = at + 1;
			String type = null;
			while (i < this.tokens.size() && this.tokens.get(i).kind() == Kind.WORD) {
				type = this.tokens.get(i).text();
				if (!at(this.tokens, i + 1, ".")) {
					break;
				}
				i += 2;
			}
			if (type == null || !at(this.tokens, i + 1, "(")) {
				return;
			}
			List<List<Token>> arguments = arguments(this.tokens, i + 1);
			int line = this.tokens.get(at).line();
			if (type.equals("FailureAnalysis")) {
				add(texts(at, arguments.get(0)), "failure analysis", line);
			}
			else if (type.equals("InvalidReplicationPropertyException")) {
				// Spring Boot's InvalidConfigurationPropertyValueException words it; the reason is ours.
				List<String> texts = new ArrayList<>();
				for (String name : texts(at, arguments.get(0))) {
					for (String reason : texts(at, arguments.get(2))) {
						texts.add("Property " + name + " with value '" + HOLE + "' is invalid: " + reason);
					}
				}
				add(texts, "exception", line);
			}
			else if ((type.endsWith("Exception") || type.endsWith("Error")) && !type.equals("InvariantViolation")) {
				add(firstWithText(at, arguments), "exception", line);
			}
		}

		/** {@code name(...)}: a call, or the declaration of a method. */
		private void called(int at) {
			String name = this.tokens.get(at).text();
			int line = this.tokens.get(at).line();
			int close = closing(this.tokens, at + 1);
			if (at(this.tokens, close + 1, "{") || at(this.tokens, close + 1, "throws")) {
				if (MESSAGE_METHODS.contains(name)) {
					composed(name, close + 1);
				}
				return;
			}
			List<List<Token>> arguments = arguments(this.tokens, at + 1);
			boolean onReceiver = at(this.tokens, at - 1, ".") && at >= 2;
			String receiver = onReceiver ? this.tokens.get(at - 2).text() : "";
			if (name.equals("log") && onReceiver && arguments.size() >= 2) {
				logged(at, arguments.get(0), arguments.get(1));
			}
			else if ((name.equals("warn") || name.equals("error")) && receiver.toLowerCase(Locale.ROOT).contains("log")
					&& !arguments.isEmpty()) {
				add(texts(at, arguments.get(0)), name.equals("warn") ? "WARN" : "ERROR", line);
			}
			else if (name.equals("withDetail") && arguments.size() == 2 && arguments.get(0).size() == 1
					&& arguments.get(0).get(0).kind() == Kind.STRING && arguments.get(0).get(0).text().equals("reason")) {
				add(texts(at, arguments.get(1)), "health reason", line);
			}
			else {
				Integer index = MESSAGE_CALLS.get(onReceiver ? receiver + "." + name : name);
				if (index != null && arguments.size() > index) {
					add(texts(at, arguments.get(index)), "passed to " + name, line);
				}
			}
		}

		/** {@code logger.log(Level.X, message, ...)}, as {@code System.Logger} has it, the level qualified or not. */
		private void logged(int at, List<Token> level, List<Token> message) {
			int line = this.tokens.get(at).line();
			int size = level.size();
			if (size < 3 || !level.get(size - 3).is("Level") || !level.get(size - 2).is(".")) {
				StringBuilder written = new StringBuilder();
				level.forEach((token) -> written.append(token.text()));
				add(List.of(written.toString()), "log level", line);
				return;
			}
			String kind = switch (level.get(size - 1).text()) {
				case "WARNING" -> "WARN";
				case "ERROR" -> "ERROR";
				case "INFO" -> "INFO";
				default -> null;
			};
			if (kind != null) {
				add(texts(at, message), kind, line);
			}
		}

		/** Every text a message method's body returns, yields, or gives in a switch's arm. */
		private void composed(String method, int from) {
			int open = from;
			while (!this.tokens.get(open).is("{")) {
				open++;
			}
			int end = closing(this.tokens, open);
			for (int i = open + 1; i < end; i++) {
				Token token = this.tokens.get(i);
				boolean gives = token.is("return") || token.is("yield") || (token.is("->") && armOfSwitch(i));
				int start = i + 1;
				if (!gives || at(this.tokens, start, "switch") || at(this.tokens, start, "{")
						|| at(this.tokens, start, "throw")) {
					continue;
				}
				int stop = start;
				int depth = 0;
				while (stop < end && !(depth == 0 && this.tokens.get(stop).is(";"))) {
					depth += depth(this.tokens.get(stop));
					stop++;
				}
				add(texts(i, this.tokens.subList(start, stop)), "returned by " + method, token.line());
			}
		}

		/** Whether the {@code ->} at {@code at} ends a {@code case} label, not a lambda's parameters. */
		private boolean armOfSwitch(int at) {
			for (int i = at - 1; i >= 0; i--) {
				Token token = this.tokens.get(i);
				if (token.is("case") || token.is("default")) {
					return true;
				}
				if (token.is(";") || token.is("{") || token.is("}") || token.is("(") || token.is("->")) {
					return false;
				}
			}
			return false;
		}

		private void add(List<String> texts, String kind, int line) {
			texts.stream()
				.map(UserMessages::normalized)
				.distinct()
				.forEach((text) -> this.messages.add(new Message(text, kind, this.file, line)));
		}

		/** The message among an exception's arguments: the first with text of its own (a cause has none). */
		private List<String> firstWithText(int site, List<List<Token>> arguments) {
			for (List<Token> argument : arguments) {
				List<String> texts = texts(site, argument);
				if (texts.stream().anyMatch((text) -> text.chars().anyMatch(Character::isLetter))) {
					return texts;
				}
			}
			return List.of();
		}

		/**
		 * The texts an expression at {@code site} may have: its literals as they are, a local
		 * {@code String} variable as the texts it was initialized with, a top-level choice
		 * {@code c ? a : b} as the texts of each side, {@link #HOLE} for whatever else.
		 */
		private List<String> texts(int site, List<Token> expression) {
			List<Token> tokens = withoutLambda(expression);
			while (tokens.size() >= 2 && tokens.get(0).is("(") && closing(tokens, 0) == tokens.size() - 1) {
				tokens = tokens.subList(1, tokens.size() - 1);
			}
			int question = topLevel(tokens, "?", 0);
			if (question >= 0) {
				int colon = topLevel(tokens, ":", question + 1);
				List<String> texts = new ArrayList<>(texts(site, tokens.subList(question + 1, colon)));
				texts.addAll(texts(site, tokens.subList(colon + 1, tokens.size())));
				return texts;
			}
			if (tokens.size() > 4 && tokens.get(0).is("Optional") && tokens.get(2).is("of")
					&& closing(tokens, 3) == tokens.size() - 1) {
				return texts(site, tokens.subList(4, tokens.size() - 1));
			}
			List<String> texts = List.of("");
			int start = 0;
			for (int i = 0; i <= tokens.size(); i++) {
				if (i < tokens.size() && !(tokens.get(i).is("+") && depthAt(tokens, i) == 0)) {
					continue;
				}
				List<String> operand = operand(site, tokens.subList(start, i));
				List<String> longer = new ArrayList<>();
				for (String text : texts) {
					for (String part : operand) {
						longer.add(text + part);
					}
				}
				texts = longer;
				start = i + 1;
			}
			if (texts.size() > TEXTS_MAX) {
				throw new IllegalStateException(this.file + ":" + this.tokens.get(site).line() + " has " + texts.size()
						+ " texts: a choice in a loop, or a mistake in reading it");
			}
			return texts.stream().distinct().toList();
		}

		/** The texts of one operand of a {@code +}. */
		private List<String> operand(int site, List<Token> operand) {
			if (operand.size() == 1 && (operand.get(0).kind() == Kind.STRING || operand.get(0).kind() == Kind.CHAR)) {
				return List.of(operand.get(0).text());
			}
			if (operand.size() == 1 && operand.get(0).kind() == Kind.WORD) {
				List<Token> initializer = initializer(site, operand.get(0).text());
				if (initializer != null) {
					return texts(site, initializer);
				}
			}
			return List.of(String.valueOf(HOLE));
		}

		/**
		 * The initializer of the {@code String name = ...;} in scope at {@code site}: the nearest
		 * before it, not inside a block closed before it, or {@code null}.
		 */
		private List<Token> initializer(int site, String name) {
			int closed = 0;
			for (int i = site - 1; i >= 1; i--) {
				Token token = this.tokens.get(i);
				if (token.is("}")) {
					closed++;
				}
				else if (token.is("{")) {
					closed = Math.max(0, closed - 1);
				}
				else if (closed == 0 && token.is(name) && this.tokens.get(i - 1).is("String")
						&& at(this.tokens, i + 1, "=")) {
					int end = i + 2;
					int depth = 0;
					while (end < this.tokens.size() && !(depth == 0 && this.tokens.get(end).is(";"))) {
						depth += depth(this.tokens.get(end));
						end++;
					}
					return this.tokens.subList(i + 2, end);
				}
			}
			return null;
		}

		private static List<Token> withoutLambda(List<Token> tokens) {
			if (tokens.size() > 2 && tokens.get(0).kind() == Kind.WORD && tokens.get(1).is("->")) {
				return tokens.subList(2, tokens.size());
			}
			if (!tokens.isEmpty() && tokens.get(0).is("(")) {
				int close = closing(tokens, 0);
				if (at(tokens, close + 1, "->")) {
					return tokens.subList(close + 2, tokens.size());
				}
			}
			return tokens;
		}

		private static int depthAt(List<Token> tokens, int at) {
			int depth = 0;
			for (int i = 0; i < at; i++) {
				depth += depth(tokens.get(i));
			}
			return depth;
		}

	}

}
