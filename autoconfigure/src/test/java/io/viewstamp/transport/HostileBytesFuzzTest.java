package io.viewstamp.transport;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

import io.viewstamp.transport.Handshake.Accepted;
import io.viewstamp.transport.Handshake.Hello;
import io.viewstamp.transport.Handshake.Proven;
import io.viewstamp.transport.Handshake.Refused;
import io.viewstamp.vsr.Message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A deterministic fuzz of everything a peer's bytes reach before they are trusted: the frame
 * decoder (fed in random splits, as TCP delivers), the handshake decoder and the message decoder.
 * Valid encodings are mutated (bit flips, random bytes, truncation, garbage appended, lengths and
 * counts replaced by edge values) and each decoder must either decode or fail with
 * {@link MalformedMessageException}; a decoded message must encode back to the same bytes. No
 * other exception may escape, and no decode may allocate more than a small multiple of its input:
 * a decoder that trusted a claimed length before checking it against its bound would allocate
 * what the length claims. Anything else is a hole a hostile peer could use.
 *
 * <p>{@code -Dfuzz.inputs=N} sets the inputs per decoder (100,000 by default, so the build stays
 * quick; the documented full run is {@code -Dfuzz.inputs=1000000}).
 */
class HostileBytesFuzzTest {

	private static final long SEED = 0x5eed_7a11_0f_cafeL;

	private static final int INPUTS = Integer.getInteger("fuzz.inputs", 100_000);

	/**
	 * What one decode may allocate beyond a multiple of its input: buffers, the decoded objects, an
	 * exception's stack trace. Far below what the largest claimed length or count would cost.
	 */
	private static final long ALLOCATION_SLACK_BYTES = 512 << 10;

	/** Inputs decoded before allocation is measured: the first ones load classes and fill caches. */
	private static final int WARM_UP_INPUTS = 200;

	private static final int ALLOCATION_BYTES_PER_INPUT_BYTE = 64;

	// Values that probe length and count checks: zero, off-by-one, sign bit, maxima.
	private static final int[] INTERESTING_INTS = { 0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE,
			MessageCodec.ENTRIES_PER_MESSAGE_MAX, MessageCodec.ENTRIES_PER_MESSAGE_MAX + 1,
			MessageCodec.BODY_SIZE_BYTES_MAX, MessageCodec.BODY_SIZE_BYTES_MAX + 1, Frame.PAYLOAD_SIZE_BYTES_MAX,
			Frame.PAYLOAD_SIZE_BYTES_MAX + 1, HandshakeCodec.HANDSHAKE_SIZE_BYTES_MAX + 1 };

	private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	@Test
	void mutatedMessagesFailCleanlyOrEncodeBackToTheSameBytes() {
		List<Message> samples = SampleMessages.all();
		SplittableRandom random = new SplittableRandom(SEED);
		Outcomes outcomes = new Outcomes();
		for (int input = 0; input < INPUTS; input++) {
			Message sample = samples.get(random.nextInt(samples.size()));
			byte[] bytes = mutate(MessageCodec.encode(sample), random);
			long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
			try {
				Message message = MessageCodec.decode(ByteBuffer.wrap(bytes));
				outcomes.decoded++;
				assertThat(MessageCodec.encode(message)).as("input %d, from %s, re-encodes unchanged", input, sample)
					.isEqualTo(bytes);
			}
			catch (MalformedMessageException ex) {
				outcomes.malformed++;
				assertThat(ex.getMessage()).contains("offset");
			}
			catch (RuntimeException | Error ex) {
				fail("input " + input + " from " + sample + " threw " + ex + " instead of MalformedMessageException", ex);
			}
			assertAllocationBounded(input, allocatedBefore, bytes.length, "message input " + input);
		}
		outcomes.assertBothOccurred();
	}

	@Test
	void mutatedHandshakesFailCleanlyOrDecode() {
		List<byte[]> samples = List.of(HandshakeCodec.encode(new Hello(42, 0, 2)),
				HandshakeCodec.encode(new Hello(42, 1, 2, true, Nonces.next())),
				HandshakeCodec.encode(new Accepted(42, 2, Nonces.next(), new byte[PeerSecret.PROOF_SIZE_BYTES])),
				HandshakeCodec.encode(new Proven(new byte[PeerSecret.PROOF_SIZE_BYTES])),
				HandshakeCodec.encode(new Refused("the peer claims cluster id 7: check replication.cluster-id")));
		SplittableRandom random = new SplittableRandom(SEED + 1);
		Outcomes outcomes = new Outcomes();
		for (int input = 0; input < INPUTS; input++) {
			byte[] bytes = mutate(samples.get(random.nextInt(samples.size())).clone(), random);
			long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
			try {
				assertThat(HandshakeCodec.decode(bytes)).isNotNull();
				outcomes.decoded++;
			}
			catch (MalformedMessageException ex) {
				outcomes.malformed++;
			}
			catch (RuntimeException | Error ex) {
				fail("handshake input " + input + " threw " + ex + " instead of MalformedMessageException", ex);
			}
			assertAllocationBounded(input, allocatedBefore, bytes.length, "handshake input " + input);
		}
		outcomes.assertBothOccurred();
	}

