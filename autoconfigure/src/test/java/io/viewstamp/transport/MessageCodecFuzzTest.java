package io.viewstamp.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.viewstamp.vsr.Message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A deterministic fuzz of {@link MessageCodec#decode}: mutated and truncated encodings of every
 * sample either fail with {@link MalformedMessageException} or decode to a message that encodes
 * back to the very same bytes. Anything else (an {@link OutOfMemoryError}, an index exception, a
 * message that changed on the way) is a hole a hostile peer could use.
 */
class MessageCodecFuzzTest {

	private static final long SEED = 0x5eed_7a11_0f_cafeL;

	private static final int MUTATIONS = 5000;

	// Values that probe length and count checks: zero, off-by-one, sign bit, maxima.
	private static final int[] INTERESTING_INTS = { 0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE,
			MessageCodec.ENTRIES_PER_MESSAGE_MAX, MessageCodec.ENTRIES_PER_MESSAGE_MAX + 1,
			MessageCodec.BODY_SIZE_BYTES_MAX, MessageCodec.BODY_SIZE_BYTES_MAX + 1 };

	@Test
	void mutatedMessagesFailCleanlyOrEncodeBackToTheSameBytes() {
		List<Message> samples = SampleMessages.all();
		SplittableRandom random = new SplittableRandom(SEED);
		int malformed = 0;
		int decoded = 0;
		for (int mutation = 0; mutation < MUTATIONS; mutation++) {
			Message sample = samples.get(random.nextInt(samples.size()));
			byte[] bytes = mutate(MessageCodec.encode(sample), random);
			try {
				Message message = MessageCodec.decode(ByteBuffer.wrap(bytes));
				decoded++;
				assertThat(MessageCodec.encode(message)).as("mutation %d of %s re-encodes unchanged", mutation, sample)
					.isEqualTo(bytes);
			}
			catch (MalformedMessageException ex) {
				malformed++;
				assertThat(ex.getMessage()).contains("offset");
			}
			catch (RuntimeException | Error ex) {
				fail("mutation " + mutation + " of " + sample + " threw " + ex + " instead of MalformedMessageException",
						ex);
			}
		}
		// Both outcomes must occur, or the fuzz is not exercising what it claims to.
		assertThat(malformed).isGreaterThan(MUTATIONS / 10);
		assertThat(decoded).isGreaterThan(MUTATIONS / 100);
	}

	private static byte[] mutate(byte[] bytes, SplittableRandom random) {
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

}
