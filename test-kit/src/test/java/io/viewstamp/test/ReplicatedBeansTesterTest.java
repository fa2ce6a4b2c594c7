package io.viewstamp.test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The test kit on beans that keep the rules and on the three faults users make most: a
 * {@code HashMap} iterated, the clock read, a field the snapshot misses.
 */
class ReplicatedBeansTesterTest {

	private final ReplicatedBeansTester tester = new ReplicatedBeansTester();

	@Test
	void beanThatKeepsTheRulesPassesUnderFaults() {
		for (long seed = 1; seed <= 5; seed++) {
			List<String> summary = new ArrayList<>();
			this.tester.withUserConfiguration(Ledger.class).withSeed(seed).run((cluster) -> {
				Ledger ledger = cluster.bean(Ledger.class);
				cluster.repeat(300, (random) -> {
					String account = "account-" + random.nextInt(6);
					switch (random.nextInt(3)) {
						case 0 -> ledger.deposit(account, 1 + random.nextInt(100));
						case 1 -> ledger.richest();
						default -> {
							try {
								ledger.transfer(account, "account-" + random.nextInt(6), random.nextInt(50));
							}
							catch (IllegalStateException ex) {
								// Refused on every replica alike: a result like any other.
							}
						}
					}
				});
				// Read your writes: the replica the test calls through applied every call it made.
				long before = ledger.total();
				ledger.deposit("account-0", 7);
				assertThat(ledger.total()).isEqualTo(before + 7);
				summary.add(cluster.summary());
			});
			assertThat(snapshotsRestored(summary.get(0))).isPositive();
		}
	}

	@Test
	void orderedMapsKeepTheirOrderThroughSnapshots() {
		for (long seed = 1; seed <= 3; seed++) {
			this.tester.withUserConfiguration(Waiting.class).withSeed(seed).run((cluster) -> {
				Waiting waiting = cluster.bean(Waiting.class);
				cluster.repeat(300, (random) -> {
					switch (random.nextInt(3)) {
						case 0 -> waiting.next();
						case 1 -> waiting.top();
						default -> waiting.join("name-" + random.nextInt(40), random.nextInt(5));
					}
				});
			});
		}
	}

	@Test
	void faultsAreInjected() {
		List<String> summaries = new ArrayList<>();
		this.tester.withUserConfiguration(Ledger.class).withSeed(11).run((cluster) -> {
			Ledger ledger = cluster.bean(Ledger.class);
			cluster.repeat(600, (random) -> ledger.deposit("a" + random.nextInt(3), 1));
			summaries.add(cluster.summary());
		});
		assertThat(summaries.get(0)).doesNotContain(" 0 crashes").doesNotContain(" 0 messages dropped")
			.doesNotContain(" 0 snapshots restored");
	}

	@Test
	void sameSeedReplaysTheSameRun() {
		List<String> summaries = new ArrayList<>();
		for (int run = 0; run < 2; run++) {
			this.tester.withUserConfiguration(Ledger.class).withSeed(42).run((cluster) -> {
				Ledger ledger = cluster.bean(Ledger.class);
				cluster.repeat(200, (random) -> ledger.deposit("a" + random.nextInt(4), random.nextInt(10)));
				summaries.add(cluster.summary() + " total " + ledger.total() + " at " + ledger.lastChange());
			});
		}
		assertThat(summaries.get(1)).isEqualTo(summaries.get(0));
	}

	@Test
	void commandThatIteratesAHashMapIsCaught() {
		assertThatExceptionOfType(ReplicaCheckFailure.class)
			.isThrownBy(() -> this.tester.withUserConfiguration(Tickets.class)
				.withSeed(7)
				.run(ReplicatedBeansTesterTest::openAndCloseTickets))
			.withMessageContaining("diverged")
			.withMessageContaining("closeAny()")
			.withMessageContaining("HashMap")
			.withMessageContaining("Seed 7");
	}

	@Test
	void commandThatIteratesAHashMapIsCaughtByTheReplicaRestoredFromASnapshotEvenWithoutFaults() {
		assertThatExceptionOfType(ReplicaCheckFailure.class)
			.isThrownBy(() -> this.tester.withUserConfiguration(Tickets.class)
				.withoutFaults()
				.withSeed(8)
				.run(ReplicatedBeansTesterTest::openAndCloseTickets))
			.withMessageContaining("The replicas diverged after a snapshot")
			.withMessageContaining("on a replica restored from the snapshot of op");
	}

