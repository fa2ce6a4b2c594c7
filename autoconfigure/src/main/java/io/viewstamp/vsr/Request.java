package io.viewstamp.vsr;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A client's request: the command bytes and the session coordinates that make it unique.
 * A client sends one request at a time and resends it unchanged until it has a reply, so
 * {@code (clientId, requestNumber)} names exactly one command.
 *
 * @param clientId the client's identifier, chosen at random by the client for each incarnation
 * @param session the session number returned by {@link Operation#REGISTER}, or 0 when registering
 * @param requestNumber 0 for the register request, then 1, 2, ...
 * @param operation register or command
 * @param body the command bytes (empty for a register)
 */
public record Request(long clientId, long session, long requestNumber, Operation operation, byte[] body)
		implements Message {

	public Request {
		Objects.requireNonNull(operation, "operation");
		Objects.requireNonNull(body, "body");
		Invariants.check(requestNumber >= 0, "request number must not be negative");
		Invariants.check((operation == Operation.REGISTER) == (requestNumber == 0),
				"request number 0 is reserved for the register request");
	}

	/**
	 * Builds the register request that opens a session for {@code clientId}.
	 * @param clientId the client's id
	 * @param incarnation a number the client process draws at random when it starts: a resent
	 * register (same id, same incarnation) is answered with the session it already opened, while a
	 * restarted process (same id, new incarnation) gets a new session, so that it can never be taken
	 * for its predecessor
	 */
	public static Request register(long clientId, long incarnation) {
		return new Request(clientId, 0, 0, Operation.REGISTER,
				ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(incarnation).array());
	}

	/** The session coordinates of a reconfiguration: no client sends it, so it names none (client id 0). */
	static final long RECONFIGURATION_CLIENT_ID = 0;

	/**
	 * The request that changes the cluster's members to {@code next}: the primary prepares it as the
	 * last op of its epoch. Its body is the epoch (i64), the members (u32) and their addresses
	 * ({@link Configuration#putAddresses}); a body of the release before addresses ends after the members.
	 */
	public static Request reconfigure(Configuration next) {
		ByteBuffer body = ByteBuffer.allocate(RECONFIGURATION_HEADER_SIZE_BYTES + next.addressesSizeBytes())
			.order(ByteOrder.LITTLE_ENDIAN)
			.putLong(next.epoch())
			.putInt(next.members());
		next.putAddresses(body);
		return new Request(RECONFIGURATION_CLIENT_ID, 0, 1, Operation.RECONFIGURE, body.array());
	}

	/** A reconfiguration's epoch and members, before the addresses. */
	private static final int RECONFIGURATION_HEADER_SIZE_BYTES = Long.BYTES + Integer.BYTES;

	/**
	 * The configuration a reconfiguration request names.
	 * @throws IllegalStateException when this is no reconfiguration, or its body names none
	 */
	public Configuration configuration() {
		Invariants.check(this.operation == Operation.RECONFIGURE, "only a reconfiguration names a configuration");
		Invariants.check(this.body.length >= RECONFIGURATION_HEADER_SIZE_BYTES, "a reconfiguration of %d bytes",
				this.body.length);
		ByteBuffer in = ByteBuffer.wrap(this.body).order(ByteOrder.LITTLE_ENDIAN);
		Configuration configuration = Configuration.of(in.getLong(), in.getInt());
		if (!in.hasRemaining()) {
			return configuration;
		}
		try {
			configuration = configuration.withAddressesFrom(in);
		}
		catch (BufferUnderflowException | IllegalArgumentException ex) {
			throw new IllegalStateException("a reconfiguration whose addresses are malformed: " + ex, ex);
		}
		Invariants.check(!in.hasRemaining(), "a reconfiguration with %d bytes after its addresses", in.remaining());
		return configuration;
	}

	/** The incarnation a register request names (0 when its body does not carry one). */
	public long incarnation() {
		Invariants.check(this.operation == Operation.REGISTER, "only a register request names an incarnation");
		return (this.body.length == Long.BYTES)
				? ByteBuffer.wrap(this.body).order(ByteOrder.LITTLE_ENDIAN).getLong() : 0;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Request that && this.clientId == that.clientId && this.session == that.session
				&& this.requestNumber == that.requestNumber && this.operation == that.operation
				&& Arrays.equals(this.body, that.body);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.clientId, this.session, this.requestNumber, this.operation, Arrays.hashCode(this.body));
	}

	@Override
	public String toString() {
		return "Request[client=" + Long.toHexString(this.clientId) + ", session=" + this.session + ", request="
				+ this.requestNumber + ", " + this.operation + ", " + this.body.length + " bytes]";
	}

}
