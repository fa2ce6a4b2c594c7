package io.viewstamp.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md against the configuration metadata the IDE shows: every {@code replication.*}
 * property of the metadata has a row, with the metadata's type and default, and the page lists no
 * property the starter does not read. A property added, removed or changed without the page fails here.
 */
class ConfigurationReferenceTest {

	/** A row of the reference: {@code | `name` | `type` | default | example | meaning |}. */
	private static final Pattern ROW = Pattern
		.compile("^\\| `(replication\\.[a-z.-]+)` \\| `([^`]+)` \\| (none|`[^`]*`) \\| [^|]+ \\| [^|]+\\|$");

	static Path docs() {
		// Surefire runs in the module's directory; the docs are the repository's.
		Path module = Path.of(System.getProperty("user.dir"));
		Path docs = module.resolveSibling("docs");
		return Files.isDirectory(docs) ? docs : module.resolve("docs");
	}

	@Test
	void theReferenceListsEveryPropertyWithItsTypeAndDefaultAndNoOther() throws IOException {
		Map<String, Row> documented = documentedProperties();
		Map<String, Row> metadata = metadataProperties();
		assertThat(metadata).as("properties in the metadata").isNotEmpty();
		assertThat(documented.keySet()).as("the properties docs/configuration.md lists (add a row for each missing one, "
				+ "remove each the starter no longer reads)")
			.containsExactlyInAnyOrderElementsOf(metadata.keySet());
		metadata.forEach((name, expected) -> assertThat(documented.get(name))
			.as("the type and default docs/configuration.md gives %s", name)
			.isEqualTo(expected));
	}

	/** Every row of the page, checked for its form: a row that does not parse is a mistake, not a skip. */
	private static Map<String, Row> documentedProperties() throws IOException {
		Map<String, Row> rows = new LinkedHashMap<>();
		List<String> lines = Files.readAllLines(docs().resolve("configuration.md"));
		for (String line : lines) {
			if (!line.startsWith("| `replication.")) {
				continue;
			}
			Matcher row = ROW.matcher(line);
			assertThat(row.matches()).as("a row of docs/configuration.md in the form | `name` | `type` | `default` "
					+ "or none | example | meaning |: %s", line).isTrue();
			String defaultValue = row.group(3).equals("none") ? "none" : row.group(3).replace("`", "");
			Row previous = rows.put(row.group(1), new Row(row.group(2), defaultValue));
			assertThat(previous).as("%s listed twice", row.group(1)).isNull();
		}
		return rows;
	}

	private Map<String, Row> metadataProperties() throws IOException {
		Map<String, Row> rows = new LinkedHashMap<>();
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			JsonNode metadata = JsonMapper.builder().build().readTree(in);
			for (JsonNode property : metadata.get("properties")) {
				String name = property.get("name").asString();
				if (name.startsWith("replication.")) {
					JsonNode defaultValue = property.get("defaultValue");
					rows.put(name, new Row(simpleType(property.get("type").asString()),
							(defaultValue == null || defaultValue.isNull()) ? "none" : defaultValue.asString()));
				}
			}
		}
		return rows;
	}

	/** {@code java.util.List<java.lang.String>} as the page writes it: {@code List<String>}. */
	static String simpleType(String type) {
		return type.replaceAll("[a-z][a-z0-9_]*\\.", "");
	}

	record Row(String type, String defaultValue) {
	}

}
