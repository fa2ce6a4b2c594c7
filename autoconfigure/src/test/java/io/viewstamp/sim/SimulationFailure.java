package io.viewstamp.sim;

/**
 * A property of the simulated cluster does not hold. The message names the seed, the tick, the
 * check and what was expected against what was found, and says how to replay the seed.
 */
public final class SimulationFailure extends AssertionError {

	private static final long serialVersionUID = 1L;

	private final long seed;

	private final long tick;

	private final Check check;

	/**
	 * Creates a failure.
	 * @param seed the seed of the world
	 * @param tick the tick at which the property was found broken
	 * @param check which property
	 * @param detail what was expected and what was found
	 */
	public SimulationFailure(long seed, long tick, Check check, String detail) {
		this(seed, tick, check, detail, null);
	}

	/**
	 * Creates a failure caused by an exception, such as a replica's broken invariant.
	 * @param seed the seed of the world
	 * @param tick the tick at which it happened
	 * @param check which property
	 * @param detail what happened
	 * @param cause the exception
	 */
	public SimulationFailure(long seed, long tick, Check check, String detail, Throwable cause) {
		super("Seed " + seed + ", tick " + tick + ", " + check.description() + ": " + detail, cause);
		this.seed = seed;
		this.tick = tick;
		this.check = check;
	}

	/** The seed that reproduces it. */
	public long seed() {
		return this.seed;
	}

	/** The tick at which it was found. */
	public long tick() {
		return this.tick;
	}

	/** Which property failed. */
	public Check check() {
		return this.check;
	}

	/** The properties the simulator checks. */
	public enum Check {

		/** No two different entries are ever committed at one op; each is intact. */
		COMMITTED_LOG("committed logs disagree"),

		/** Each committed entry names its predecessor's checksum. */
		HASH_CHAIN("hash chain broken"),

		/** Each committed request was sent by a client, byte for byte. */
		REQUEST_ORIGIN("committed request no client sent"),

		/** A reply names the op that committed its request. */
		REPLY("reply does not match the committed log"),

		/** The clients' history is linearizable. */
		LINEARIZABILITY("client history not linearizable"),

		/**
		 * A {@code LOCAL} read sees its caller's own writes and never goes back on its replica.
		 */
		LOCAL_READ("local read broke its promise"),

		/**
		 * What a crash would leave on a replica's disk backs what it holds and promised: a log view
		 * made durable comes with a journal that reads back as that view's log and no entry past
		 * it, an acknowledged entry and its log view are durable, and so is a vote's view.
		 */
		DURABLE_LOG("the disk does not back what the replica holds or promised"),

		/** Replicas that committed the same ops hold the same state. */
		STATE("replica states differ"),

		/** A healed cluster finishes every client's operation and converges. */
		LIVENESS("liveness"),

		/** A replica threw an exception (a broken invariant, a bug). */
		REPLICA_EXCEPTION("replica threw");

		private final String description;

		Check(String description) {
			this.description = description;
		}

		/** A short description for messages. */
		public String description() {
			return this.description;
		}

	}

}
