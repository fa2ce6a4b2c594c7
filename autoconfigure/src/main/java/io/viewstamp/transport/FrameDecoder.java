package io.viewstamp.transport;

import java.nio.ByteBuffer;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Cuts a connection's bytes into {@link Frame} payloads ({@code byte[]}), one frame at a time.
 * A length over the current limit is refused as soon as the header is there, so nothing buffers
 * an impossible payload; the limit is the small {@link HandshakeCodec#HANDSHAKE_SIZE_BYTES_MAX}
 * until the handshake completes, so an unauthenticated peer cannot make this replica buffer a
 * large frame. After a malformed frame the decoder discards everything: nothing after it can be
 * trusted to be aligned, and the connection is being closed.
 */
final class FrameDecoder extends ByteToMessageDecoder {

	private static final byte TLS_HANDSHAKE_RECORD = 22;

	private static final byte TLS_MAJOR_VERSION = 3;

	private int payloadSizeBytesMax;

	private boolean failed;

	FrameDecoder(int payloadSizeBytesMax) {
		this.payloadSizeBytesMax = payloadSizeBytesMax;
	}

	/**
	 * Frames a payload for writing.
	 * @param payload the bytes of one message or handshake
	 * @return the frame, header included
	 */
	static ByteBuf frame(byte[] payload) {
		return Unpooled.wrappedBuffer(Frame.encode(payload));
	}

	/** Raises the limit once the handshake has proved who the peer is. */
	void allowPayloadSizeBytes(int payloadSizeBytesMax) {
		this.payloadSizeBytesMax = payloadSizeBytesMax;
	}

	@Override
	protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
		if (this.failed) {
			in.skipBytes(in.readableBytes());
			return;
		}
		if (in.readableBytes() < Frame.HEADER_SIZE_BYTES) {
			return;
		}
		int length = in.getIntLE(in.readerIndex());
		if (length < 0 || length > this.payloadSizeBytesMax) {
			boolean tls = startsTlsRecord(in);
			fail(in);
			if (tls) {
				throw new MalformedMessageException("The peer speaks TLS and this replica does not: set the same "
						+ "replication.ssl-bundle (TransportOptions.tls) on every replica, or on none");
			}
			throw new MalformedMessageException("Malformed frame: length " + Integer.toUnsignedString(length)
					+ " is more than the " + this.payloadSizeBytesMax + " bytes a frame may carry here");
		}
		int frameSizeBytes = Frame.HEADER_SIZE_BYTES + length;
		if (in.readableBytes() < frameSizeBytes) {
			return;
		}
		ByteBuffer frame = in.nioBuffer(in.readerIndex(), frameSizeBytes);
		byte[] payload;
		try {
			payload = Frame.decode(frame).orElseThrow();
		}
		catch (MalformedMessageException ex) {
			fail(in);
			throw ex;
		}
		in.skipBytes(frameSizeBytes);
		out.add(payload);
	}

	/** A TLS handshake record (content type 22, version 3.x) where a frame should start. */
	private static boolean startsTlsRecord(ByteBuf in) {
		return in.getByte(in.readerIndex()) == TLS_HANDSHAKE_RECORD && in.getByte(in.readerIndex() + 1) == TLS_MAJOR_VERSION;
	}

	private void fail(ByteBuf in) {
		this.failed = true;
		in.skipBytes(in.readableBytes());
	}

}
