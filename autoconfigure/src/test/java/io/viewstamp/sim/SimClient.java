package io.viewstamp.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

import io.viewstamp.history.KvOperation;
import io.viewstamp.runtime.ReadBarriers;
import io.viewstamp.sim.check.RequestRegistry;
import io.viewstamp.sim.workload.KvCommand;
import io.viewstamp.sim.workload.SimWorkload;
import io.viewstamp.vsr.Client;
import io.viewstamp.vsr.Configuration;
import io.viewstamp.vsr.ClientFailure;
import io.viewstamp.vsr.ClientHost;
import io.viewstamp.vsr.ClientOptions;
import io.viewstamp.vsr.Cluster;
import io.viewstamp.vsr.Invariants;
import io.viewstamp.vsr.Reply;
import io.viewstamp.vsr.Request;

/**
 * One simulated caller: the workload and the history, around the protocol's own {@link Client},
 * the class the runtime's {@code ReplicationClient} runs. Every rule of sessions, resends, primary
 * discovery, replies and read-your-writes is the shipped client's; this class only decides what to
 * do next and writes down what it saw, as {@link KvOperation}s for the linearizability checker.
 *
 * <p>A caller runs beside a replica (its <em>local</em> replica, as an application's callers do)
 * or, in scripted worlds, on a process of its own. Beside a replica it shares the replica's fate
 * (a crash of the replica's process ends the caller's process too) and it reads: {@code LOCAL} reads
 * of the local replica's state, checked at once for read-your-writes and for never going back on
 * that replica, and {@code LINEARIZABLE} reads, a barrier through the log and then a local read, as
 * {@code @ReadOnly} methods do, checked with the commands by the linearizability checker.
 *
 * <p>One operation is open at a time. An operation whose outcome the caller cannot know (a timeout,
 * an eviction, a restart of its process) is recorded as indeterminate; one the client never sent is
 * not recorded at all, since it did not happen.
 */
public final class SimClient {

	/** The most operations a scenario may queue on one client. */
	public static final int SUBMITTED_OPERATIONS_MAX = 1_000;

	private final int index;

	private final Cluster cluster;

	private final ClientOptions options;

	private final int localReplica;

	private final SimWorkload workload;

	private final SplittableRandom random;

	/** Draws each process's session incarnations; never reset, so a process never reuses one. */
	private final SplittableRandom incarnations;

	private final RequestRegistry registry;

	private final World world;

	private final ClientFactory clientFactory;

	private final Deque<SimOperation> submitted = new ArrayDeque<>();

	private final List<KvOperation> history = new ArrayList<>();

	private final Statistics statistics = new Statistics();

	/** Where the current process draws its client ids; a restart that keeps its ids starts it again. */
	private long clientIdSeed;

	/** The running process's client, {@code null} while the process is down. */
	private Client client;

	/** Counts the caller's processes; replies sent to an earlier one are not delivered. */
	private long incarnation;

	/**
	 * The highest op of a command whose effect this process was given (its result, or a read of a
	 * state holding it): its reads must see it.
	 */
	private long highestOpReturned;

	/** What the last local or linearizable read returned, for scripted scenarios. */
	private String lastRead;

	private Open open;

	private long now;

	private long thinkUntilTick;

	private long valuesWritten;

	private boolean workloadEnabled;

	/**
	 * Creates a caller and starts its process; it sends nothing until it has an operation to do.
	 * @param index the caller's number
	 * @param cluster the cluster it talks to
	 * @param options the client's limits and timeouts
	 * @param localReplica the replica it runs beside, or {@link Client#NO_LOCAL_REPLICA}
	 * @param workload what it does on its own once {@link #setWorkloadEnabled enabled}
	 * @param random the caller's own random stream (client ids, workload)
	 * @param registry where it records every request it sends
	 * @param world the network and the local replica
	 */
	public SimClient(int index, Cluster cluster, ClientOptions options, int localReplica, SimWorkload workload,
			SplittableRandom random, RequestRegistry registry, World world) {
		this(index, cluster, options, localReplica, workload, random, registry, world, ClientFactory.standard());
	}

