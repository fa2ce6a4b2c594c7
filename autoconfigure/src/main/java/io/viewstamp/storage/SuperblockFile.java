package io.viewstamp.storage;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

import io.viewstamp.vsr.Cluster;
import io.viewstamp.vsr.Configuration;
import io.viewstamp.vsr.Superblock;
import org.jspecify.annotations.Nullable;

/**
 * The superblock file: {@link #COPIES} copies of the superblock, each in a block of its own with a
 * sequence number and a CRC32C.
 *
 * <p>Every write puts the new superblock into each copy in turn, with an fsync after each: a crash
 * in the middle of a copy leaves the other one intact, and once the write has completed both
 * copies hold it, so a later bit flip in one copy still leaves the newest superblock in the other.
 * (Writing only one copy per write, alternately, would halve the fsyncs but fall back to the
 * previous superblock on such a flip, and a replica must never forget a view it promised.) The
 * reader takes the intact copy with the highest sequence number.
 *
 * <pre>
 * offset  0  magic           u32  "VSSB"
 * offset  4  version         u8   3
 * offset  5  reserved        3 bytes, zero
 * offset  8  sequence        i64  one more for each write
 * offset 16  cluster id      i64
 * offset 24  replica         i32
 * offset 28  members         u32  the configuration's members, bit i for replica i
 * offset 32  view            i64
 * offset 40  log view        i64
 * offset 48  commit          i64
 * offset 56  epoch           i64  the configuration's epoch
 * offset 64  start op        i64  the op of the reconfiguration that started the epoch, 0 for epoch 0
 * offset 72  start checksum  i64  that op's entry checksum
 * offset 80  addresses size  u32  n, the bytes of the members' addresses
 * offset 84  addresses       n bytes: each member's in index order, a u8 length and UTF-8 bytes
 * offset 84+n crc            u32  CRC32C of bytes 0..83+n
 * </pre>
 *
 * <p>Version 2 ended with its CRC at offset 80, before addresses; version 1, written by releases
 * before reconfiguration, had the replica count at offset 28 and its CRC at offset 56, and is read
 * as the cluster's first configuration (epoch 0, members {@code 0..count-1}). The next write of
 * either is version 3.
 */
final class SuperblockFile {

	static final int COPIES = 2;

	/** Each copy has a block of its own, so that a torn write of one sector never reaches the other. */
	static final int COPY_SIZE_BYTES = 4096;

	/** The fields before the addresses. */
	static final int FIXED_SIZE_BYTES = 84;

	static final int ADDRESSES_SIZE_OFFSET = 80;

	/** The largest record: every replica a member, each with the longest address; it fits a copy's block. */
	static final int RECORD_SIZE_BYTES_MAX = FIXED_SIZE_BYTES + Cluster.REPLICAS_MAX * (1 + Configuration.ADDRESS_SIZE_BYTES_MAX)
			+ Integer.BYTES;

	/** "VSSB" in little-endian order. */
	static final int MAGIC = 'V' | ('S' << 8) | ('S' << 16) | ('B' << 24);

	static final byte VERSION = 3;

	/** Version 2's layout: version 3's without the addresses, its CRC at 80. */
	static final byte VERSION_2 = 2;

	static final int VERSION_2_CRC_OFFSET = 80;

	/** Version 1's layout: no epoch, the replica count where version 2 has the members, its CRC at 56. */
	static final byte VERSION_1 = 1;

	static final int VERSION_1_CRC_OFFSET = 56;

	private static final String TEMPORARY_SUFFIX = ".tmp";

	private final Path path;

	private final Disk disk;

	/** Opened by the first write that finds the file, {@code null} before and once closed. */
	private @Nullable FileChannel channel;

	private long sequence;

	private SuperblockFile(Path path, Disk disk, long sequence) {
		this.path = path;
		this.disk = disk;
		this.sequence = sequence;
	}

	/** A superblock file that does not exist yet; the first write creates it. */
	static SuperblockFile absent(Path path, Disk disk) {
		return new SuperblockFile(path, disk, 0);
	}

	/**
	 * Reads the superblock file at {@code path}.
	 * @return the newest intact copy and the file to write later ones to, or {@code null} when the
	 * file does not exist
	 * @throws DataDirectoryException when no copy is intact
	 */
	static @Nullable Stored read(Path path, Disk disk) throws IOException {
		if (!Files.exists(path)) {
			return null;
		}
		// Only the copies are read, whatever the file's size has become.
		ByteBuffer file = ByteBuffer.allocate(COPIES * COPY_SIZE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
		try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
			while (file.hasRemaining() && channel.read(file, file.position()) >= 0) {
				// Reads until both copies are in or the file ends.
			}
		}
		file.flip();
		Copy newest = null;
		for (int copy = 0; copy < COPIES; copy++) {
			Copy candidate = decode(file, copy * COPY_SIZE_BYTES);
			if (candidate != null && (newest == null || candidate.sequence() > newest.sequence())) {
				newest = candidate;
			}
		}
		Path directory = Objects.requireNonNull(path.getParent(), "the superblock file is in the data directory");
		if (newest == null) {
			throw new DataDirectoryException(directory, "Every copy of the superblock in " + path
					+ " is corrupt, so this replica can not know which views it promised to take part in, and must not "
					+ "rejoin its cluster with this data. If the other replicas are healthy, delete " + directory
					+ " (or point replication.data-dir at an empty directory) and restart: this replica then recovers "
					+ "its state from them.");
		}
		return new Stored(newest.superblock(), new SuperblockFile(path, disk, newest.sequence()));
	}

