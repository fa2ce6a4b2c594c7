package io.viewstamp.transport;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import io.viewstamp.vsr.Cluster;
import io.viewstamp.vsr.Configuration;

/**
 * News of where replicas are, passed between connected replicas: a primary asked to add a replica
 * tells its peers where the new one listens, so that they dial it (a replica with a higher index
 * than theirs, which they had no address for, can reach none of them: only the lower index dials)
 * and it can recover from a quorum before the change that adds it commits. News only adds replicas
 * a transport has no address for; the committed configuration alone moves known ones.
 *
 * <pre>
 * news    := magic u32 "VSAN" | count u8 | entry*
 * entry   := replica u8 | length u8 | address (length bytes of UTF-8 host:port)
 * </pre>
 *
 * A message starts with its format version, a handshake with its own magic, a ping is empty: no
 * frame is taken for another.
 */
final class AddressNews {

	/** "VSAN" in little-endian order. */
	static final int MAGIC = 'V' | ('S' << 8) | ('A' << 16) | ('N' << 24);

	private AddressNews() {
	}

	/** Whether a frame's payload is news rather than a message. */
	static boolean isNews(byte[] payload) {
		return payload.length >= Integer.BYTES && ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getInt() == MAGIC;
	}

	static byte[] encode(Map<Integer, PeerAddress> addresses) {
		ByteBuffer out = ByteBuffer.allocate(Integer.BYTES + 1 + addresses.size() * (2 + Configuration.ADDRESS_SIZE_BYTES_MAX))
			.order(ByteOrder.LITTLE_ENDIAN)
			.putInt(MAGIC)
			.put((byte) addresses.size());
		addresses.forEach((replica, address) -> {
			byte[] text = address.toString().getBytes(StandardCharsets.UTF_8);
			if (text.length > Configuration.ADDRESS_SIZE_BYTES_MAX) {
				throw new IllegalArgumentException("Address " + address + " of replica " + replica + " is longer than "
						+ Configuration.ADDRESS_SIZE_BYTES_MAX + " bytes");
			}
			out.put((byte) (int) replica).put((byte) text.length).put(text);
		});
		byte[] bytes = new byte[out.position()];
		out.flip().get(bytes);
		return bytes;
	}

	/**
	 * @throws MalformedMessageException when the bytes are no news of this format, saying what is wrong
	 */
	static SortedMap<Integer, PeerAddress> decode(byte[] payload) {
		ByteBuffer in = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
		SortedMap<Integer, PeerAddress> addresses = new TreeMap<>();
		try {
			in.getInt();
			int count = Byte.toUnsignedInt(in.get());
			for (int entry = 0; entry < count; entry++) {
				int replica = Byte.toUnsignedInt(in.get());
				byte[] text = new byte[Byte.toUnsignedInt(in.get())];
				in.get(text);
				if (replica >= Cluster.REPLICAS_MAX) {
					throw new MalformedMessageException("Malformed address news: replica " + replica + " is outside 0.."
							+ (Cluster.REPLICAS_MAX - 1));
				}
				addresses.put(replica, PeerAddress.parse(new String(text, StandardCharsets.UTF_8)));
			}
		}
		catch (BufferUnderflowException ex) {
			throw new MalformedMessageException("Malformed address news: it ends after " + payload.length + " bytes, "
					+ "before the entries its count announces", ex);
		}
		catch (InvalidPeerAddressException ex) {
			throw new MalformedMessageException("Malformed address news: " + ex.getMessage(), ex);
		}
		if (in.hasRemaining()) {
			throw new MalformedMessageException("Malformed address news: " + in.remaining() + " bytes after its entries");
		}
		return addresses;
	}

}
