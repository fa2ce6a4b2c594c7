package io.viewstamp.runtime;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import io.viewstamp.transport.PeerAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests for {@link Formation}: a replica without data forms only when every member says it holds none. */
class FormationTest {

	private final Formation formation = new Formation(new NodeConfiguration(7, 1,
			List.of(PeerAddress.parse("127.0.0.1:7401"), PeerAddress.parse("127.0.0.1:7402"),
					PeerAddress.parse("127.0.0.1:7403")),
			Path.of("unused")));

	@Test
	void formsOnlyWhenEveryOtherMemberAnsweredThatItHoldsNoData() {
		assertThat(decide(false, null, false)).isEqualTo(Formation.Decision.FORM);
		assertThat(decide(null, null, false)).isEqualTo(Formation.Decision.WAIT);
		assertThat(decide(false, null, null)).isEqualTo(Formation.Decision.WAIT);
	}

	@Test
	void recoversAsSoonAsOneMemberHoldsDataWhateverTheOthersSay() {
		assertThat(decide(true, null, null)).isEqualTo(Formation.Decision.RECOVER);
		assertThat(decide(null, null, true)).isEqualTo(Formation.Decision.RECOVER);
		assertThat(decide(false, null, true)).isEqualTo(Formation.Decision.RECOVER);
	}

	@Test
	void itsOwnAnswerDoesNotCount() {
		// Replica 1 is this one: what the function says of it is never asked.
		assertThat(decide(false, true, false)).isEqualTo(Formation.Decision.FORM);
	}

	private Formation.Decision decide(@Nullable Boolean... answers) {
		List<@Nullable Boolean> byReplica = Arrays.asList(answers);
		return this.formation.decide(byReplica::get);
	}

}
