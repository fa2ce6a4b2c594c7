package io.viewstamp.actuate;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health of a replica: up only when it takes part in the protocol with a majority.
 */
class ReplicationHealthIndicatorTest {

	@Test
	void whenNormalWithAMajorityConnectedThenUp() {
		Health health = health(report("NORMAL", false, true, false));
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("replicasConnected", 2).containsEntry("view", 3L);
	}

	@Test
	void whenASingleReplicaIsNormalThenUp() {
		ReplicationReport alone = new ReplicationReport("demo", 0, 1, "NORMAL", 0, 0, 5, 5, 5, false, null, List.of(),
				journal(), 0, null, 0, Map.of(), List.of(), new ReplicationReport.Members(0, List.of(0)), null);
		assertThat(health(alone).getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void whenOnlyAMinorityIsConnectedThenDownSayingHowMany() {
		Health health = health(report("NORMAL", false, false, false));
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails().get("reason")).asString()
			.contains("Only 1 of the 3 members [0, 1, 2] are connected")
			.contains("need 2");
	}

	@Test
	void aPeerListThatNamesHostsBeyondTheMembersCountsOnlyTheMembers() {
		// Three members, two more hosts in the address book and not running: a majority is 2 of 3, not 4 of 6.
		List<ReplicationReport.Peer> peers = List.of(new ReplicationReport.Peer(1, "h1:7402", true, null, List.of()),
				new ReplicationReport.Peer(2, "h2:7403", false, null, List.of()),
				new ReplicationReport.Peer(3, "h3:7404", false, null, List.of()),
				new ReplicationReport.Peer(4, "h4:7405", false, null, List.of()),
				new ReplicationReport.Peer(5, "h5:7406", false, null, List.of()));
		ReplicationReport report = new ReplicationReport("demo", 0, 6, "NORMAL", 3, 0, 10, 9, 9, false, null, peers,
				journal(), 0, null, 0, Map.of(), List.of(), new ReplicationReport.Members(0, List.of(0, 1, 2)), null);
		Health health = health(report);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("replicasConnected", 2).containsEntry("members", List.of(0, 1, 2));
	}

	@Test
	void aSpareWaitingToBeAddedIsOutOfServiceSayingHowToAddIt() {
		List<ReplicationReport.Peer> peers = List.of(new ReplicationReport.Peer(0, "h0:7401", true, null, List.of()),
				new ReplicationReport.Peer(1, "h1:7402", true, null, List.of()),
				new ReplicationReport.Peer(2, "h2:7403", true, null, List.of()));
		ReplicationReport spare = new ReplicationReport("demo", 3, 4, "NORMAL", 3, 0, 10, 9, 9, false, null, peers,
				journal(), 0, null, 0, Map.of(), List.of(), new ReplicationReport.Members(0, List.of(0, 1, 2)), null);
		Health health = health(spare);
		assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(health.getDetails().get("reason")).asString()
			.contains("not a member of epoch 0 (members [0, 1, 2])")
			.contains("POST /actuator/replication {\"add\": 3}");
	}

	@Test
	void whenInAViewChangeThenDownSayingSo() {
		Health health = health(report("VIEW_CHANGE", true, true, false));
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails().get("reason")).asString().contains("VIEW_CHANGE");
	}

	@Test
	void whenStoppedThenDownWithTheCause() {
		Health health = health(report("NORMAL", true, true, true));
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails().get("reason")).asString().contains("stopped").contains("disk full");
	}

	@Test
	void whenTheReplicaDoesNotRunThenDown() {
		Health health = new ReplicationHealthIndicator(() -> null).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails().get("reason")).asString().contains("not running");
	}

	@Test
	void theEndpointShowsTheReport() {
		ReplicationReport report = report("NORMAL", true, true, false);
		assertThat(new ReplicationEndpoint(() -> report).replication()).isSameAs(report);
		assertThat(report.appliedNumber()).isEqualTo(report.commitNumber());
	}

	private static Health health(ReplicationReport report) {
		return new ReplicationHealthIndicator(() -> report).health();
	}

	@Test
	void whenRecoveringThenDownSayingWhatItWaitsFor() {
		Health health = health(report("RECOVERING", true, true, false));
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails().get("reason")).asString()
			.contains("RECOVERING")
			.contains("forms a new cluster (none does) or takes its state from a majority of its peers");
	}

	@Test
	void whenThisReplicaContradictedThePrimaryThenDownWithTheDivergence() {
		ReplicationReport diverged = new ReplicationReport("demo", 0, 1, "NORMAL", 0, 0, 5, 5, 5, false, null, List.of(),
				journal(), 1, "The primary's result for op 5 is not any result this replica computed", 0, Map.of(),
				List.of(), new ReplicationReport.Members(0, List.of(0)), null);
		Health health = health(diverged);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails().get("reason")).asString().contains("op 5");
	}

	private static ReplicationReport report(String status, boolean first, boolean second, boolean stopped) {
		List<ReplicationReport.Peer> peers = List.of(new ReplicationReport.Peer(1, "localhost:7402", first, null, List.of()),
				new ReplicationReport.Peer(2, "localhost:7403", second, null, List.of()));
		return new ReplicationReport("demo", 0, 3, status, 3, 0, 10, 9, 9, stopped, stopped ? "disk full" : null, peers,
				journal(), 0, null, 0, Map.of(), List.of(), new ReplicationReport.Members(0, List.of(0, 1, 2)), null);
	}

	private static ReplicationReport.Journal journal() {
		return new ReplicationReport.Journal(1, 10, 4096, 4096, 0);
	}

}