	/**
	 * Creates a caller whose processes make their clients with {@code clientFactory}.
	 * @param index the caller's number
	 * @param cluster the cluster it talks to
	 * @param options the client's limits and timeouts
	 * @param localReplica the replica it runs beside, or {@link Client#NO_LOCAL_REPLICA}
	 * @param workload what it does on its own once {@link #setWorkloadEnabled enabled}
	 * @param random the caller's own random stream (client ids, workload)
	 * @param registry where it records every request it sends
	 * @param world the network and the local replica
	 * @param clientFactory makes each process's client
	 */
	public SimClient(int index, Cluster cluster, ClientOptions options, int localReplica, SimWorkload workload,
			SplittableRandom random, RequestRegistry registry, World world, ClientFactory clientFactory) {
		this.clientFactory = clientFactory;
		this.index = index;
		this.cluster = cluster;
		this.options = options;
		this.localReplica = localReplica;
		this.workload = workload;
		this.random = random;
		this.incarnations = random.split();
		this.registry = registry;
		this.world = world;
		this.clientIdSeed = random.nextLong();
		this.client = newClient();
	}

	// Operations.

	/** Queues a PUT; the caller starts it when the operations before it are done. */
	public void submitPut(String key, String value) {
		submit(new SimOperation(SimOperation.Kind.PUT, key, value));
	}

	/** Queues a GET through the log; the caller starts it when the operations before it are done. */
	public void submitGet(String key) {
		submit(new SimOperation(SimOperation.Kind.GET, key, null));
	}

	/** Queues a read of the local replica's state, as a {@code LOCAL} {@code @ReadOnly} method. */
	public void submitLocalRead(String key) {
		requireLocalReplica("read locally");
		submit(new SimOperation(SimOperation.Kind.LOCAL_READ, key, null));
	}

	/** Queues a barrier and then a read of the local state, as a {@code LINEARIZABLE} {@code @ReadOnly} method. */
	public void submitLinearizableRead(String key) {
		requireLocalReplica("read linearizably");
		submit(new SimOperation(SimOperation.Kind.LINEARIZABLE_READ, key, null));
	}

	/** Whether the caller invents operations on its own. */
	public void setWorkloadEnabled(boolean workloadEnabled) {
		this.workloadEnabled = workloadEnabled;
	}

	// Inputs from the simulator.

	/**
	 * Lets the caller act: its client ticks, and it starts its next operation when none is open.
	 * @param now the current tick
	 */
	public void tick(long now) {
		this.now = now;
		if (this.client == null) {
			return;
		}
		observeLocalReplica();
		this.client.tick();
		if (this.open == null && hasWork() && this.client.hasRoom()) {
			start(this.submitted.isEmpty() ? nextOfWorkload() : this.submitted.pollFirst());
		}
	}

	/**
	 * Takes a reply for this caller's process.
	 * @param reply the reply
	 * @param now the current tick
	 * @return the request the reply settled, or {@code null} when the client ignored it
	 */
	public Request receive(Reply reply, long now) {
		this.now = now;
		if (this.client == null) {
			return null;
		}
		Request settled = this.client.receive(reply);
		if (settled != null && settled.operation() == io.viewstamp.vsr.Operation.REGISTER) {
			this.statistics.registrations++;
		}
		observeLocalReplica();
		return settled;
	}

	/**
	 * The caller's process restarts on its own: its open operation's outcome becomes unknown and its
	 * new client opens new sessions. With {@code keepClientId}, the new client draws the same client
	 * ids as its predecessor, which a real client never does and the cluster's sessions must survive
	 * (the paper's client table does not).
	 * @param keepClientId whether the new process reuses its predecessor's ids
	 */
	public void restart(boolean keepClientId) {
		endProcess();
		if (!keepClientId) {
			this.clientIdSeed = this.random.nextLong();
		}
		this.client = newClient();
		this.statistics.restarts++;
	}

	/** The local replica's process died, and this caller's with it. */
	void processDied() {
		endProcess();
	}

