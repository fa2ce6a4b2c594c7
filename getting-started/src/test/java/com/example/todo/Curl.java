package com.example.todo;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A {@code curl} command of the page, read as curl reads it: {@code -d} sends its data as a form
 * with POST, {@code -X} names the method, {@code -s} changes nothing that is printed, and a URL
 * without a scheme is {@code http}. Anything else is refused, so that the page can not use an
 * option this test would silently not honour.
 *
 * @param method the HTTP method
 * @param port the port the page names, mapped to a replica by the test
 * @param path the path and query
 * @param data the form data {@code -d} sends, or {@code null}
 */
record Curl(String method, int port, String path, @Nullable String data) {

	private static final Pattern URL = Pattern.compile("(?:http://)?localhost:(\\d+)(/\\S*)");

	static Curl parse(String command) {
		List<String> words = words(command);
		String method = null;
		String url = null;
		String data = null;
		for (int index = 1; index < words.size(); index++) {
			String word = words.get(index);
			switch (word) {
				case "-s", "--silent" -> {
				}
				case "-X", "--request" -> method = words.get(++index);
				case "-d", "--data" -> data = words.get(++index);
				default -> {
					if (word.startsWith("-") || url != null) {
						throw new IllegalArgumentException("The test does not run curl's " + word + ": " + command);
					}
					url = word;
				}
			}
		}
		Matcher parts = URL.matcher((url != null) ? url : "");
		if (!parts.matches()) {
			throw new IllegalArgumentException("No http://localhost:port/path URL in " + command);
		}
		if (method == null) {
			method = (data != null) ? "POST" : "GET";
		}
		return new Curl(method, Integer.parseInt(parts.group(1)), parts.group(2), data);
	}

	/** The command's words as a POSIX shell splits them: whitespace apart, quotes removed. */
	static List<String> words(String command) {
		List<String> words = new ArrayList<>();
		StringBuilder word = null;
		char quote = 0;
		for (char c : command.toCharArray()) {
			if (quote != 0) {
				if (c == quote) {
					quote = 0;
				}
				else {
					word.append(c);
				}
			}
			else if (c == '\'' || c == '"') {
				quote = c;
				word = (word != null) ? word : new StringBuilder();
			}
			else if (Character.isWhitespace(c)) {
				if (word != null) {
					words.add(word.toString());
					word = null;
				}
			}
			else {
				word = (word != null) ? word : new StringBuilder();
				word.append(c);
			}
		}
		if (quote != 0) {
			throw new IllegalArgumentException("Unclosed quote in " + command);
		}
		if (word != null) {
			words.add(word.toString());
		}
		return words;
	}

}
