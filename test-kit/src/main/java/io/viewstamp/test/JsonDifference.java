package io.viewstamp.test;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The first place where two JSON documents (two snapshots, two results) differ, as a path and
 * the two values, so that a failure names the field that diverged instead of printing both.
 */
final class JsonDifference {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	/** Longer values are cut, so that a failure stays readable. */
	private static final int VALUE_CHARS_MAX = 200;

	private JsonDifference() {
	}

	/**
	 * Describes where {@code left} and {@code right} first differ.
	 * @return e.g. {@code tickets.open.t3: 4 and 5}, or both texts when either is not JSON
	 */
	static String describe(byte[] left, byte[] right, String leftName, String rightName) {
		try {
			String found = first("", MAPPER.readTree(left), MAPPER.readTree(right), leftName, rightName);
			return (found != null) ? found : "no difference in their JSON";
		}
		catch (JacksonException ex) {
			return leftName + ": " + text(left) + "; " + rightName + ": " + text(right);
		}
	}

	/** The bytes as text, cut to a readable length. */
	static String text(byte[] json) {
		return cut(new String(json, StandardCharsets.UTF_8));
	}

	private static @Nullable String first(String path, JsonNode left, JsonNode right, String leftName, String rightName) {
		if (left.equals(right)) {
			return null;
		}
		if (left.isObject() && right.isObject()) {
			for (Map.Entry<String, JsonNode> field : left.properties()) {
				JsonNode other = right.get(field.getKey());
				String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
				if (other == null) {
					return at + ": present on " + leftName + " (" + cut(field.getValue().toString()) + "), absent on "
							+ rightName;
				}
				String found = first(at, field.getValue(), other, leftName, rightName);
				if (found != null) {
					return found;
				}
			}
			for (Iterator<String> names = right.propertyNames().iterator(); names.hasNext();) {
				String name = names.next();
				if (left.get(name) == null) {
					String at = path.isEmpty() ? name : path + "." + name;
					return at + ": absent on " + leftName + ", present on " + rightName + " ("
							+ cut(right.get(name).toString()) + ")";
				}
			}
		}
		if (left.isArray() && right.isArray() && left.size() == right.size()) {
			for (int i = 0; i < left.size(); i++) {
				String found = first(path + "[" + i + "]", left.get(i), right.get(i), leftName, rightName);
				if (found != null) {
					return found;
				}
			}
		}
		return (path.isEmpty() ? "the whole value" : path) + ": " + cut(left.toString()) + " on " + leftName + ", "
				+ cut(right.toString()) + " on " + rightName;
	}

	private static String cut(String text) {
		return (text.length() <= VALUE_CHARS_MAX) ? text : text.substring(0, VALUE_CHARS_MAX) + "…";
	}

}
