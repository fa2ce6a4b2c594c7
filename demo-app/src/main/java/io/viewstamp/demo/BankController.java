package io.viewstamp.demo;

import java.util.Map;

import io.viewstamp.ReplicationException;
import io.viewstamp.ReplicationTimeoutException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * REST access to the {@link Bank}. Any replica serves every request: a command sent to a backup
 * is forwarded to the primary and answered once this replica has applied it.
 */
@RestController
public class BankController {

	private final Bank bank;

	/**
	 * Creates the controller.
	 * @param bank the replicated bank (a proxy)
	 */
	public BankController(Bank bank) {
		this.bank = bank;
	}

	/**
	 * Opens an account.
	 * @param id the account id
	 * @param initial the opening balance
	 * @return the account and its balance
	 */
	@PostMapping("/accounts/{id}")
	public Map<String, Object> open(@PathVariable String id, @RequestParam(defaultValue = "0") long initial) {
		return account(id, this.bank.open(id, initial));
	}

	/**
	 * Deposits into an account.
	 * @param id the account id
	 * @param amount the amount
	 * @return the account and its new balance
	 */
	@PostMapping("/accounts/{id}/deposit")
	public Map<String, Object> deposit(@PathVariable String id, @RequestParam long amount) {
		return account(id, this.bank.deposit(id, amount));
	}

	/**
	 * Transfers between accounts.
	 * @param from the account to debit
	 * @param to the account to credit
	 * @param amount the amount
	 * @return the debited account and its new balance
	 */
	@PostMapping("/transfers")
	public Map<String, Object> transfer(@RequestParam String from, @RequestParam String to,
			@RequestParam long amount) {
		return account(from, this.bank.transfer(from, to, amount));
	}

	/**
	 * Reads one account on this replica.
	 * @param id the account id
	 * @return the account and its balance
	 */
	@GetMapping("/accounts/{id}")
	public Map<String, Object> balance(@PathVariable String id) {
		return account(id, this.bank.balance(id));
	}

	/**
	 * Reads all accounts on this replica.
	 * @return balance by account, sorted by account
	 */
	@GetMapping("/accounts")
	public Map<String, Long> accounts() {
		return this.bank.accounts();
	}

	/**
	 * The linearizable total of all balances.
	 * @return the total
	 */
	@GetMapping("/total")
	public Map<String, Object> total() {
		return Map.of("total", this.bank.totalBalance());
	}

	/**
	 * A rejected operation (no account, insufficient funds, bad amount) is the caller's error.
	 * @param ex the rejection
	 * @return 400 with the message
	 */
	@ExceptionHandler(IllegalArgumentException.class)
	public ResponseEntity<Map<String, String>> rejected(IllegalArgumentException ex) {
		return error(HttpStatus.BAD_REQUEST, ex);
	}

	/**
	 * A timed-out command may or may not have happened; 503 tells the client to check or retry
	 * later rather than assume either.
	 * @param ex the timeout
	 * @return 503 with the message
	 */
	@ExceptionHandler(ReplicationTimeoutException.class)
	public ResponseEntity<Map<String, String>> timedOut(ReplicationTimeoutException ex) {
		return error(HttpStatus.SERVICE_UNAVAILABLE, ex);
	}

	/**
	 * Any other replication failure (replica not running yet, stopped, no quorum) means this
	 * replica cannot serve now, which is also a 503 rather than a server bug.
	 * @param ex the failure
	 * @return 503 with the message
	 */
	@ExceptionHandler(ReplicationException.class)
	public ResponseEntity<Map<String, String>> unavailable(ReplicationException ex) {
		return error(HttpStatus.SERVICE_UNAVAILABLE, ex);
	}

	private static Map<String, Object> account(String id, long balance) {
		return Map.of("account", id, "balance", balance);
	}

	private static ResponseEntity<Map<String, String>> error(HttpStatus status, Exception ex) {
		String message = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
		return ResponseEntity.status(status).body(Map.of("error", message));
	}

}
