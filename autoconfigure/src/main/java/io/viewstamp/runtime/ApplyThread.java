package io.viewstamp.runtime;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that runs the application's state machine for a {@link StateMachineRunner}, so
 * that a slow command holds up this thread only, never the protocol.
 */
final class ApplyThread implements Executor {

	private static final long CLOSE_TIMEOUT_SECONDS = 10;

	private final ExecutorService thread;

	/**
	 * @param name the thread's name
	 */
	ApplyThread(String name) {
		this.thread = Executors.newSingleThreadExecutor((runnable) -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		});
	}

	@Override
	public void execute(Runnable task) {
		this.thread.execute(task);
	}

	/** Stops the thread after what it is running now; what is queued is not run. */
	void close() {
		this.thread.shutdownNow();
		try {
			this.thread.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
