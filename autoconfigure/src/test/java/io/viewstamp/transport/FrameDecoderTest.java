package io.viewstamp.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Tests for {@link FrameDecoder}: frames cut from any split of the stream, bad frames refused early. */
class FrameDecoderTest {

	private static final byte[] PAYLOAD = "one payload".getBytes(StandardCharsets.UTF_8);

	private static final int LIMIT_BYTES = 64;

	@Test
	void frameArrivingByteByByteIsDecodedOnce() {
		EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(LIMIT_BYTES));
		ByteBuf frame = FrameDecoder.frame(PAYLOAD);
		while (frame.isReadable()) {
			channel.writeInbound(frame.readRetainedSlice(1));
		}
		assertThat((byte[]) channel.readInbound()).isEqualTo(PAYLOAD);
		assertThat((Object) channel.readInbound()).isNull();
	}

	@Test
	void framesArrivingTogetherAreDecodedInOrder() {
		EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(LIMIT_BYTES));
		channel.writeInbound(Unpooled.wrappedBuffer(FrameDecoder.frame(PAYLOAD), FrameDecoder.frame(new byte[0]),
				FrameDecoder.frame(PAYLOAD)));
		assertThat((byte[]) channel.readInbound()).isEqualTo(PAYLOAD);
		assertThat((byte[]) channel.readInbound()).isEmpty();
		assertThat((byte[]) channel.readInbound()).isEqualTo(PAYLOAD);
	}

	@Test
	void oversizeLengthIsRefusedAsSoonAsTheHeaderIsThereAndNothingAfterItIsRead() {
		EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(LIMIT_BYTES));
		ByteBuf header = Unpooled.buffer().writeIntLE(LIMIT_BYTES + 1).writeIntLE(0);
		assertThatExceptionOfType(DecoderException.class).isThrownBy(() -> channel.writeInbound(header))
			.withCauseInstanceOf(MalformedMessageException.class)
			.withMessageContaining("length 65 is more than the 64 bytes");
		channel.writeInbound(FrameDecoder.frame(PAYLOAD));
		assertThat((Object) channel.readInbound()).isNull();
	}

	@Test
	void negativeLengthIsRefused() {
		EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(LIMIT_BYTES));
		assertThatExceptionOfType(DecoderException.class)
			.isThrownBy(() -> channel.writeInbound(Unpooled.buffer().writeIntLE(-1).writeIntLE(0)))
			.withMessageContaining("length 4294967295");
	}

	@Test
	void badChecksumIsRefused() {
		EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(LIMIT_BYTES));
		ByteBuffer frame = Frame.encode(PAYLOAD).order(ByteOrder.LITTLE_ENDIAN);
		frame.putInt(Integer.BYTES, frame.getInt(Integer.BYTES) ^ 1);
		assertThatExceptionOfType(DecoderException.class)
			.isThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(frame)))
			.withCauseInstanceOf(MalformedMessageException.class)
			.withMessageContaining("checksum");
	}

	@Test
	void raisedLimitLetsLargerFramesThrough() {
		FrameDecoder decoder = new FrameDecoder(4);
		EmbeddedChannel channel = new EmbeddedChannel(decoder);
		decoder.allowPayloadSizeBytes(LIMIT_BYTES);
		channel.writeInbound(FrameDecoder.frame(PAYLOAD));
		assertThat((byte[]) channel.readInbound()).isEqualTo(PAYLOAD);
	}

}
