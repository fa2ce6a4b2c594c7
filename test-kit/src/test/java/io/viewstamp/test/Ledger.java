package io.viewstamp.test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.viewstamp.ReadOnly;
import io.viewstamp.Replicated;
import io.viewstamp.ReplicatedContext;

/** A bean that keeps every rule: sorted maps, the op's time and generator, every field in the snapshot. */
@Replicated
public class Ledger {

	private final Map<String, Long> balances = new TreeMap<>();

	private final List<String> journal = new ArrayList<>();

	private Instant lastChange = Instant.EPOCH;

	private long lottery;

	public long deposit(String account, long amount) {
		this.lastChange = ReplicatedContext.now();
		this.lottery += ReplicatedContext.random().nextInt(10);
		this.journal.add(account + "+" + amount);
		return this.balances.merge(account, amount, Long::sum);
	}

	public void transfer(String from, String to, long amount) {
		long balance = this.balances.getOrDefault(from, 0L);
		if (balance < amount) {
			throw new IllegalStateException(from + " holds " + balance + ", less than " + amount);
		}
		this.balances.put(from, balance - amount);
		this.balances.merge(to, amount, Long::sum);
		this.journal.add(from + ">" + to + ":" + amount);
	}

	/** Iterates a sorted map: the same order on every replica. */
	public String richest() {
		String richest = "";
		long most = -1;
		for (Map.Entry<String, Long> entry : this.balances.entrySet()) {
			if (entry.getValue() > most) {
				richest = entry.getKey();
				most = entry.getValue();
			}
		}
		return richest;
	}

	@ReadOnly
	public long balance(String account) {
		return this.balances.getOrDefault(account, 0L);
	}

	@ReadOnly
	public long total() {
		return this.balances.values().stream().mapToLong(Long::longValue).sum();
	}

	@ReadOnly
	public Instant lastChange() {
		return this.lastChange;
	}

}
