package io.viewstamp.beans;

import java.math.BigInteger;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.viewstamp.Consistency;
import io.viewstamp.ReadOnly;
import io.viewstamp.Replicated;
import io.viewstamp.ReplicatedContext;
import org.springframework.stereotype.Component;

/**
 * The bean of DESIGN.md's public contract: a class without an interface whose state is a map.
 */
@Replicated
@Component
public class Inventory {

	private final Map<String, Integer> stock = new HashMap<>();

	private Instant lastChange;

	public int add(String sku, int quantity) {
		if (quantity <= 0) {
			throw new IllegalArgumentException("Quantity " + quantity + " of " + sku + " is not positive");
		}
		this.lastChange = ReplicatedContext.now();
		return this.stock.merge(sku, quantity, Integer::sum);
	}

	public int remove(String sku, int quantity) {
		int available = this.stock.getOrDefault(sku, 0);
		if (available < quantity) {
			throw new IllegalStateException("Only " + available + " of " + sku + " in stock");
		}
		this.lastChange = ReplicatedContext.now();
		return this.stock.merge(sku, -quantity, Integer::sum);
	}

	/** Takes stock out, or throws a checked exception the caller gets back as it was thrown. */
	public int reserve(String sku, int quantity) throws OutOfStockException {
		int available = this.stock.getOrDefault(sku, 0);
		if (available < quantity) {
			throw new OutOfStockException("Only " + available + " of " + sku + " in stock, " + quantity + " asked");
		}
		return this.stock.merge(sku, -quantity, Integer::sum);
	}

	/** Not public, so not replicated: callable from within the bean only. */
	void clearLocally() {
		this.stock.clear();
	}

	/** Changes the state, then throws: every replica keeps the change, and the caller gets the exception. */
	public int addThenFail(String sku, int quantity) {
		add(sku, quantity);
		throw new IllegalArgumentException("changed my mind");
	}

	public CompletableFuture<Integer> addLater(String sku, int quantity) {
		return CompletableFuture.completedFuture(add(sku, quantity));
	}

	public CompletableFuture<Integer> removeLater(String sku, int quantity) {
		return CompletableFuture.supplyAsync(() -> remove(sku, quantity), Runnable::run);
	}

	/** A quantity as a number of any size, which must still fit an {@code int}. */
	public int addExactly(String sku, BigInteger quantity) {
		return add(sku, quantity.intValueExact());
	}

	public void addAll(List<StockLine> lines) {
		for (StockLine line : lines) {
			add(line.sku(), line.quantity());
		}
	}

	@ReadOnly
	public int count(String sku) {
		return this.stock.getOrDefault(sku, 0);
	}

	@ReadOnly(consistency = Consistency.LINEARIZABLE)
	public int exactCount(String sku) {
		return this.stock.getOrDefault(sku, 0);
	}

	@ReadOnly
	public Map<String, Integer> stock() {
		return Map.copyOf(this.stock);
	}

	@ReadOnly
	public Instant lastChange() {
		return this.lastChange;
	}

	/** One line of a delivery. */
	public record StockLine(String sku, int quantity) {
	}

}
