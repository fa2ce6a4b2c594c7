package io.viewstamp.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.viewstamp.history.KvOperation;

/**
 * A closed-loop load of puts for scripted worlds: every running caller that is idle puts the next
 * key {@code prefix-n} to a value no other put writes. A scenario calls {@link #startIdleCallers}
 * before each tick it runs, and reads how each put ended from the callers' histories.
 */
public final class ScriptedLoad {

	private final Simulator simulator;

	private final String prefix;

	private long puts;

	/**
	 * @param simulator the world whose callers put
	 * @param prefix the keys' prefix: the load's puts are those whose key starts with it
	 */
	public ScriptedLoad(Simulator simulator, String prefix) {
		this.simulator = simulator;
		this.prefix = prefix + "-";
	}

	/** Each running caller with nothing open or queued starts its next put. */
	public void startIdleCallers() {
		for (int client = 0; client < this.simulator.clientCount(); client++) {
			SimClient caller = this.simulator.client(client);
			if (caller.isProcessRunning() && caller.isIdle()) {
				long put = ++this.puts;
				caller.submitPut(this.prefix + put, "v" + put);
			}
		}
	}

	/**
	 * Runs the world {@code ticks} ticks, each idle caller starting its next put before each tick.
	 * @param ticks the ticks to run
	 */
	public void run(int ticks) {
		for (int tick = 0; tick < ticks; tick++) {
			startIdleCallers();
			this.simulator.runTicks(1);
		}
	}

	/**
	 * Runs the world under the load until {@code condition} holds, checked before each tick.
	 * @param condition what to wait for
	 * @param ticksMax the most ticks to run
	 * @return whether it held
	 */
	public boolean runUntil(BooleanSupplier condition, int ticksMax) {
		for (int tick = 0; tick < ticksMax; tick++) {
			if (condition.getAsBoolean()) {
				return true;
			}
			startIdleCallers();
			this.simulator.runTicks(1);
		}
		return false;
	}

	/** Whether every running caller is idle: every put it started has ended. */
	public boolean everyRunningCallerIdle() {
		for (int client = 0; client < this.simulator.clientCount(); client++) {
			SimClient caller = this.simulator.client(client);
			if (caller.isProcessRunning() && !caller.isIdle()) {
				return false;
			}
		}
		return true;
	}

	/** The load's puts as the callers saw them, acknowledged or with an unknown outcome. */
	public List<KvOperation> operations() {
		List<KvOperation> operations = new ArrayList<>();
		for (int client = 0; client < this.simulator.clientCount(); client++) {
			for (KvOperation operation : this.simulator.client(client).history()) {
				if (operation.kind() == KvOperation.Kind.PUT && operation.key().startsWith(this.prefix)) {
					operations.add(operation);
				}
			}
		}
		return operations;
	}

}
