package io.viewstamp.autoconfigure;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.viewstamp.actuate.CommandLatencyMetrics;
import io.viewstamp.actuate.ReplicationMetrics;
import io.viewstamp.actuate.ReplicationReport;
import io.viewstamp.beans.CommandObserver;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/actuator.md against what the starter exposes: every field of the report
 * {@code /actuator/replication} answers (nested records and lists of records included, as Jackson
 * writes them) and every meter, with its type and tag keys. A field or meter added, removed or
 * renamed without the page fails here.
 */
class ActuatorReferenceTest {

	private static final Pattern FIELD_ROW = Pattern.compile("^\\| `([A-Za-z.\\[\\]]+)` \\| .+\\|$");

	private static final Pattern METER_ROW = Pattern
		.compile("^\\| `(replication\\.[a-z.]+)` \\| ([a-z ]+) \\| ((?:`[a-z]+`(?:, )?)*) ?\\| .+\\|$");

	@Test
	void thePageListsEveryFieldOfTheReportAndNoOther() throws IOException {
		Set<String> fields = new TreeSet<>();
		fieldsOf(ReplicationReport.class, "", fields);
		assertThat(rows("## Fields of", FIELD_ROW).keySet())
			.as("the fields docs/actuator.md lists (add a row for each missing one, remove each the report no longer has)")
			.containsExactlyInAnyOrderElementsOf(fields);
	}

	@Test
	void thePageListsEveryMeterWithItsTypeAndTagsAndNoOther() throws IOException {
		MeterRegistry registry = new SimpleMeterRegistry();
		// A replica of three, so that the per-peer gauges exist; a command timed, so that its timer does.
		new ReplicationMetrics(() -> null, 0, 3).bindTo(registry);
		new CommandLatencyMetrics(registry).started("counter", "add(int)", CommandObserver.Kind.COMMAND).completed(null);
		Map<String, String> meters = new TreeMap<>();
		for (Meter meter : registry.getMeters()) {
			Set<String> tags = new TreeSet<>();
			meter.getId().getTags().forEach((tag) -> tags.add(tag.getKey()));
			meters.put(meter.getId().getName(), typeName(meter.getId().getType()) + " " + tags);
		}
		Map<String, String> documented = new TreeMap<>();
		rows("## Meters", METER_ROW).forEach((name, row) -> {
			Set<String> tags = new TreeSet<>();
			for (String tag : row.group(3).split(",")) {
				if (!tag.isBlank()) {
					tags.add(tag.trim().replace("`", ""));
				}
			}
			documented.put(name, row.group(2).trim() + " " + tags);
		});
		assertThat(documented).as("the meters docs/actuator.md lists, as 'type [tags]'").isEqualTo(meters);
	}

	/** The JSON paths of a record's fields: {@code journal.firstOp}, {@code peers[].index}. */
	private static void fieldsOf(Class<?> record, String prefix, Set<String> fields) {
		// Jackson writes a record's getters too, beyond its components: isMember() is the field "member".
		for (Method method : record.getMethods()) {
			String name = method.getName();
			boolean getter = method.getParameterCount() == 0 && !Modifier.isStatic(method.getModifiers())
					&& method.getDeclaringClass() == record;
			if (getter && name.startsWith("is") && name.length() > 2 && method.getReturnType() == boolean.class) {
				fields.add(prefix + Character.toLowerCase(name.charAt(2)) + name.substring(3));
			}
			else if (getter && name.startsWith("get") && name.length() > 3) {
				fields.add(prefix + Character.toLowerCase(name.charAt(3)) + name.substring(4));
			}
		}
		for (RecordComponent component : record.getRecordComponents()) {
			String path = prefix + component.getName();
			fields.add(path);
			Class<?> type = component.getType();
			if (type.isRecord()) {
				fieldsOf(type, path + ".", fields);
			}
			else if (List.class.isAssignableFrom(type)
					&& component.getGenericType() instanceof ParameterizedType list) {
				Type element = list.getActualTypeArguments()[0];
				if (element instanceof Class<?> elementClass && elementClass.isRecord()) {
					fieldsOf(elementClass, path + "[].", fields);
				}
			}
		}
	}

	private static String typeName(Meter.Type type) {
		return switch (type) {
			case TIMER -> "timer";
			case GAUGE -> "gauge";
			case COUNTER -> "counter";
			default -> type.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
		};
	}

	/** The rows of the table in the section whose heading starts with {@code heading}, by their first cell. */
	private static Map<String, Matcher> rows(String heading, Pattern row) throws IOException {
		List<String> lines = Files.readAllLines(ConfigurationReferenceTest.docs().resolve("actuator.md"));
		Map<String, Matcher> rows = new LinkedHashMap<>();
		boolean inSection = false;
		List<String> malformed = new ArrayList<>();
		for (String line : lines) {
			if (line.startsWith("## ")) {
				inSection = line.startsWith(heading);
				continue;
			}
			if (!inSection || !line.startsWith("| `")) {
				continue;
			}
			Matcher matcher = row.matcher(line);
			if (matcher.matches()) {
				rows.put(matcher.group(1), matcher);
			}
			else {
				malformed.add(line);
			}
		}
		assertThat(malformed).as("rows of docs/actuator.md's '%s' table not in its form", heading).isEmpty();
		return rows;
	}

}
