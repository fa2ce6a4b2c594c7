package io.viewstamp.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/** CRC32C over byte ranges, without disturbing the buffers it reads. */
final class Crc32c {

	private Crc32c() {
	}

	/** The CRC32C of {@code length} bytes of {@code buffer} from {@code offset}; positions are untouched. */
	static int of(ByteBuffer buffer, int offset, int length) {
		CRC32C crc = new CRC32C();
		crc.update(buffer.duplicate().limit(offset + length).position(offset));
		return (int) crc.getValue();
	}

}