	/** The local replica's process started again, and this caller's with it, with new ids. */
	void processStarted() {
		Invariants.check(this.client == null, "caller %d's process is already running", this.index);
		this.clientIdSeed = this.random.nextLong();
		this.client = newClient();
	}

	// Observation.

	/** The caller's number. */
	public int index() {
		return this.index;
	}

	/** The replica the caller runs beside, or {@link Client#NO_LOCAL_REPLICA}. */
	public int localReplica() {
		return this.localReplica;
	}

	/** Counts the caller's processes; replies sent to an earlier one are not delivered. */
	public long incarnation() {
		return this.incarnation;
	}

	/** Whether {@code clientId} is one of the running process's sessions. */
	public boolean owns(long clientId) {
		return this.client != null && this.client.owns(clientId);
	}

	/** The newest session number of the running process, 0 while none is open. */
	public long session() {
		return (this.client != null) ? this.client.newestSession() : 0;
	}

	/** Whether the caller's process runs (a caller beside a replica is down while its replica is). */
	public boolean isProcessRunning() {
		return this.client != null;
	}

	/** Whether an operation is open. */
	public boolean hasOpenOperation() {
		return this.open != null;
	}

	/**
	 * Whether the caller has nothing open and nothing queued, and its client has no request in
	 * flight: every request it ever sent was answered.
	 */
	public boolean isIdle() {
		return this.open == null && this.submitted.isEmpty() && (this.client == null || this.client.isIdle());
	}

	/**
	 * What the caller saw so far, in the order its operations were issued; the open operation, if
	 * any, appears as indeterminate. Local reads are not in it: they are not linearizable, and are
	 * checked as they happen.
	 */
	public List<KvOperation> history() {
		List<KvOperation> history = new ArrayList<>(this.history);
		if (this.open != null) {
			history.add(this.open.indeterminate(this.index));
		}
		return history;
	}

	/** The value the caller's last local or linearizable read returned ({@code null}: the key had none). */
	public String lastRead() {
		return this.lastRead;
	}

	/** What the caller did so far. */
	public Statistics statistics() {
		return this.statistics;
	}

	@Override
	public String toString() {
		return "client " + this.index + " (local replica " + this.localReplica + ", " + this.client + ", open "
				+ ((this.open != null) ? this.open.operation : "none") + ")";
	}

	// The machinery.

	private Client newClient() {
		this.incarnation++;
		this.highestOpReturned = 0;
		return this.clientFactory.create(this.cluster, this.localReplica, this.options, new Host(this.incarnation),
				new SplittableRandom(this.clientIdSeed), this.incarnations);
	}

	private void endProcess() {
		if (this.open != null) {
			this.history.add(this.open.indeterminate(this.index));
			this.statistics.indeterminate++;
			this.open = null;
		}
		this.client = null;
		this.incarnation++;
	}

	private void observeLocalReplica() {
		if (this.localReplica != Client.NO_LOCAL_REPLICA && this.world.isRunning(this.localReplica)) {
			this.client.localReplicaAt(this.world.view(this.localReplica), this.world.isNormal(this.localReplica),
					this.world.appliedOp(this.localReplica), this.world.configuration(this.localReplica));
		}
	}

	private boolean hasWork() {
		return !this.submitted.isEmpty() || (this.workloadEnabled && this.now >= this.thinkUntilTick);
	}

	private SimOperation nextOfWorkload() {
		KvCommand command = this.workload.next(this.random, "c" + this.index + "-" + (++this.valuesWritten));
		if (command.kind() == KvCommand.Kind.PUT) {
			return new SimOperation(SimOperation.Kind.PUT, command.key(), command.value());
		}
		if (this.localReplica == Client.NO_LOCAL_REPLICA) {
			return new SimOperation(SimOperation.Kind.GET, command.key(), null);
		}
		// A caller beside a replica reads as applications do: mostly through @ReadOnly methods.
		SimOperation.Kind kind = switch (this.random.nextInt(3)) {
			case 0 -> SimOperation.Kind.GET;
			case 1 -> SimOperation.Kind.LOCAL_READ;
			default -> SimOperation.Kind.LINEARIZABLE_READ;
		};
		return new SimOperation(kind, command.key(), null);
	}

