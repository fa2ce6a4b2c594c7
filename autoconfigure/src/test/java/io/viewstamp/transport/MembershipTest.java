package io.viewstamp.transport;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.viewstamp.transport.Handshake.Accepted;
import io.viewstamp.transport.Handshake.Hello;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests for {@link Membership}'s handshake rules, each refusal saying what to check. */
class MembershipTest {

	private static final List<PeerAddress> PEERS = List.of(PeerAddress.parse("localhost:7401"),
			PeerAddress.parse("localhost:7402"), PeerAddress.parse("localhost:7403"));

	private final Membership replica1 = Membership.of(42, 1, PEERS);

	@Test
	void lowerReplicaOfTheSameClusterDialingThisOneIsAccepted() {
		assertThat(this.replica1.problemWithHello(new Hello(42, 0, 1))).isEmpty();
	}

	@Test
	void otherClusterIsRefused() {
		assertThat(this.replica1.problemWithHello(new Hello(7, 0, 1))).hasValue(
				"the peer claims cluster id 7, this replica belongs to cluster 42: check replication.cluster-id on both");
	}

	@Test
	void dialerOutsideTheIndexSpaceIsRefused() {
		assertThat(this.replica1.problemWithHello(new Hello(42, 16, 1))).hasValueSatisfying((problem) -> assertThat(problem)
			.contains("claims to be replica 16, but a cluster has replicas 0..15")
			.contains("same peer list"));
		assertThat(this.replica1.problemWithHello(new Hello(42, -1, 1))).isPresent();
	}

	@Test
	void dialerNotLowerThanThisReplicaIsRefused() {
		assertThat(this.replica1.problemWithHello(new Hello(42, 2, 1)))
			.hasValueSatisfying((problem) -> assertThat(problem).contains("only a lower index dials a higher one"));
		assertThat(this.replica1.problemWithHello(new Hello(42, 1, 1))).isPresent();
	}

	@Test
	void dialerThatBelievesItDialsAnotherReplicaIsRefused() {
		assertThat(this.replica1.problemWithHello(new Hello(42, 0, 2))).hasValueSatisfying((problem) -> assertThat(problem)
			.contains("believes it dials replica 2, but this is replica 1 (localhost:7402)")
			.contains("in the same order"));
	}

	@Test
	void acceptanceMustComeFromTheDialedReplicaOfThisCluster() {
		Membership replica0 = Membership.of(42, 0, PEERS);
		assertThat(replica0.problemWithAccepted(1, PEERS.get(1), new Accepted(42, 1))).isEmpty();
		assertThat(replica0.problemWithAccepted(1, PEERS.get(1), new Accepted(7, 1)))
			.hasValueSatisfying((problem) -> assertThat(problem).contains("answers with cluster id 7"));
		assertThat(replica0.problemWithAccepted(1, PEERS.get(1), new Accepted(42, 2))).hasValueSatisfying(
				(problem) -> assertThat(problem).contains("answers as replica 2, but replica 0 dialed replica 1"));
	}

}
