package io.viewstamp.demo;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import io.viewstamp.autoconfigure.ReplicationProperties;
import io.viewstamp.runtime.NodeConfiguration;
import io.viewstamp.transport.PeerAddress;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the Kubernetes manifests that docs/operations.md shows ({@code docs/kubernetes/demo.yaml})
 * against the application: every pod's environment binds to the {@code replication.*} properties
 * it means and makes a valid replica configuration for each pod ordinal, the peers are the pods'
 * stable names behind the headless service on the replication port, the data directory is the
 * mounted volume, and the probes read the health groups the environment configures.
 */
class DemoKubernetesManifestTest {

	private static final Path MANIFEST = Path.of("..", "docs", "kubernetes", "demo.yaml");

	@Test
	void everyPodOfTheStatefulSetGetsAValidReplicaConfigurationFromItsOrdinal() throws IOException {
		Map<String, Object> statefulSet = document("StatefulSet");
		Map<String, Object> spec = map(statefulSet, "spec");
		int replicas = (Integer) spec.get("replicas");
		String name = (String) map(statefulSet, "metadata").get("name");
		String serviceName = (String) spec.get("serviceName");
		Map<String, Object> container = container(spec);
		Map<String, String> env = env(container);

		for (int ordinal = 0; ordinal < replicas; ordinal++) {
			Map<String, Object> podEnv = new HashMap<>(env);
			// What the downward API gives each pod from its label apps.kubernetes.io/pod-index.
			podEnv.put("REPLICATION_REPLICA", Integer.toString(ordinal));
			ReplicationProperties properties = bind(podEnv);
			assertThat(properties.getClusterId()).isEqualTo("bank-prod");
			assertThat(properties.getReplica()).isEqualTo(ordinal);
			assertThat(properties.getPeers()).hasSize(replicas);
			List<PeerAddress> peers = new ArrayList<>();
			for (int index = 0; index < replicas; index++) {
				assertThat(properties.getPeers().get(index)).as("peer %d: the pod's stable name behind the headless service", index)
					.isEqualTo(name + "-" + index + "." + serviceName + ":" + replicationPort(container));
				peers.add(PeerAddress.parse(properties.getPeers().get(index)));
			}
			// NodeConfiguration checks the peer and replica rules the starter applies.
			NodeConfiguration configuration = new NodeConfiguration(1, properties.getReplica(), peers, properties.getDataDir());
			assertThat(configuration.replica()).isEqualTo(ordinal);
		}
		assertThat(envSource(container, "REPLICATION_REPLICA")).containsEntry("fieldPath",
				"metadata.labels['apps.kubernetes.io/pod-index']");
		assertThat(bind(new HashMap<>(env)).getDataDir().toString())
			.isEqualTo(volumeMountPath(container, "replication-data"));
		assertThat(((List<?>) spec.get("volumeClaimTemplates"))).isNotEmpty();
	}

	@Test
	void theHeadlessServiceNamesEveryPodOnTheReplicationPortBeforeItIsReady() throws IOException {
		Map<String, Object> statefulSet = document("StatefulSet");
		Map<String, Object> service = documents().stream()
			.filter((document) -> "Service".equals(document.get("kind")))
			.filter((document) -> map(document, "metadata").get("name").equals(map(statefulSet, "spec").get("serviceName")))
			.findFirst()
			.orElseThrow();
		Map<String, Object> serviceSpec = map(service, "spec");
		assertThat(serviceSpec.get("clusterIP")).isEqualTo("None");
		// Replicas dial each other while none is ready yet: a new cluster forms only once all answer.
		assertThat(serviceSpec.get("publishNotReadyAddresses")).isEqualTo(true);
		assertThat(map(statefulSet, "spec").get("podManagementPolicy")).isEqualTo("Parallel");
		List<Map<String, Object>> ports = list(serviceSpec, "ports");
		assertThat(ports).anySatisfy((port) -> assertThat(port.get("port"))
			.isEqualTo(replicationPort(container(map(statefulSet, "spec")))));
	}

	@Test
	void theProbesReadTheHealthGroupsTheEnvironmentConfigures() throws IOException {
		Map<String, Object> container = container(map(document("StatefulSet"), "spec"));
		Map<String, String> env = env(container);
		StandardEnvironment environment = environment(new HashMap<>(env));
		assertThat(environment.getProperty("management.endpoint.health.probes.enabled", Boolean.class)).isTrue();
		assertThat(environment.getProperty("management.endpoint.health.group.readiness.include"))
			.isEqualTo("readinessState,replication");
		assertThat(map(map(container, "readinessProbe"), "httpGet").get("path")).isEqualTo("/actuator/health/readiness");
		assertThat(map(map(container, "livenessProbe"), "httpGet").get("path")).isEqualTo("/actuator/health/liveness");
	}

	private static ReplicationProperties bind(Map<String, Object> env) {
		return Binder.get(environment(env)).bindOrCreate("replication", ReplicationProperties.class);
	}

	private static StandardEnvironment environment(Map<String, Object> env) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("pod", env));
		ConfigurationPropertySources.attach(environment);
		return environment;
	}

	private static int replicationPort(Map<String, Object> container) {
		return list(container, "ports").stream()
			.filter((port) -> "replication".equals(port.get("name")))
			.map((port) -> (Integer) port.get("containerPort"))
			.findFirst()
			.orElseThrow();
	}

	private static String volumeMountPath(Map<String, Object> container, String volume) {
		return list(container, "volumeMounts").stream()
			.filter((mount) -> volume.equals(mount.get("name")))
			.map((mount) -> (String) mount.get("mountPath"))
			.findFirst()
			.orElseThrow();
	}

	private static Map<String, String> env(Map<String, Object> container) {
		Map<String, String> env = new HashMap<>();
		for (Map<String, Object> variable : list(container, "env")) {
			if (variable.get("value") != null) {
				env.put((String) variable.get("name"), variable.get("value").toString());
			}
		}
		return env;
	}

	private static Map<String, Object> envSource(Map<String, Object> container, String name) {
		return list(container, "env").stream()
			.filter((variable) -> name.equals(variable.get("name")))
			.map((variable) -> map(map(variable, "valueFrom"), "fieldRef"))
			.findFirst()
			.orElseThrow();
	}

	private static Map<String, Object> container(Map<String, Object> statefulSetSpec) {
		return list(map(map(statefulSetSpec, "template"), "spec"), "containers").get(0);
	}

	private static Map<String, Object> document(String kind) throws IOException {
		return documents().stream().filter((document) -> kind.equals(document.get("kind"))).findFirst().orElseThrow();
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> documents() throws IOException {
		List<Map<String, Object>> documents = new ArrayList<>();
		try (Reader reader = Files.newBufferedReader(MANIFEST)) {
			for (Object document : new Yaml().loadAll(reader)) {
				documents.add((Map<String, Object>) document);
			}
		}
		return documents;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Map<String, Object> parent, String key) {
		return (Map<String, Object>) parent.get(key);
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
		return (List<Map<String, Object>>) parent.get(key);
	}

}