	private void start(SimOperation operation) {
		switch (operation.kind()) {
			case LOCAL_READ -> readLocally(operation.key());
			case LINEARIZABLE_READ -> this.open = new Open(operation, this.client.submit(ReadBarriers.command()), this.now);
			case PUT -> this.open = new Open(operation,
					this.client.submit(KvCommand.put(operation.key(), operation.value()).encode()), this.now);
			case GET -> this.open = new Open(operation, this.client.submit(KvCommand.get(operation.key()).encode()),
					this.now);
		}
	}

	/**
	 * A {@code LOCAL} read: the local replica's state as it is. It must hold every command this
	 * process was given the result of (read-your-writes), and every command whose effect a caller
	 * on that replica was already given (a replica's reads never go back). Both are judged by the
	 * state the read actually saw (the op of the last command its state machine holds), not by the
	 * op the replica or its client claim to have applied.
	 */
	private void readLocally(String key) {
		readState(key, "locally");
		this.statistics.localReads++;
		this.thinkUntilTick = this.now + this.workload.thinkTicks(this.random);
	}

	/** Reads {@code key} from the local replica's state and checks that state against what callers were given. */
	private String readState(String key, String how) {
		long stateOp = this.world.stateOp(this.localReplica);
		String value = this.world.read(this.localReplica, key);
		this.lastRead = value;
		if (stateOp < this.highestOpReturned) {
			this.world.violation("client " + this.index + " read " + key + " " + how + " on replica " + this.localReplica
					+ " from a state at op " + stateOp + ", older than op " + this.highestOpReturned
					+ " whose result it was already given (read-your-writes)");
		}
		long returnedBefore = this.world.returned(this.localReplica, stateOp);
		if (stateOp < returnedBefore) {
			this.world.violation("client " + this.index + " read " + key + " " + how + " on replica " + this.localReplica
					+ " from a state at op " + stateOp + ", older than op " + returnedBefore
					+ " whose effect that replica already gave a caller (a read went back in time)");
		}
		this.highestOpReturned = Math.max(this.highestOpReturned, stateOp);
		return value;
	}

	private void completed(Reply reply) {
		Open done = this.open;
		this.open = null;
		String result;
		if (done.operation.kind() == SimOperation.Kind.LINEARIZABLE_READ) {
			// The barrier's op changed no state; what counts is the state the read sees.
			this.statistics.linearizableReads++;
			result = readState(done.operation.key(), "linearizably");
		}
		else {
			this.highestOpReturned = Math.max(this.highestOpReturned, reply.op());
			if (this.localReplica != Client.NO_LOCAL_REPLICA) {
				this.world.returned(this.localReplica, reply.op());
			}
			result = KvCommand.decodeResult(reply.result());
		}
		this.history.add(done.completed(this.index, this.now, result));
		this.statistics.completed++;
		this.thinkUntilTick = this.now + this.workload.thinkTicks(this.random);
	}

	private void failed(ClientFailure failure) {
		Open done = this.open;
		this.open = null;
		if (failure == ClientFailure.NOT_SENT) {
			// Never sent, so it never happened: it has no place in the history.
			this.statistics.notSent++;
			return;
		}
		if (failure == ClientFailure.SESSION_EVICTED) {
			this.statistics.evictions++;
		}
		this.history.add(done.indeterminate(this.index));
		this.statistics.indeterminate++;
	}

	private void submit(SimOperation operation) {
		if (this.submitted.size() >= SUBMITTED_OPERATIONS_MAX) {
			throw new IllegalStateException("Client " + this.index + " already has " + SUBMITTED_OPERATIONS_MAX
					+ " operations queued");
		}
		this.submitted.addLast(operation);
	}

	private void requireLocalReplica(String what) {
		if (this.localReplica == Client.NO_LOCAL_REPLICA) {
			throw new IllegalStateException("Client " + this.index + " runs beside no replica, so it can not " + what);
		}
	}

	/** What a caller needs of the simulated world. */
	public interface World {

		/** Sends a request of {@code client}'s to replica {@code replica}. */
		void send(SimClient client, int replica, Request request);

