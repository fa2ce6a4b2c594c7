package io.viewstamp.vsr;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Tests for {@link Configuration}: members, quorums that always intersect, primaries, epochs in views. */
class ConfigurationTest {

	@Test
	void theFirstConfigurationHasThePrimariesOfACluster() {
		Configuration three = Configuration.initial(3);
		assertThat(three.epoch()).isZero();
		assertThat(three.size()).isEqualTo(3);
		for (long view = 0; view < 10; view++) {
			assertThat(three.primaryOf(view)).isEqualTo(new Cluster(1, 3).primaryOf(view));
		}
	}

	@Test
	void primariesTakeTheMembersInIndexOrder() {
		Configuration grown = Configuration.ofMembers(1, 4, 0, 3, 1);
		assertThat(grown.members()).isEqualTo(0b11011);
		long first = grown.firstView();
		assertThat(first).isEqualTo(1L << 32);
		int[] primaries = new int[8];
		for (int step = 0; step < primaries.length; step++) {
			primaries[step] = grown.primaryOf(step);
		}
		assertThat(primaries).containsExactly(0, 1, 3, 4, 0, 1, 3, 4);
		assertThat(grown.positionOf(3)).isEqualTo(2);
		assertThat(grown.positionOf(2)).isEqualTo(-1);
		assertThat(grown.contains(2)).isFalse();
		assertThat(grown.contains(16)).isFalse();
	}

	/** Every two quorums share a member, whatever the size: the rule every commit and view change rests on. */
	@Test
	void anyTwoQuorumsShareAMember() {
		for (int size = 1; size <= 7; size++) {
			Configuration configuration = Configuration.initial(size);
			assertThat(2 * configuration.quorum()).as("size %d", size).isGreaterThan(size);
			assertThat(configuration.quorum() + configuration.faultsMax()).as("size %d", size).isLessThanOrEqualTo(size);
		}
		assertThat(Configuration.initial(2).quorum()).isEqualTo(2);
		assertThat(Configuration.initial(4).quorum()).isEqualTo(3);
		assertThat(new Cluster(1, 4).quorum()).isEqualTo(3);
		assertThat(new Cluster(1, 2).quorum()).isEqualTo(2);
	}

	@Test
	void aViewNamesItsEpoch() {
		assertThat(Configuration.epochOf(7)).isZero();
		assertThat(Configuration.epochOf((3L << 32) + 7)).isEqualTo(3);
		assertThat(Configuration.ofMembers(3, 0, 1, 2).hasView((3L << 32) + 7)).isTrue();
		assertThat(Configuration.ofMembers(2, 0, 1, 2).hasView((3L << 32) + 7)).isFalse();
	}

	@Test
	void aConfigurationWithoutMembersOrOutsideTheIndexSpaceIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> Configuration.of(0, 0)).withMessageContaining("at least one member");
		assertThatIllegalStateException().isThrownBy(() -> Configuration.ofMembers(0, 16)).withMessageContaining("outside 0..15");
		assertThatIllegalStateException().isThrownBy(() -> Configuration.of(-1, 1)).withMessageContaining("epoch -1");
	}

	@Test
	void aChangeKeepsTheAddressesOfTheMembersThatStayAndTheRequestCarriesThem() {
		Configuration current = Configuration.ofMembers(1, 0, 1, 2).withAddress(0, "a:1").withAddress(1, "b:2")
			.withAddress(2, "c:3");
		Configuration next = current.next(0b1011).withAddress(3, "d:4");
		assertThat(next.addresses()).containsExactly(entry(0, "a:1"), entry(1, "b:2"), entry(3, "d:4"));
		assertThat(next.address(2)).isEmpty();
		Request request = Request.reconfigure(next);
		assertThat(request.configuration()).isEqualTo(next);
		assertThat(Request.reconfigure(Configuration.ofMembers(2, 0, 1)).configuration())
			.isEqualTo(Configuration.ofMembers(2, 0, 1));
	}

	@Test
	void aReconfigurationOfTheReleaseBeforeAddressesReadsWithoutThem() {
		byte[] body = java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(3).putInt(0b111).array();
		Request before = new Request(0, 0, 1, Operation.RECONFIGURE, body);
		assertThat(before.configuration()).isEqualTo(Configuration.of(3, 0b111));
		assertThat(before.configuration().hasAddresses()).isFalse();
	}

	@Test
	void anAddressLongerThanTheLimitOrForANonMemberIsRefused() {
		Configuration members = Configuration.ofMembers(1, 0, 1);
		assertThatIllegalStateException()
			.isThrownBy(() -> members.withAddress(1, "h".repeat(Configuration.ADDRESS_SIZE_BYTES_MAX) + ":1"))
			.withMessageContaining("longer than 240 bytes");
		assertThatIllegalStateException().isThrownBy(() -> members.withAddress(2, "a:1"))
			.withMessageContaining("replica 2 is not a member");
		assertThat(Configuration.isAddress("é".repeat(120))).isTrue();
		assertThat(Configuration.isAddress("é".repeat(121))).isFalse();
	}

}
