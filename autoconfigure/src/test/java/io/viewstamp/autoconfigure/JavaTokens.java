package io.viewstamp.autoconfigure;

import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of Java's lexical grammar to find the messages in a source file: comments are
 * dropped, string literals and text blocks are decoded, everything else is a word, a number or a
 * symbol. Matching lines with regular expressions would trip on a message split over lines, a
 * {@code "} inside a literal, or a {@code throw} inside a comment; tokens do not.
 */
final class JavaTokens {

	/** The symbols of more than one character that matter here; others are read one character at a time. */
	private static final List<String> LONG_SYMBOLS = List.of("->", "::", "++", "--", "+=", "==", "!=", "<=", ">=", "&&",
			"||");

	private JavaTokens() {
	}

	enum Kind {

		WORD, STRING, CHAR, NUMBER, SYMBOL

	}

	/**
	 * One token.
	 * @param kind what it is
	 * @param text a literal's value (escapes decoded), else the token as written
	 * @param line the line it starts on, from 1
	 */
	record Token(Kind kind, String text, int line) {

		boolean is(String symbolOrWord) {
			return (this.kind == Kind.SYMBOL || this.kind == Kind.WORD) && this.text.equals(symbolOrWord);
		}

	}

	/** The tokens of a source file, in order. */
	static List<Token> of(String source) {
		List<Token> tokens = new ArrayList<>();
		int line = 1;
		int i = 0;
		int length = source.length();
		while (i < length) {
			char c = source.charAt(i);
			if (c == '\n') {
				line++;
				i++;
			}
			else if (Character.isWhitespace(c)) {
				i++;
			}
			else if (source.startsWith("//", i)) {
				while (i < length && source.charAt(i) != '\n') {
					i++;
				}
			}
			else if (source.startsWith("/*", i)) {
				int end = source.indexOf("*/", i + 2);
				end = (end < 0) ? length : end + 2;
				line += count(source, i, end);
				i = end;
			}
			else if (source.startsWith("\"\"\"", i)) {
				int end = source.indexOf("\"\"\"", i + 3);
				while (end > 0 && escaped(source, end)) {
					end = source.indexOf("\"\"\"", end + 1);
				}
				end = (end < 0) ? length : end;
				String body = source.substring(source.indexOf('\n', i) + 1, end);
				tokens.add(new Token(Kind.STRING, body.stripIndent().translateEscapes(), line));
				line += count(source, i, end);
				i = end + 3;
			}
			else if (c == '"' || c == '\'') {
				int end = i + 1;
				while (end < length && source.charAt(end) != c) {
					end += (source.charAt(end) == '\\') ? 2 : 1;
				}
				String value = source.substring(i + 1, Math.min(end, length)).translateEscapes();
				tokens.add(new Token((c == '"') ? Kind.STRING : Kind.CHAR, value, line));
				i = end + 1;
			}
			else if (Character.isJavaIdentifierStart(c)) {
				int end = i + 1;
				while (end < length && Character.isJavaIdentifierPart(source.charAt(end))) {
					end++;
				}
				tokens.add(new Token(Kind.WORD, source.substring(i, end), line));
				i = end;
			}
			else if (Character.isDigit(c)) {
				int end = i + 1;
				while (end < length && (Character.isLetterOrDigit(source.charAt(end)) || source.charAt(end) == '_'
						|| (source.charAt(end) == '.' && end + 1 < length && Character.isDigit(source.charAt(end + 1))))) {
					end++;
				}
				tokens.add(new Token(Kind.NUMBER, source.substring(i, end), line));
				i = end;
			}
			else {
				String symbol = String.valueOf(c);
				for (String longSymbol : LONG_SYMBOLS) {
					if (source.startsWith(longSymbol, i)) {
						symbol = longSymbol;
						break;
					}
				}
				tokens.add(new Token(Kind.SYMBOL, symbol, line));
				i += symbol.length();
			}
		}
		return tokens;
	}

	/** The index of the bracket that closes the one at {@code open}, or the last index if none does. */
	static int closing(List<Token> tokens, int open) {
		int depth = 0;
		for (int i = open; i < tokens.size(); i++) {
			depth += depth(tokens.get(i));
			if (depth == 0) {
				return i;
			}
		}
		return tokens.size() - 1;
	}

	/** The arguments of the call whose {@code (} is at {@code open}, split at their top-level commas. */
	static List<List<Token>> arguments(List<Token> tokens, int open) {
		List<List<Token>> arguments = new ArrayList<>();
		int close = closing(tokens, open);
		int start = open + 1;
		int depth = 0;
		for (int i = open + 1; i <= close; i++) {
			if (i == close || (depth == 0 && tokens.get(i).is(","))) {
				if (i > start) {
					arguments.add(tokens.subList(start, i));
				}
				start = i + 1;
			}
			else {
				depth += depth(tokens.get(i));
			}
		}
		return arguments;
	}

	/** The index of {@code symbol} outside any brackets, from {@code from}, or -1. */
	static int topLevel(List<Token> tokens, String symbol, int from) {
		int depth = 0;
		for (int i = from; i < tokens.size(); i++) {
			if (depth == 0 && tokens.get(i).is(symbol)) {
				return i;
			}
			depth += depth(tokens.get(i));
		}
		return -1;
	}

	/** +1 for an opening bracket, -1 for a closing one, else 0. */
	static int depth(Token token) {
		if (token.kind() != Kind.SYMBOL) {
			return 0;
		}
		return switch (token.text()) {
			case "(", "[", "{" -> 1;
			case ")", "]", "}" -> -1;
			default -> 0;
		};
	}

	/** Whether the token at {@code index} exists and is {@code symbolOrWord}. */
	static boolean at(List<Token> tokens, int index, String symbolOrWord) {
		return index >= 0 && index < tokens.size() && tokens.get(index).is(symbolOrWord);
	}

	/** Whether the quote at {@code index} is escaped by an odd number of backslashes before it. */
	private static boolean escaped(String source, int index) {
		int backslashes = 0;
		while (index - backslashes - 1 >= 0 && source.charAt(index - backslashes - 1) == '\\') {
			backslashes++;
		}
		return backslashes % 2 == 1;
	}

	private static int count(String source, int from, int to) {
		int lines = 0;
		for (int i = from; i < to; i++) {
			if (source.charAt(i) == '\n') {
				lines++;
			}
		}
		return lines;
	}

}
