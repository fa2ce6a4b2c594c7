package io.viewstamp.history;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.viewstamp.history.LocalReadChecker.Observation;

import static org.assertj.core.api.Assertions.assertThat;

class LocalReadCheckerTest {

	@Test
	void acceptsReadsThatSeeEverythingReturnedBeforeThem() {
		List<Observation> observations = List.of(write("r0", 1, 0, 10, 5), read("r0", 1, 11, 12, 5),
				write("r0", 2, 13, 20, 9), read("r0", 1, 21, 22, 9), read("r0", 2, 23, 24, 12));

		assertThat(LocalReadChecker.violations(observations)).isEmpty();
	}

	@Test
	void rejectsReadThatMissesTheCallersOwnWrite() {
		List<Observation> observations = List.of(write("r0", 1, 0, 10, 5), read("r0", 1, 11, 12, 4));

		assertThat(LocalReadChecker.violations(observations)).singleElement()
			.asString()
			.contains("caller 1", "op 4", "op 5", "read-your-writes");
	}

	@Test
	void rejectsReadThatGoesBehindWhatAnotherCallerWasShown() {
		List<Observation> observations = List.of(read("r0", 2, 0, 10, 7), read("r0", 1, 11, 12, 6));

		assertThat(LocalReadChecker.violations(observations)).singleElement()
			.asString()
			.contains("never go back");
	}

	@Test
	void ignoresCallsThatOverlapTheRead() {
		// The write completed after the read began: the read may or may not see it.
		List<Observation> observations = List.of(write("r0", 2, 0, 12, 8), read("r0", 1, 11, 13, 6));

		assertThat(LocalReadChecker.violations(observations)).isEmpty();
	}

	@Test
	void checksEachSiteOnItsOwn() {
		// A restarted replica (another run) or another replica may be behind: no promise spans sites.
		List<Observation> observations = List.of(write("r0 run 1", 1, 0, 10, 50), read("r0 run 2", 1, 11, 12, 3),
				read("r1", 1, 13, 14, 2));

		assertThat(LocalReadChecker.violations(observations)).isEmpty();
	}

	private static Observation write(String site, int caller, long invokedAt, long completedAt, long op) {
		return new Observation(site, caller, invokedAt, completedAt, op, false, "write");
	}

	private static Observation read(String site, int caller, long invokedAt, long completedAt, long op) {
		return new Observation(site, caller, invokedAt, completedAt, op, true, "local read");
	}

}