	@Test
	void commandThatReadsTheClockIsCaught() {
		assertThatExceptionOfType(ReplicaCheckFailure.class)
			.isThrownBy(() -> this.tester.withUserConfiguration(Stamps.class).run((cluster) -> {
				cluster.bean(Stamps.class).add("entry");
			}))
			.withMessageContaining("command Stamps.add(String) of bean 'stamps' calls System.currentTimeMillis()")
			.withMessageContaining("Stamps.java:")
			.withMessageContaining("Use ReplicatedContext.now()");
	}

	@Test
	void snapshotThatMissesAFieldIsCaught() {
		assertThatExceptionOfType(ReplicaCheckFailure.class)
			.isThrownBy(() -> this.tester.withUserConfiguration(Votes.class).withoutFaults().run((cluster) -> {
				Votes votes = cluster.bean(Votes.class);
				cluster.repeat(40, (random) -> votes.vote("voter-" + random.nextInt(20)));
			}))
			.withMessageContaining("does not restore the beans it was taken of")
			.withMessageContaining("field 'voters' of bean 'votes'");
	}

	@Test
	void injectedCollaboratorIsNotComparedAsState() {
		this.tester.withUserConfiguration(Announcements.class).withoutFaults().withSeed(2).run((cluster) -> {
			Announcements announcements = cluster.bean(Announcements.class);
			cluster.repeat(40, (random) -> announcements.announce("news " + random.nextInt(10)));
			assertThat(announcements.published()).hasSize(40);
		});
	}

	@Test
	void inheritedCommandThatReadsTheClockIsCaught() {
		assertThatExceptionOfType(ReplicaCheckFailure.class)
			.isThrownBy(() -> this.tester.withUserConfiguration(InheritedStamps.class).run((cluster) -> {
			}))
			.withMessageContaining("command Clocks.tick() of bean 'inheritedStamps' calls System.nanoTime()");
	}

	@Test
	void hashMapKeyedByAnEnumIsCaughtThoughOneJvmIteratesItAlike() {
		assertThatExceptionOfType(ReplicaCheckFailure.class)
			.isThrownBy(() -> this.tester.withUserConfiguration(Orders.class).withSeed(4).run((cluster) -> {
				Orders orders = cluster.bean(Orders.class);
				cluster.repeat(20, (random) -> orders.place("order-" + random.nextInt(100),
						Orders.Status.values()[random.nextInt(3)]));
				orders.everything();
			}))
			.withMessageContaining("field 'byStatus' of bean 'orders' is a HashMap keyed by enum "
					+ "io.viewstamp.test.Orders$Status")
			.withMessageContaining("use an EnumMap or a TreeMap")
			.withMessageContaining("field 'statusesByCustomer' of bean 'orders' holds a value that is a HashSet keyed "
					+ "by enum io.viewstamp.test.Orders$Status");
	}

	@Test
	void testsOwnFailureCarriesTheSeed() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.tester.withUserConfiguration(Ledger.class).withSeed(5).run((cluster) -> {
				assertThat(cluster.bean(Ledger.class).deposit("a", 1)).isEqualTo(2);
			}))
			.satisfies((failure) -> assertThat(failure.getSuppressed()).singleElement()
				.satisfies((hint) -> assertThat(hint).hasMessageContaining("withSeed(5L)")));
	}

	@Test
	void applicationWithoutReplicatedBeansIsRefused() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.tester.withBean(StringBuilder.class, StringBuilder::new).run((cluster) -> {
			}))
			.withMessageContaining("no @Replicated bean");
	}

	@Test
	void exceptionOfACommandReachesTheCaller() {
		this.tester.withUserConfiguration(Ledger.class).withSeed(3).run((cluster) -> {
			Ledger ledger = cluster.bean(Ledger.class);
			assertThatIllegalStateException().isThrownBy(() -> ledger.transfer("nobody", "a", 5))
				.withMessage("nobody holds 0, less than 5");
		});
	}

	/** Opens tickets, and closes "any" of them, so that the map grows, shrinks and is iterated. */
	private static void openAndCloseTickets(SimulatedCluster cluster) {
		Tickets tickets = cluster.bean(Tickets.class);
		cluster.repeat(300, (random) -> {
			if (random.nextInt(3) > 0) {
				tickets.open("ticket-" + random.nextInt(60), random.nextInt(5));
			}
			else {
				tickets.closeAny();
			}
		});
	}

	/** The number of snapshots a run's summary says were restored and checked. */
	private static int snapshotsRestored(String summary) {
		Matcher matcher = Pattern.compile("(\\d+) snapshots restored").matcher(summary);
		assertThat(matcher.find()).as("a count of snapshots restored in %s", summary).isTrue();
		return Integer.parseInt(matcher.group(1));
	}

}
