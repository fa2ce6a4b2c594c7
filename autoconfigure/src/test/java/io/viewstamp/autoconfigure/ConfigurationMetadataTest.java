package io.viewstamp.autoconfigure;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

import io.viewstamp.runtime.RuntimeOptions;
import io.viewstamp.transport.TransportOptions;
import io.viewstamp.vsr.ReplicaOptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata an IDE shows for {@code replication.*}: every property documented,
 * and the defaults it shows the ones the replica runs with.
 */
class ConfigurationMetadataTest {

	@Test
	void everyPropertyHasADescriptionAndTheDefaultsAreTheRuntimes() throws Exception {
		Map<String, JsonNode> properties = new HashMap<>();
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			JsonNode metadata = JsonMapper.builder().build().readTree(in);
			metadata.get("properties").forEach((property) -> properties.put(property.get("name").asString(), property));
		}
		assertThat(properties).isNotEmpty();
		properties.forEach((name, property) -> {
			if (name.startsWith("replication.")) {
				assertThat(property.has("description") && !property.get("description").asString().isBlank())
					.as("description of %s", name)
					.isTrue();
			}
		});
		assertThat(properties.get("replication.pipeline-depth").get("defaultValue").asInt())
			.isEqualTo(ReplicaOptions.PIPELINE_PREPARES_MAX);
		assertThat(properties.get("replication.batch-size").get("defaultValue").asInt())
			.isEqualTo(ReplicaOptions.PREPARE_REQUESTS_MAX);
		assertThat(properties.get("replication.client-sessions").get("defaultValue").asInt())
			.isEqualTo(RuntimeOptions.CLIENT_SESSIONS_MAX);
		assertThat(properties.get("replication.pending-requests").get("defaultValue").asInt())
			.isEqualTo(RuntimeOptions.PENDING_REQUESTS_MAX);
		assertThat(properties.get("replication.transport.ping-interval").get("defaultValue").asString())
			.isEqualTo(TransportOptions.PING_INTERVAL.toSeconds() + "s");
		assertThat(properties.get("replication.transport.idle-timeout").get("defaultValue").asString())
			.isEqualTo(TransportOptions.IDLE_TIMEOUT.toSeconds() + "s");
		ReplicationProperties defaults = new ReplicationProperties();
		long tickMillis = RuntimeOptions.defaults().tickInterval().toMillis();
		assertThat(defaults.getHeartbeatInterval().toMillis() / tickMillis)
			.isEqualTo(ReplicaOptions.HEARTBEAT_INTERVAL_TICKS);
		assertThat(defaults.getPrimaryTimeout().toMillis() / tickMillis).isEqualTo(ReplicaOptions.PRIMARY_TIMEOUT_TICKS);
		assertThat(defaults.getViewChangeTimeout().toMillis() / tickMillis)
			.isEqualTo(ReplicaOptions.VIEW_CHANGE_TIMEOUT_TICKS);
	}

}
