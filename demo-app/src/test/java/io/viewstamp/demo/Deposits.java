package io.viewstamp.demo;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deposits whose fate can be read off a balance exactly. Client {@code c} deposits only into its
 * own account {@link #account(int) dep-c}, which nothing else touches, and its {@code k}-th
 * deposit is {@code 2^k}. An account's balance is therefore the bit set of the deposits that were
 * applied, each at most once: every acknowledged deposit must be set, every rejected one clear,
 * and one whose answer never came may be either.
 *
 * <p>
 * Each client records its own deposits from its own thread; read the outcomes only after the
 * clients ended (their {@code Future.get()} makes their records visible).
 */
final class Deposits {

	/** Bits of a balance: their sum over all clients' accounts stays far from overflowing a long. */
	static final int PER_CLIENT_MAX = 40;

	private final Outcome[][] outcomes;

	private final AtomicInteger acknowledged = new AtomicInteger();

	Deposits(int clients, int perClient) {
		if (perClient > PER_CLIENT_MAX) {
			throw new IllegalArgumentException(perClient + " deposits per client, at most " + PER_CLIENT_MAX + " fit");
		}
		this.outcomes = new Outcome[clients][perClient];
	}

	static String account(int client) {
		return "dep-" + client;
	}

	static long amount(int deposit) {
		return 1L << deposit;
	}

	int clients() {
		return this.outcomes.length;
	}

	int perClient() {
		return this.outcomes[0].length;
	}

	/**
	 * Makes a client's deposit and records what its answer says about it.
	 * @param client the client
	 * @param deposit the deposit's index in the client's sequence
	 * @param call sends the deposit of {@link #amount(int)} into {@link #account(int)}
	 */
	void deposit(int client, int deposit, HttpCall call) {
		Outcome outcome = Outcome.of(call);
		this.outcomes[client][deposit] = outcome;
		if (outcome == Outcome.ACKNOWLEDGED) {
			this.acknowledged.incrementAndGet();
		}
	}

	/** Deposits acknowledged so far; any thread may ask while the clients run. */
	int acknowledged() {
		return this.acknowledged.get();
	}

	int count(Outcome outcome) {
		int count = 0;
		for (Outcome[] client : this.outcomes) {
			for (Outcome recorded : client) {
				count += (recorded == outcome) ? 1 : 0;
			}
		}
		return count;
	}

	/**
	 * The deposits whose balance contradicts their answer: acknowledged but missing, rejected but
	 * present, never made, or bits that no deposit of the client set.
	 * @param accounts every account's balance, as one replica applied them
	 * @return one line per contradiction, empty when the balances match every answer
	 */
	List<String> contradictions(Map<String, Long> accounts) {
		List<String> contradictions = new ArrayList<>();
		for (int client = 0; client < clients(); client++) {
			Long balance = accounts.get(account(client));
			if (balance == null) {
				contradictions.add(account(client) + " does not exist");
				continue;
			}
			for (int deposit = 0; deposit < perClient(); deposit++) {
				boolean applied = (balance & amount(deposit)) != 0;
				Outcome outcome = this.outcomes[client][deposit];
				if (outcome == null || (outcome == Outcome.ACKNOWLEDGED && !applied)
						|| (outcome == Outcome.REJECTED && applied)) {
					contradictions.add(account(client) + " deposit " + deposit + " (" + amount(deposit) + "): "
							+ ((outcome != null) ? "answered " + outcome : "never made") + " but "
							+ (applied ? "applied" : "not applied"));
				}
			}
			if (balance < 0 || balance >= amount(perClient())) {
				contradictions.add(account(client) + " holds " + balance + ", more than its deposits can sum to");
			}
		}
		return contradictions;
	}

	/** Every applied deposit's amount on {@code accounts}, summed over the clients' accounts. */
	long depositedOn(Map<String, Long> accounts) {
		long sum = 0;
		for (int client = 0; client < clients(); client++) {
			sum += accounts.getOrDefault(account(client), 0L);
		}
		return sum;
	}

	/** What a call's answer says about whether its command was applied. */
	enum Outcome {

		/** 2xx: applied. */
		ACKNOWLEDGED,

		/** 400: the bank's own refusal, decided by the applied command, which changed nothing. */
		REJECTED,

		/** Timed out, 503, or the connection failed or was lost: applied or not. */
		UNKNOWN;

		static Outcome of(HttpCall call) {
			try {
				int status = call.send().statusCode();
				if (status / 100 == 2) {
					return ACKNOWLEDGED;
				}
				return (status == 400) ? REJECTED : UNKNOWN;
			}
			catch (IOException ex) {
				// A replica killed with the request in flight may have forwarded it first.
				return UNKNOWN;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return UNKNOWN;
			}
		}

	}

	/** An HTTP call that may fail with I/O. */
	@FunctionalInterface
	interface HttpCall {

		HttpResponse<String> send() throws IOException, InterruptedException;

	}

}
