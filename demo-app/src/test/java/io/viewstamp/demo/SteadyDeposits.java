package io.viewstamp.demo;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Closed-loop callers that deposit 1 into accounts of their own, over and over, through the
 * replicas in turn, as HTTP clients behind a load balancer: a replica that is {@link #drain drained}
 * gets no new request (as a load balancer takes an instance out before it stops), and a refused
 * connection, which carried no request, goes to the next replica. Any other failure (an error
 * status, a timeout, a connection lost after the request was sent) is recorded as a failure with
 * its reason. Each caller's account then holds exactly the deposits acknowledged to it.
 */
final class SteadyDeposits {

	private final int callers;

	/** The replicas' current processes: a restarted replica's new one replaces the old. */
	private final AtomicReferenceArray<DemoProcess> replicas;

	private final int replicaCount;

	private final Set<Integer> drained = ConcurrentHashMap.newKeySet();

	private final AtomicIntegerArray acknowledged;

	private final List<Long> latenciesNanos = Collections.synchronizedList(new ArrayList<>());

	private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

	/** Deposits acknowledged slower than this are listed with when they were sent, to tell which step they met. */
	private static final long SLOW_NANOS = 200_000_000L;

	private final List<String> slow = Collections.synchronizedList(new ArrayList<>());

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean running;

	private long startNanos;

	SteadyDeposits(int callers, List<DemoProcess> replicas) {
		this.callers = callers;
		this.replicaCount = replicas.size();
		this.replicas = new AtomicReferenceArray<>(replicas.toArray(new DemoProcess[0]));
		this.acknowledged = new AtomicIntegerArray(callers);
	}

	static String account(int caller) {
		return "steady-" + caller;
	}

	void start() {
		this.startNanos = System.nanoTime();
		this.running = true;
		for (int caller = 0; caller < this.callers; caller++) {
			int id = caller;
			Thread thread = new Thread(() -> call(id), "steady-depositor-" + id);
			this.threads.add(thread);
			thread.start();
		}
	}

	/** No new request goes to {@code replica} until it is {@link #undrain undrained}. */
	void drain(int replica) {
		this.drained.add(replica);
	}

	/** Requests go to {@code replica} again, now the process {@code serving}. */
	void undrain(int replica, DemoProcess serving) {
		this.replicas.set(replica, serving);
		this.drained.remove(replica);
	}

	/** Stops the callers once their requests under way are answered. */
	void stop() throws InterruptedException {
		this.running = false;
		for (Thread thread : this.threads) {
			thread.join();
		}
	}

	double secondsSinceStart() {
		return (System.nanoTime() - this.startNanos) / 1e9;
	}

	int acknowledged() {
		int total = 0;
		for (int caller = 0; caller < this.callers; caller++) {
			total += this.acknowledged.get(caller);
		}
		return total;
	}

	int acknowledged(int caller) {
		return this.acknowledged.get(caller);
	}

	List<String> failures() {
		return List.copyOf(this.failures);
	}

	/** The deposits acknowledged after more than 200 ms: who, when it was sent, through which replica, how long. */
	List<String> slow() {
		synchronized (this.slow) {
			return List.copyOf(this.slow);
		}
	}

	/** A mark of the deposits acknowledged so far: {@link #sortedLatenciesNanosSince} gives a phase's latencies. */
	int mark() {
		return this.latenciesNanos.size();
	}

	/** The latencies of the deposits acknowledged since {@code mark}, sorted. */
	long[] sortedLatenciesNanosSince(int mark) {
		long[] sorted;
		synchronized (this.latenciesNanos) {
			sorted = this.latenciesNanos.subList(mark, this.latenciesNanos.size())
				.stream()
				.mapToLong(Long::longValue)
				.toArray();
		}
		Arrays.sort(sorted);
		return sorted;
	}

	private void call(int caller) {
		int next = caller % this.replicaCount;
		while (this.running) {
			long started = System.nanoTime();
			try {
				HttpResponse<String> response = post(next, "/accounts/" + account(caller) + "/deposit?amount=1");
				if (response.statusCode() == 200) {
					this.acknowledged.incrementAndGet(caller);
					long latency = System.nanoTime() - started;
					this.latenciesNanos.add(latency);
					if (latency > SLOW_NANOS) {
						this.slow.add(String.format("caller %d at %.3f s, first tried replica %d: %d ms", caller,
								(started - this.startNanos) / 1e9, next, latency / 1_000_000));
					}
				}
				else {
					this.failures.add(failure(caller, started, response.statusCode() + " " + response.body()));
				}
			}
			catch (IOException ex) {
				this.failures.add(failure(caller, started, ex.toString()));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			next = (next + 1) % this.replicaCount;
		}
	}

	/** A failure's words: who, when (since the callers started) and how long the call took, and what it was. */
	private String failure(int caller, long startedNanos, String what) {
		return String.format("caller %d at %.3f s, after %d ms: %s", caller, (startedNanos - this.startNanos) / 1e9,
				(System.nanoTime() - startedNanos) / 1_000_000, what);
	}

	/** Posts to the first replica from {@code first} on that is not drained and takes the connection. */
	private HttpResponse<String> post(int first, String path) throws IOException, InterruptedException {
		IOException refused = new ConnectException("every replica drained or refusing connections");
		for (int attempt = 0; attempt < this.replicaCount; attempt++) {
			int replica = (first + attempt) % this.replicaCount;
			if (this.drained.contains(replica)) {
				continue;
			}
			try {
				return this.replicas.get(replica).post(path);
			}
			catch (ConnectException ex) {
				refused = ex;
			}
		}
		throw refused;
	}

}