	/** Writes {@code superblock} into every copy, each followed by an fsync; creates the file if needed. */
	void write(Superblock superblock) throws IOException {
		this.sequence++;
		ByteBuffer record = encode(superblock, this.sequence);
		if (this.channel == null && !Files.exists(this.path)) {
			create(record);
			return;
		}
		if (this.channel == null) {
			this.channel = FileChannel.open(this.path, StandardOpenOption.WRITE);
		}
		for (int copy = 0; copy < COPIES; copy++) {
			this.disk.write(this.channel, record.duplicate(), (long) copy * COPY_SIZE_BYTES);
			this.disk.force(this.channel);
		}
	}

	void close() throws IOException {
		if (this.channel != null) {
			this.channel.close();
			this.channel = null;
		}
	}

	/** Deletes a temporary file left by a crash while the file was first created. */
	static void deleteLeftovers(Path path) throws IOException {
		Files.deleteIfExists(temporary(path));
	}

	/**
	 * The first write: both copies go into a temporary file, which is synced and then renamed, so
	 * that a superblock file, once it exists, always holds an intact copy.
	 */
	private void create(ByteBuffer record) throws IOException {
		Path temporary = temporary(this.path);
		ByteBuffer image = ByteBuffer.allocate(COPIES * COPY_SIZE_BYTES);
		for (int copy = 0; copy < COPIES; copy++) {
			image.put(copy * COPY_SIZE_BYTES, record.duplicate(), 0, record.remaining());
		}
		try (FileChannel created = FileChannel.open(temporary, StandardOpenOption.CREATE,
				StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
			this.disk.write(created, image, 0);
			this.disk.force(created);
		}
		Files.move(temporary, this.path, StandardCopyOption.ATOMIC_MOVE);
		Path directory = Objects.requireNonNull(this.path.getParent(), "the superblock file is in the data directory");
		this.disk.forceDirectory(directory);
	}

	static ByteBuffer encode(Superblock superblock, long sequence) {
		Configuration configuration = superblock.configuration();
		int addressesSize = configuration.addressesSizeBytes();
		ByteBuffer record = ByteBuffer.allocate(FIXED_SIZE_BYTES + addressesSize + Integer.BYTES)
			.order(ByteOrder.LITTLE_ENDIAN);
		record.putInt(MAGIC)
			.put(VERSION)
			.put((byte) 0)
			.put((byte) 0)
			.put((byte) 0)
			.putLong(sequence)
			.putLong(superblock.clusterId())
			.putInt(superblock.replica())
			.putInt(superblock.configuration().members())
			.putLong(superblock.view())
			.putLong(superblock.logView())
			.putLong(superblock.commit())
			.putLong(superblock.configuration().epoch())
			.putLong(superblock.configuration().startOp())
			.putLong(superblock.configuration().startChecksum())
			.putInt(addressesSize);
		configuration.putAddresses(record);
		record.putInt(Crc32c.of(record, 0, record.position()));
		return record.flip();
	}

	/** The copy at {@code offset}, or {@code null} when it is missing, corrupt or of another version. */
	private static @Nullable Copy decode(ByteBuffer file, int offset) {
		if (file.limit() < offset + VERSION_1_CRC_OFFSET + Integer.BYTES || file.getInt(offset) != MAGIC) {
			return null;
		}
		byte version = file.get(offset + 4);
		int crcOffset = crcOffset(file, offset, version);
		boolean intact = crcOffset > 0 && file.limit() >= offset + crcOffset + Integer.BYTES
				&& file.getInt(offset + crcOffset) == Crc32c.of(file, offset, crcOffset);
		if (!intact) {
			return null;
		}
		try {
			Configuration configuration = (version == VERSION_1) ? Configuration.initial(file.getInt(offset + 28))
					: Configuration.of(file.getLong(offset + 56), file.getInt(offset + 28), file.getLong(offset + 64),
							file.getLong(offset + 72));
			if (version == VERSION) {
				ByteBuffer addresses = file.slice(offset + FIXED_SIZE_BYTES, crcOffset - FIXED_SIZE_BYTES)
					.order(ByteOrder.LITTLE_ENDIAN);
				configuration = configuration.withAddressesFrom(addresses);
				if (addresses.hasRemaining()) {
					return null;
				}
			}
			Superblock superblock = new Superblock(file.getLong(offset + 16), file.getInt(offset + 24), configuration,
					file.getLong(offset + 32), file.getLong(offset + 40), file.getLong(offset + 48));
			return new Copy(file.getLong(offset + 8), superblock);
		}
		catch (IllegalStateException | IllegalArgumentException | BufferUnderflowException ex) {
			// The checksum matched values no superblock can hold: not written by this release.
			return null;
		}
	}

	/** Where the CRC of the copy at {@code offset} is, by its version; -1 when the copy can not be one. */
	private static int crcOffset(ByteBuffer file, int offset, byte version) {
		if (version == VERSION_1) {
			return VERSION_1_CRC_OFFSET;
		}
		if (version == VERSION_2) {
			return VERSION_2_CRC_OFFSET;
		}
		if (version != VERSION || file.limit() < offset + FIXED_SIZE_BYTES) {
			return -1;
		}
		int addressesSize = file.getInt(offset + ADDRESSES_SIZE_OFFSET);
		boolean fits = addressesSize >= 0 && FIXED_SIZE_BYTES + addressesSize + Integer.BYTES <= COPY_SIZE_BYTES;
		return fits ? FIXED_SIZE_BYTES + addressesSize : -1;
	}

	private static Path temporary(Path path) {
		return path.resolveSibling(path.getFileName() + TEMPORARY_SUFFIX);
	}

	/**
	 * The superblock read from the file, and the file to write the next ones to.
	 * @param superblock the newest intact superblock
	 * @param file the file, continuing its sequence numbers
	 */
	record Stored(Superblock superblock, SuperblockFile file) {

	}

	private record Copy(long sequence, Superblock superblock) {

	}

}