		/** Whether replica {@code replica}'s process runs. */
		boolean isRunning(int replica);

		/** The running replica's view. */
		long view(int replica);

		/** The running replica's configuration. */
		Configuration configuration(int replica);

		/** Whether the running replica is normal in its view. */
		boolean isNormal(int replica);

		/** The highest op the running replica has applied. */
		long appliedOp(int replica);

		/**
		 * The op of the last command the running replica's state machine holds: what a read of it
		 * now sees, whatever the replica reports.
		 */
		long stateOp(int replica);

		/** The running replica's state machine's value for {@code key}, as a local read sees it. */
		String read(int replica, String key);

		/**
		 * Records that a caller on replica {@code replica}'s process was given the state at
		 * {@code op}.
		 * @return the highest op any caller on that process was given before
		 */
		long returned(int replica, long op);

		/** A local read broke its promise. */
		void violation(String description);

	}

	/** The client's way out, for one process: a later process's client has a host of its own. */
	private final class Host implements ClientHost {

		private final long incarnation;

		Host(long incarnation) {
			this.incarnation = incarnation;
		}

		@Override
		public void send(int replica, Request request) {
			SimClient.this.registry.record(request);
			SimClient.this.world.send(SimClient.this, replica, request);
		}

		@Override
		public void completed(long ticket, Reply reply) {
			requireOpen(ticket);
			SimClient.this.completed(reply);
		}

		@Override
		public void failed(long ticket, ClientFailure failure, long op) {
			requireOpen(ticket);
			SimClient.this.failed(failure);
		}

		private void requireOpen(long ticket) {
			Invariants.check(this.incarnation == SimClient.this.incarnation && SimClient.this.open != null
					&& SimClient.this.open.ticket == ticket, "client %d heard of ticket %d, not its open operation", 
					SimClient.this.index, ticket);
		}

	}

	/** Counts of what a caller did. */
	public static final class Statistics {

		private long registrations;

		private long completed;

		private long indeterminate;

		private long notSent;

		private long evictions;

		private long restarts;

		private long localReads;

		private long linearizableReads;

		/** Sessions opened. */
		public long registrations() {
			return this.registrations;
		}

		/** Operations whose result arrived (linearizable reads included). */
		public long completed() {
			return this.completed;
		}

		/** Operations whose outcome is unknown. */
		public long indeterminate() {
			return this.indeterminate;
		}

		/** Operations that timed out before a session could carry them. */
		public long notSent() {
			return this.notSent;
		}

		/** Operations whose session was evicted. */
		public long evictions() {
			return this.evictions;
		}

		/** Process restarts of the caller's own. */
		public long restarts() {
			return this.restarts;
		}

		/** Local reads, each checked as it happened. */
		public long localReads() {
			return this.localReads;
		}

		/** Linearizable reads completed. */
		public long linearizableReads() {
			return this.linearizableReads;
		}

	}

	/** An operation a caller does. */
	record SimOperation(Kind kind, String key, String value) {

		enum Kind {
			PUT, GET, LOCAL_READ, LINEARIZABLE_READ
		}

	}

	/** The open operation and the ticket of its submission. */
	private static final class Open {

		private final SimOperation operation;

		private final long ticket;

		private final long invokedAt;

		Open(SimOperation operation, long ticket, long invokedAt) {
			this.operation = operation;
			this.ticket = ticket;
			this.invokedAt = invokedAt;
		}

		KvOperation completed(int client, long completedAt, String result) {
			return (this.operation.kind() == SimOperation.Kind.PUT)
					? KvOperation.put(client, this.invokedAt, completedAt, this.operation.key(), this.operation.value(),
							result)
					: KvOperation.get(client, this.invokedAt, completedAt, this.operation.key(), result);
		}

		KvOperation indeterminate(int client) {
			return (this.operation.kind() == SimOperation.Kind.PUT)
					? KvOperation.indeterminatePut(client, this.invokedAt, this.operation.key(), this.operation.value())
					: KvOperation.indeterminateGet(client, this.invokedAt, this.operation.key());
		}

	}

}
