package io.viewstamp.demo;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import io.viewstamp.Consistency;
import io.viewstamp.ReadOnly;
import io.viewstamp.Replicated;

import org.springframework.stereotype.Component;

/**
 * Bank accounts as a replicated bean: every mutating call is a command that each replica applies
 * in the same order, so the balances are equal everywhere and survive the loss of a minority of
 * replicas.
 *
 * <p>
 * Commands validate before they change anything: a command that throws has changed nothing, so
 * a rejected transfer leaves the same (unchanged) state on every replica.
 */
@Replicated
@Component
public class Bank {

	/**
	 * Balance per account, in the smallest unit of the currency. A field, so the snapshot holds it.
	 */
	private final Map<String, Long> balances = new HashMap<>();

	/**
	 * Opens an account.
	 * @param account the account id
	 * @param initial the opening balance, not negative
	 * @return the opening balance
	 * @throws IllegalArgumentException when the account exists or the balance is negative
	 */
	public long open(String account, long initial) {
		requireNotNegative(initial, "initial balance");
		if (this.balances.containsKey(account)) {
			throw new IllegalArgumentException("account " + account + " already exists");
		}
		this.balances.put(account, initial);
		return initial;
	}

	/**
	 * Adds money to an account.
	 * @param account the account id
	 * @param amount the amount, positive
	 * @return the new balance
	 * @throws IllegalArgumentException when there is no such account or the amount is not positive
	 */
	public long deposit(String account, long amount) {
		requirePositive(amount);
		long balance = existing(account);
		long updated = Math.addExact(balance, amount);
		this.balances.put(account, updated);
		return updated;
	}

	/**
	 * Moves money between two accounts; the total is unchanged.
	 * @param from the account to debit
	 * @param to the account to credit
	 * @param amount the amount, positive
	 * @return the new balance of {@code from}
	 * @throws IllegalArgumentException "no account ..." when an account does not exist,
	 * "insufficient funds ..." when {@code from} holds less than {@code amount}
	 */
	public long transfer(String from, String to, long amount) {
		requirePositive(amount);
		long fromBalance = existing(from);
		long toBalance = existing(to);
		if (from.equals(to)) {
			throw new IllegalArgumentException("transfer from " + from + " to itself");
		}
		if (fromBalance < amount) {
			throw new IllegalArgumentException(
					"insufficient funds in " + from + ": balance " + fromBalance + ", transfer " + amount);
		}
		this.balances.put(from, fromBalance - amount);
		this.balances.put(to, Math.addExact(toBalance, amount));
		return fromBalance - amount;
	}

	/**
	 * The balance of one account as this replica has applied it (a local read).
	 * @param account the account id
	 * @return the balance
	 * @throws IllegalArgumentException when there is no such account
	 */
	@ReadOnly
	public long balance(String account) {
		return existing(account);
	}

	/**
	 * The sum of all balances, linearizable: it sees every command acknowledged before the call.
	 * @return the total
	 */
	@ReadOnly(consistency = Consistency.LINEARIZABLE)
	public long totalBalance() {
		return this.balances.values().stream().mapToLong(Long::longValue).sum();
	}

	/**
	 * All accounts as this replica has applied them (a local read).
	 * @return a sorted copy, so callers can neither change the state nor see it change under them
	 */
	@ReadOnly
	public Map<String, Long> accounts() {
		return new TreeMap<>(this.balances);
	}

	private long existing(String account) {
		Long balance = this.balances.get(account);
		if (balance == null) {
			throw new IllegalArgumentException("no account " + account);
		}
		return balance;
	}

	private static void requirePositive(long amount) {
		if (amount <= 0) {
			throw new IllegalArgumentException("amount must be positive, was " + amount);
		}
	}

	private static void requireNotNegative(long amount, String what) {
		if (amount < 0) {
			throw new IllegalArgumentException(what + " must not be negative, was " + amount);
		}
	}

}
