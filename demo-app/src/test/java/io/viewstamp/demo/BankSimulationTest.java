package io.viewstamp.demo;

import java.util.concurrent.atomic.AtomicLong;

import io.viewstamp.test.ReplicatedBeansTester;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The demo's {@link Bank} on the test kit: three replicas in this JVM, under dropped and delayed
 * messages and crashes drawn from the seed, each call through the same proxy as in the running
 * application. The kit fails the test if the replicas' results or balances ever differ, if a
 * snapshot does not restore the bank it was taken of, or if a command reads the clock.
 */
class BankSimulationTest {

	private final ReplicatedBeansTester tester = new ReplicatedBeansTester().withUserConfiguration(Bank.class);

	@Test
	void moneyIsNeitherMadeNorLostUnderFaults() {
		for (long seed = 1; seed <= 3; seed++) {
			this.tester.withSeed(seed).run((cluster) -> {
				Bank bank = cluster.bean(Bank.class);
				AtomicLong paidIn = new AtomicLong();
				for (int account = 0; account < 5; account++) {
					paidIn.addAndGet(bank.open("account-" + account, 100));
				}
				cluster.repeat(400, (random) -> {
					String from = "account-" + random.nextInt(5);
					String to = "account-" + random.nextInt(5);
					try {
						if (random.nextInt(4) == 0) {
							long amount = 1 + random.nextInt(50);
							bank.deposit(to, amount);
							paidIn.addAndGet(amount);
						}
						else {
							bank.transfer(from, to, 1 + random.nextInt(80));
						}
					}
					catch (IllegalArgumentException ex) {
						// Insufficient funds, or a transfer to itself: refused alike on every replica.
					}
				});
				assertThat(bank.totalBalance()).isEqualTo(paidIn.get());
				assertThat(bank.accounts()).hasSize(5).allSatisfy((account, balance) -> assertThat(balance).isNotNegative());
			});
		}
	}

	@Test
	void refusedCommandReachesTheCallerAndChangesNothing() {
		this.tester.withSeed(4).run((cluster) -> {
			Bank bank = cluster.bean(Bank.class);
			bank.open("alice", 10);
			assertThatIllegalArgumentException().isThrownBy(() -> bank.transfer("alice", "bob", 5))
				.withMessage("no account bob");
			assertThatIllegalArgumentException().isThrownBy(() -> bank.open("alice", 1))
				.withMessage("account alice already exists");
			assertThat(bank.balance("alice")).isEqualTo(10);
		});
	}

}
