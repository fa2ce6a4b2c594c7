package io.viewstamp.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import io.viewstamp.transport.InvalidPeerAddressException;
import io.viewstamp.vsr.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.Ordered;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A configuration that does not hold together stops startup with a description that names the
 * property, and an action that says how to fix it.
 */
class ReplicationFailureAnalyzerTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, ReplicationAutoConfiguration.class));

	@TempDir
	Path root;

	@Test
	void whenAPeerAddressCanNotBeParsedThenTheFailureNamesThatPeer() {
		FailureAnalysis analysis = analyzeStartup("replication.peers=localhost:7401,localhost", "replication.replica=0");
		assertThat(analysis.getDescription()).contains("replication.peers[1]").contains("'localhost'");
		assertThat(analysis.getAction()).contains("host:port");
	}

	@Test
	void whenTheReplicaIndexIsOutsideThePeersThenTheFailureNamesTheReplicaProperty() {
		FailureAnalysis analysis = analyzeStartup("replication.peers=localhost:7401,localhost:7402,localhost:7403",
				"replication.replica=3");
		assertThat(analysis.getDescription()).contains("replication.replica").contains("'3'");
		assertThat(analysis.getAction()).contains("from 0 to 2");
	}

	@Test
	void whenASingleReplicaHasAnotherIndexThanZeroThenTheFailureSaysSo() {
		FailureAnalysis analysis = analyzeStartup("replication.replica=1");
		assertThat(analysis.getDescription()).contains("replication.replica");
		assertThat(analysis.getAction()).contains("single replica is replica 0");
	}

	@Test
	void whenAPeerIsListedTwiceThenTheFailureNamesTheDuplicate() {
		FailureAnalysis analysis = analyzeStartup("replication.peers=localhost:7401,localhost:7402,localhost:7401");
		assertThat(analysis.getDescription()).contains("replication.peers[2]").contains("replication.peers[0]");
		assertThat(analysis.getAction()).contains("address of its own");
	}

	@Test
	void whenMorePeersAreListedThanAClusterMayHaveThenTheFailureNamesThePeersProperty() {
		String peers = java.util.stream.IntStream.rangeClosed(1, Cluster.REPLICAS_MAX + 1)
			.mapToObj((port) -> "localhost:" + (7000 + port))
			.collect(java.util.stream.Collectors.joining(","));
		FailureAnalysis analysis = analyzeStartup("replication.peers=" + peers);
		assertThat(analysis.getDescription()).contains("replication.peers")
			.contains("more than the " + Cluster.REPLICAS_MAX + " replicas a cluster may have");
		assertThat(analysis.getAction()).contains("List at most " + Cluster.REPLICAS_MAX);
	}

	@Test
	void whenTheSslBundleDoesNotExistThenTheFailureNamesItAndWhereToDefineIt() {
		FailureAnalysis analysis = analyzeStartup("replication.ssl-bundle=peers");
		assertThat(analysis.getDescription()).contains("replication.ssl-bundle")
			.contains("there is no SSL bundle named 'peers'");
		assertThat(analysis.getAction()).contains("spring.ssl.bundle.jks.peers").contains("spring.ssl.bundle.pem.peers");
	}

	@Test
	void whenTheSslBundleHasNoKeyStoreThenTheFailureSaysEachReplicaNeedsItsOwnCertificate() {
		FailureAnalysis analysis = analyzeStartup("replication.ssl-bundle=peers",
				"spring.ssl.bundle.jks.peers.truststore.location=classpath:tls/trusted.p12",
				"spring.ssl.bundle.jks.peers.truststore.password=changeit");
		assertThat(analysis.getDescription()).contains("SSL bundle 'peers' has no key store");
		assertThat(analysis.getAction()).contains("spring.ssl.bundle.jks.peers.keystore.location");
	}

	@Test
	void whenTheSslBundleHasNoTrustStoreThenTheFailureSaysReplicasOnlyAcceptTrustedPeers() {
		FailureAnalysis analysis = analyzeStartup("replication.ssl-bundle=peers",
				"spring.ssl.bundle.jks.peers.keystore.location=classpath:tls/replica.p12",
				"spring.ssl.bundle.jks.peers.keystore.password=changeit");
		assertThat(analysis.getDescription()).contains("SSL bundle 'peers' has no trust store");
		assertThat(analysis.getAction()).contains("spring.ssl.bundle.jks.peers.truststore.location");
	}

	@Test
	void whenTheSnapshotIntervalIsTooSmallThenTheFailureNamesIt() {
		FailureAnalysis analysis = analyzeStartup("replication.snapshot-interval=10");
		assertThat(analysis.getDescription()).contains("replication.snapshot-interval");
	}

	@Test
	void whenTheIdleTimeoutIsNotTwiceThePingIntervalThenTheFailureNamesBoth() {
		FailureAnalysis analysis = analyzeStartup("replication.transport.ping-interval=2s",
				"replication.transport.idle-timeout=3s");
		assertThat(analysis.getDescription()).contains("replication.transport.idle-timeout", "twice the ping interval");
		assertThat(analysis.getAction()).contains("replication.transport.ping-interval");
	}

	@Test
	void whenThePipelineDepthIsZeroThenTheFailureNamesItAndItsRange() {
		FailureAnalysis analysis = analyzeStartup("replication.pipeline-depth=0");
		assertThat(analysis.getDescription()).contains("replication.pipeline-depth", "within 1..4096");
		assertThat(analysis.getAction()).contains("the default is 32");
	}

	@Test
	void aBadPropertyIsBootsInvalidConfigurationPropertyValueExceptionAndThisAnalyzerComesFirst() {
		this.runner.withPropertyValues("replication.data-dir=" + this.root.resolve("data"), "replication.batch-size=0")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.extracting((failure) -> ((InvalidConfigurationPropertyValueException) failure).getName())
				.isEqualTo("replication.batch-size"));
		assertThat(new ReplicationFailureAnalyzer().getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
	}

	@Test
	void aPeerAddressTheApplicationBuiltItselfIsAnalyzedByItsTypeAndNamesThePeersProperty() {
		FailureAnalysis analysis = new ReplicationFailureAnalyzer()
			.analyze(new IllegalStateException("wrapped", new InvalidPeerAddressException("Peer address 'x' is bad")));
		assertThat(analysis.getDescription()).contains("Peer address 'x' is bad");
		assertThat(analysis.getAction()).contains("replication.peers");
		assertThat(new ReplicationFailureAnalyzer().analyze(new IllegalArgumentException("anything else"))).isNull();
	}

	@Test
	void whenTheBatchSizeIsMoreThanOneJournalEntryHoldsThenTheFailureNamesIt() {
		FailureAnalysis analysis = analyzeStartup("replication.batch-size=100000");
		assertThat(analysis.getDescription()).contains("replication.batch-size", "one journal entry");
	}

	@Test
	void whenThePrimaryTimeoutIsNotMoreThanTwoHeartbeatsThenTheFailureNamesBoth() {
		FailureAnalysis analysis = analyzeStartup("replication.heartbeat-interval=300ms",
				"replication.primary-timeout=500ms");
		assertThat(analysis.getDescription()).contains("replication.primary-timeout", "replication.heartbeat-interval");
		assertThat(analysis.getAction()).contains("more than twice replication.heartbeat-interval");
	}

	@Test
	void whenAProtocolTimeoutIsShorterThanOneTickThenTheFailureNamesIt() {
		FailureAnalysis analysis = analyzeStartup("replication.view-change-timeout=1ms");
		assertThat(analysis.getDescription()).contains("replication.view-change-timeout", "at least one tick");
	}

	@Test
	void whenTheSnapshotIntervalIsWithinTheConfiguredPipelineThenTheFailureNamesBoth() {
		FailureAnalysis analysis = analyzeStartup("replication.pipeline-depth=600", "replication.snapshot-interval=500");
		assertThat(analysis.getDescription()).contains("replication.snapshot-interval", "replication.pipeline-depth");
	}

	@Test
	void whenTheSecretIsTooShortThenTheFailureNamesThePropertyButNeverShowsTheSecret() {
		FailureAnalysis analysis = analyzeStartup("replication.secret=hunter2");
		assertThat(analysis.getDescription()).contains("replication.secret", "fewer than the 16 required")
			.doesNotContain("hunter2");
		assertThat(analysis.getAction()).contains("openssl rand -base64 32").doesNotContain("hunter2");
	}

	@Test
	void whenThePingIntervalIsNotPositiveThenTheFailureNamesIt() {
		FailureAnalysis analysis = analyzeStartup("replication.transport.ping-interval=0s");
		assertThat(analysis.getDescription()).contains("replication.transport.ping-interval");
	}

	@Test
	void whenTheStateCheckIntervalIsNegativeThenTheFailureNamesItAndHowToTurnChecksOff() {
		FailureAnalysis analysis = analyzeStartup("replication.state-check-interval=-1");
		assertThat(analysis.getDescription()).contains("replication.state-check-interval");
		assertThat(analysis.getAction()).contains("0 to turn the checks off");
	}

	@Test
	void whenTheDataDirectoryBelongsToAnotherClusterThenTheFailureSaysSo() {
		Path dataDir = this.root.resolve("data");
		this.runner.withPropertyValues("replication.cluster-id=first", "replication.data-dir=" + dataDir)
			.run((context) -> assertThat(context).hasNotFailed());
		FailureAnalysis analysis = analyzeStartupIn(dataDir, "replication.cluster-id=second");
		assertThat(analysis.getDescription()).contains("data directory").contains(dataDir.toString());
		assertThat(analysis.getAction()).contains("replication.data-dir");
	}

	@Test
	void whenThePortIsInUseThenTheFailureSaysSo() throws IOException {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			FailureAnalysis analysis = analyzeStartup(
					"replication.peers=127.0.0.1:" + taken.getLocalPort() + ",127.0.0.1:"
							+ ReplicationAutoConfigurationTest.freePort(),
					"replication.initialize=true");
			assertThat(analysis.getDescription()).contains("network");
			// The likeliest cause on one host: a second replica started without its own index.
			assertThat(analysis.getAction()).contains("port").contains("set replication.replica");
		}
	}

	@Test
	void whenAFailureIsNotAboutReplicationThenTheAnalyzerStaysOut() {
		assertThat(new ReplicationFailureAnalyzer().analyze(new IllegalStateException("something else"))).isNull();
		assertThat(new ReplicationFailureAnalyzer().analyze(new IllegalArgumentException("something else"))).isNull();
	}

	@Test
	void theAnalyzerIsRegisteredForSpringBoot() {
		// Boot's own analyzers need constructor arguments this test does not give; they are skipped.
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, null, SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> {
			})))
			.hasAtLeastOneElementOfType(ReplicationFailureAnalyzer.class);
	}

	private FailureAnalysis analyzeStartup(String... properties) {
		return analyzeStartupIn(this.root.resolve("data"), properties);
	}

	private FailureAnalysis analyzeStartupIn(Path dataDir, String... properties) {
		FailureAnalysis[] analysis = new FailureAnalysis[1];
		this.runner.withPropertyValues("replication.data-dir=" + dataDir)
			.withPropertyValues(properties)
			.run((AssertableApplicationContext context) -> {
				assertThat(context).hasFailed();
				analysis[0] = new ReplicationFailureAnalyzer().analyze(context.getStartupFailure());
			});
		assertThat(analysis[0]).as("the analysis of the startup failure").isNotNull();
		return analysis[0];
	}

}
