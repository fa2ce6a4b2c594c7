package com.example.todo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/getting-started.md as the tests read it: the files it shows, and the script it has the
 * reader follow (the commands of its shell blocks with the output shown under each, and the
 * replicas it has the reader stop), in page order.
 *
 * <p>
 * The page's conventions, which these tests rely on:
 * <ul>
 * <li>A code block whose previous non-blank line is a file's path in backticks alone,
 * {@code `src/main/java/.../TodoList.java`}, shows that file of the module whole; with
 * {@code (excerpt)} after the path, a part of it.</li>
 * <li>In a {@code shell} block, a line that starts with a command ({@code curl}, {@code java},
 * ...) is one, the lines under it are its output, and {@code #} starts a comment. In output,
 * {@code …} stands for text that varies from run to run.</li>
 * <li>A paragraph that says "In the terminal of replica N, press Ctrl+C" stops that replica.</li>
 * </ul>
 */
final class GettingStartedPage {

	/** In shown output: any text, which differs from run to run (a view number, a path, a time). */
	static final String ANYTHING = "…";

	private static final Pattern FILE_MARKER = Pattern.compile("^`([\\w./-]+\\.\\w+)`( \\(excerpt\\))?$");

	private static final Pattern STOP = Pattern.compile("In the terminal of replica (\\d+), press Ctrl\\+C");

	private static final List<String> COMMANDS = List.of("curl ", "java ", "./mvnw ", "mvn ", "rm ", "cd ");

	private final Path path;

	private final List<FileBlock> files = new ArrayList<>();

	private final List<Step> script = new ArrayList<>();

	private GettingStartedPage(Path path, List<String> lines) {
		this.path = path;
		parse(lines);
	}

	/** The page of the repository this module is part of. */
	static GettingStartedPage read() {
		Path page = module().resolveSibling("docs").resolve("getting-started.md");
		try {
			return new GettingStartedPage(page, Files.readAllLines(page));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No getting started page at " + page, ex);
		}
	}

	/** This module's directory: Maven says where it is, since the tests run in a directory of their own. */
	static Path module() {
		return Path.of(System.getProperty("getting-started.module", System.getProperty("user.dir")));
	}

	Path path() {
		return this.path;
	}

	List<FileBlock> files() {
		return this.files;
	}

	List<Step> script() {
		return this.script;
	}

	private void parse(List<String> lines) {
		List<String> paragraph = new ArrayList<>();
		String previous = "";
		for (int index = 0; index < lines.size(); index++) {
			String line = lines.get(index);
			if (line.startsWith("```")) {
				stops(paragraph);
				String language = line.substring(3).trim();
				int start = index + 1;
				index = start;
				while (index < lines.size() && !lines.get(index).startsWith("```")) {
					index++;
				}
				List<String> block = lines.subList(start, index);
				Matcher file = FILE_MARKER.matcher(previous);
				if (file.matches()) {
					this.files.add(new FileBlock(file.group(1), file.group(2) != null, String.join("\n", block), start));
				}
				else if (language.equals("shell")) {
					commands(block, start);
				}
				previous = "";
			}
			else if (line.isBlank()) {
				stops(paragraph);
			}
			else {
				paragraph.add(line.trim());
				previous = line.trim();
			}
		}
		stops(paragraph);
	}

	/** A paragraph's stops, read once the paragraph ends, since a sentence may run over a line break. */
	private void stops(List<String> paragraph) {
		Matcher stop = STOP.matcher(String.join(" ", paragraph));
		while (stop.find()) {
			this.script.add(new Stop(Integer.parseInt(stop.group(1))));
		}
		paragraph.clear();
	}

	private void commands(List<String> block, int firstLine) {
		Command command = null;
		for (int offset = 0; offset < block.size(); offset++) {
			String line = block.get(offset);
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			if (COMMANDS.stream().anyMatch(line::startsWith)) {
				command = new Command(line.trim(), new ArrayList<>(), firstLine + offset + 1);
				this.script.add(command);
			}
			else if (command == null) {
				throw new IllegalStateException(this.path + " line " + (firstLine + offset + 1) + ": output before any "
						+ "command in a shell block (a command starts with one of " + COMMANDS + "): " + line);
			}
			else {
				command.output().add(line);
			}
		}
	}

	/**
	 * Whether {@code actual} is {@code shown}, where each {@link #ANYTHING} in {@code shown} may
	 * stand for any text.
	 */
	static boolean matches(String shown, String actual) {
		String[] parts = shown.split(Pattern.quote(ANYTHING), -1);
		if (!actual.startsWith(parts[0])) {
			return false;
		}
		int from = parts[0].length();
		for (int part = 1; part < parts.length - 1; part++) {
			int found = actual.indexOf(parts[part], from);
			if (found < 0) {
				return false;
			}
			from = found + parts[part].length();
		}
		String last = parts[parts.length - 1];
		return (parts.length == 1) ? actual.equals(shown) : actual.endsWith(last) && actual.length() - last.length() >= from;
	}

	/**
	 * A code block that shows a file of the module.
	 * @param path the file's path in the module, as the reader's project has it
	 * @param excerpt whether it shows a part of the file, not all of it
	 * @param text the block
	 * @param line the page's line of the block's first line (1-based: the fence's line + 1)
	 */
	record FileBlock(String path, boolean excerpt, String text, int line) {
	}

	/** What the reader does, in page order. */
	sealed interface Step permits Command, Stop {
	}

	/**
	 * A command the reader types, with the output the page shows under it.
	 * @param line the page's line of the command
	 */
	record Command(String text, List<String> output, int line) implements Step {

		/** The command alone: printed, its output would be found in the log it is looked for in. */
		@Override
		public String toString() {
			return "line " + this.line + ": " + this.text;
		}

	}

	/** Ctrl+C in the terminal of a replica: its application closes. */
	record Stop(int replica) implements Step {

		@Override
		public String toString() {
			return "Ctrl+C in the terminal of replica " + this.replica;
		}

	}

}