	@Test
	void mutatedStreamsOfFramesFailCleanlyOrYieldPayloadsInOrder() {
		List<Message> samples = SampleMessages.all();
		SplittableRandom random = new SplittableRandom(SEED + 2);
		Outcomes outcomes = new Outcomes();
		for (int input = 0; input < INPUTS; input++) {
			// A few frames back to back, mutated as one stream, delivered in random pieces.
			List<byte[]> payloads = new ArrayList<>();
			ByteBuffer stream = ByteBuffer.allocate(1 << 16);
			int frames = 1 + random.nextInt(3);
			for (int frame = 0; frame < frames; frame++) {
				byte[] payload = (random.nextInt(10) == 0) ? new byte[0]
						: MessageCodec.encode(samples.get(random.nextInt(samples.size())));
				if (stream.remaining() < Frame.HEADER_SIZE_BYTES + payload.length) {
					break;
				}
				payloads.add(payload);
				stream.put(Frame.encode(payload));
			}
			byte[] bytes = mutate(Arrays.copyOf(stream.array(), stream.position()), random);
			EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(Frame.PAYLOAD_SIZE_BYTES_MAX));
			long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
			try {
				int offset = 0;
				while (offset < bytes.length) {
					int piece = 1 + random.nextInt(bytes.length - offset);
					channel.writeInbound(Unpooled.wrappedBuffer(bytes, offset, piece));
					offset += piece;
				}
				outcomes.decoded++;
			}
			catch (DecoderException ex) {
				if (!(ex.getCause() instanceof MalformedMessageException)) {
					fail("frame input " + input + " threw " + ex + " instead of MalformedMessageException", ex);
				}
				outcomes.malformed++;
			}
			catch (MalformedMessageException ex) {
				outcomes.malformed++;
			}
			catch (RuntimeException | Error ex) {
				fail("frame input " + input + " threw " + ex + " instead of MalformedMessageException", ex);
			}
			assertAllocationBounded(input, allocatedBefore, bytes.length, "frame input " + input);
			// What came out is what went in, frame for frame, up to where the mutation struck: a
			// mutated frame fails its checksum (a CRC-32C collision is a chance in four billion).
			List<byte[]> out = new ArrayList<>();
			Object frame;
			while ((frame = channel.readInbound()) != null) {
				out.add((byte[]) frame);
			}
			assertThat(out.size()).as("frame input %d: payloads out", input).isLessThanOrEqualTo(payloads.size());
			for (int index = 0; index < out.size(); index++) {
				assertThat(out.get(index)).as("frame input %d, payload %d", input, index).isEqualTo(payloads.get(index));
			}
			channel.finishAndReleaseAll();
		}
		outcomes.assertBothOccurred();
	}

	private static void assertAllocationBounded(int input, long allocatedBefore, int inputBytes, String what) {
		if (input < WARM_UP_INPUTS) {
			return;
		}
		long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
		assertThat(allocated).as("bytes %s allocated for %d bytes of input", what, inputBytes)
			.isLessThanOrEqualTo(ALLOCATION_SLACK_BYTES + (long) ALLOCATION_BYTES_PER_INPUT_BYTE * inputBytes);
	}

	private static byte[] mutate(byte[] bytes, SplittableRandom random) {
		if (bytes.length == 0) {
			return new byte[] { (byte) random.nextInt(256) };
		}
		switch (random.nextInt(5)) {
			case 0 -> {
				int bit = random.nextInt(bytes.length * Byte.SIZE);
				bytes[bit / Byte.SIZE] ^= (byte) (1 << (bit % Byte.SIZE));
				return bytes;
			}
			case 1 -> {
				bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
				return bytes;
			}
			case 2 -> {
				return Arrays.copyOf(bytes, random.nextInt(bytes.length));
			}
			case 3 -> {
				byte[] longer = Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(16));
				for (int index = bytes.length; index < longer.length; index++) {
					longer[index] = (byte) random.nextInt(256);
				}
				return longer;
			}
			default -> {
				if (bytes.length >= Integer.BYTES) {
					int offset = random.nextInt(bytes.length - Integer.BYTES + 1);
					int value = INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)];
					ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
				}
				return bytes;
			}
		}
	}

	/** How inputs ended: both outcomes must occur, or the fuzz does not exercise what it claims to. */
	private static final class Outcomes {

		private int decoded;

		private int malformed;

		void assertBothOccurred() {
			assertThat(this.malformed).as("inputs refused as malformed").isGreaterThan(INPUTS / 20);
			assertThat(this.decoded).as("inputs decoded").isGreaterThan(INPUTS / 1000);
		}

	}

	static {
		// Measuring allocation needs the JVM's per-thread counter.
		THREADS.setThreadAllocatedMemoryEnabled(true);
	}

}
