package io.viewstamp.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.viewstamp.vsr.Configuration;
import io.viewstamp.vsr.LogEntry;
import io.viewstamp.vsr.LogEntryCodec;
import io.viewstamp.vsr.Message;
import io.viewstamp.vsr.Operation;
import io.viewstamp.vsr.ReplicaMessage;
import io.viewstamp.vsr.ReplicaMessage.Commit;
import io.viewstamp.vsr.ReplicaMessage.DoViewChange;
import io.viewstamp.vsr.ReplicaMessage.StartEpoch;
import io.viewstamp.vsr.ReplicaMessage.Prepare;
import io.viewstamp.vsr.ReplicaMessage.Prepares;
import io.viewstamp.vsr.ReplicaMessage.SnapshotChunk;
import io.viewstamp.vsr.Reply;
import io.viewstamp.vsr.ReplyStatus;
import io.viewstamp.vsr.Request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Tests for {@link MessageCodec}: round trips of every message type, and malformed bytes refused clearly. */
class MessageCodecTest {

	// Offsets of fields in the layouts the malformed-input tests corrupt.
	private static final int TYPE_OFFSET = 1;

	private static final int REQUEST_NUMBER_OFFSET = 18;

	private static final int REQUEST_OPERATION_OFFSET = 26;

	private static final int REQUEST_BODY_LENGTH_OFFSET = 27;

	private static final int REPLY_STATUS_OFFSET = 46;

	private static final int PREPARE_ENTRY_OFFSET = 22;

	private static final int PREPARES_COUNT_OFFSET = 30;

	private static final int SNAPSHOT_LENGTH_OFFSET = 70;

	static Stream<Message> samples() {
		return SampleMessages.all().stream();
	}

	@ParameterizedTest
	@MethodSource("samples")
	void everyMessageSurvivesTheRoundTrip(Message message) {
		byte[] bytes = MessageCodec.encode(message);
		ByteBuffer source = ByteBuffer.wrap(bytes);
		Message decoded = MessageCodec.decode(source);
		// Recursive comparison, because SnapshotChunk's record equality compares its array by identity.
		assertThat(decoded).usingRecursiveComparison().isEqualTo(message);
		assertThat(decoded).hasSameClassAs(message);
		assertThat(source.hasRemaining()).isFalse();
		assertThat(MessageCodec.encode(decoded)).isEqualTo(bytes);
	}

	@Test
	void everyMessageTypeHasARoundTripCase() {
		Set<Class<?>> sampled = samples().map(Object::getClass).collect(Collectors.toSet());
		Set<Class<?>> types = Stream
			.concat(Arrays.stream(ReplicaMessage.class.getPermittedSubclasses()), Stream.of(Request.class, Reply.class))
			.collect(Collectors.toSet());
		assertThat(sampled).as("a new message type needs a sample in SampleMessages").containsAll(types);
		assertThat(Message.class.getPermittedSubclasses()).containsExactlyInAnyOrder(Request.class, Reply.class,
				ReplicaMessage.class);
	}

	@Test
	void everyMessageTypeHasItsOwnCode() {
		Set<Byte> codes = samples().map((message) -> MessageCodec.encode(message)[TYPE_OFFSET]).collect(Collectors.toSet());
		assertThat(codes).hasSize(ReplicaMessage.class.getPermittedSubclasses().length + 2);
	}

	@Test
	void formatIsLittleEndianWithVersionAndTypeFirst() {
		byte[] bytes = MessageCodec.encode(new Commit(0x0102, 3, 0x0405, 0x0607));
		ByteBuffer expected = ByteBuffer.allocate(2 + Long.BYTES + Integer.BYTES + 2 * Long.BYTES)
			.order(ByteOrder.LITTLE_ENDIAN)
			.put(MessageCodec.VERSION)
			.put(MessageCodec.TYPE_COMMIT)
			.putLong(0x0102)
			.putInt(3)
			.putLong(0x0405)
			.putLong(0x0607);
		assertThat(bytes).isEqualTo(expected.array());
	}

	@Test
	void minimumEntrySizeIsThatOfTheSmallestEntry() {
		Request smallest = new Request(1, 1, 1, Operation.COMMAND, new byte[0]);
		assertThat(LogEntryCodec.encodedSizeBytes(LogEntry.create(1, 1, 1, 1, 1, List.of(smallest))))
			.isEqualTo(MessageCodec.ENTRY_SIZE_BYTES_MIN);
	}

	@Test
	void emptyInputIsTruncated() {
		assertMalformed(new byte[0], "at offset 0", "truncated", "format version");
	}

	@Test
	void unknownVersionIsRefused() {
		byte[] bytes = encodedCommit();
		bytes[0] = 2;
		assertMalformed(bytes, "at offset 0", "format version 2", "reads only version 4");
	}

	@Test
	void aConfigurationWithoutMembersOrWithANegativeStartIsRefused() {
		byte[] bytes = MessageCodec.encode(new StartEpoch(1L << 32, 1, Configuration.of(1, 0b111, 9, 77)));
		// version, type, view, replica: then epoch i64, members u32, start op i64, start checksum i64.
		byte[] noMembers = bytes.clone();
		ByteBuffer.wrap(noMembers).order(ByteOrder.LITTLE_ENDIAN).putInt(1 + 1 + 8 + 4 + 8, 0);
		assertMalformed(noMembers, "StartEpoch", "members a non-empty set of 0..15");
		byte[] outside = bytes.clone();
		ByteBuffer.wrap(outside).order(ByteOrder.LITTLE_ENDIAN).putInt(1 + 1 + 8 + 4 + 8, 1 << 16);
		assertMalformed(outside, "StartEpoch", "members a non-empty set of 0..15");
		byte[] negativeStart = bytes.clone();
		ByteBuffer.wrap(negativeStart).order(ByteOrder.LITTLE_ENDIAN).putLong(1 + 1 + 8 + 4 + 8 + 4, -1);
		assertMalformed(negativeStart, "StartEpoch", "a start op not negative");
	}

	@Test
	void addressesThatAreNotOnePerMemberOrNotUtf8AreRefused() {
		Configuration addressed = Configuration.of(1, 0b11, 9, 77).withAddress(0, "a:1").withAddress(1, "b:2");
		byte[] bytes = MessageCodec.encode(new StartEpoch(1L << 32, 1, addressed));
		// version, type, view, replica, epoch, members, start op, start checksum: then the addresses' length.
		int lengthOffset = 1 + 1 + 8 + 4 + 8 + 4 + 8 + 8;
		assertThat(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(lengthOffset)).isEqualTo(2 * (1 + 3));
		byte[] shortened = bytes.clone();
		// The first address claims 4 bytes: the second runs past the end of the addresses.
		shortened[lengthOffset + 4] = 4;
		assertMalformed(shortened, "StartEpoch", "are not 2 UTF-8 addresses, one per member");
		byte[] notUtf8 = bytes.clone();
		notUtf8[lengthOffset + 4 + 1] = (byte) 0xff;
		assertMalformed(notUtf8, "StartEpoch", "are not 2 UTF-8 addresses");
		byte[] tooLong = bytes.clone();
		ByteBuffer.wrap(tooLong).order(ByteOrder.LITTLE_ENDIAN).putInt(lengthOffset, MessageCodec.ADDRESSES_SIZE_BYTES_MAX + 1);
		assertMalformed(tooLong, "StartEpoch", "the configuration's addresses claims");
	}

	@Test
	void aFlagOtherThanZeroOrOneIsRefused() {
		DoViewChange vote = new DoViewChange(3, 1, 2, 10, 0xabcL, 9, true, List.of());
		byte[] bytes = MessageCodec.encode(vote);
		// version, type, view, replica, log view, op, head checksum, commit: then the flag.
		int flagOffset = 1 + 1 + Long.BYTES + Integer.BYTES + 4 * Long.BYTES;
		assertThat(bytes[flagOffset]).isEqualTo((byte) 1);
		bytes[flagOffset] = 2;
		assertMalformed(bytes, "at offset " + flagOffset, "complete is 2, a flag is 0 or 1");
	}

	@Test
	void unknownTypeIsRefused() {
		byte[] bytes = encodedCommit();
		bytes[TYPE_OFFSET] = 99;
		assertMalformed(bytes, "at offset 1", "unknown message type 99");
	}

	@Test
	void truncatedMessageIsRefused() {
		byte[] bytes = encodedCommit();
		assertMalformed(Arrays.copyOf(bytes, bytes.length - 1), "Commit", "at offset 22", "truncated",
				"commitChecksum");
	}

	@Test
	void trailingBytesAreRefused() {
		byte[] bytes = encodedCommit();
		assertMalformed(Arrays.copyOf(bytes, bytes.length + 3), "Commit", "at offset " + bytes.length,
				"3 trailing bytes");
	}

	@Test
	void negativeEntryCountIsRefused() {
		byte[] bytes = MessageCodec.encode(new Prepares(1, 1, 1, 1, SampleMessages.entries(2, 1)));
		putInt(bytes, PREPARES_COUNT_OFFSET, -1);
		assertMalformed(bytes, "Prepares", "at offset " + PREPARES_COUNT_OFFSET, "entry count 4294967295");
	}

	@Test
	void entryCountOverTheMaximumIsRefused() {
		byte[] bytes = MessageCodec.encode(new Prepares(1, 1, 1, 1, List.of()));
		putInt(bytes, PREPARES_COUNT_OFFSET, MessageCodec.ENTRIES_PER_MESSAGE_MAX + 1);
		assertMalformed(bytes, "at offset " + PREPARES_COUNT_OFFSET,
				"outside the 0.." + MessageCodec.ENTRIES_PER_MESSAGE_MAX);
	}

	@Test
	void entryCountTheBytesCannotHoldIsRefusedBeforeAllocating() {
		byte[] bytes = MessageCodec.encode(new Prepares(1, 1, 1, 1, SampleMessages.entries(2, 1)));
		putInt(bytes, PREPARES_COUNT_OFFSET, MessageCodec.ENTRIES_PER_MESSAGE_MAX);
		assertMalformed(bytes, "at offset " + PREPARES_COUNT_OFFSET, "needs at least");
	}

	@Test
	void corruptEntryIsRefusedWithItsOffset() {
		byte[] bytes = MessageCodec.encode(new Prepare(1, 1, 1, SampleMessages.entries(2, 1).get(0)));
		bytes[PREPARE_ENTRY_OFFSET] = 9;
		assertMalformed(bytes, "Prepare", "at offset " + PREPARE_ENTRY_OFFSET, "not a valid log entry",
				"format version 9");
	}

	@Test
	void bodyLongerThanTheMaximumIsRefused() {
		byte[] bytes = MessageCodec.encode(SampleMessages.command(1, 1, 1, "abc"));
		putInt(bytes, REQUEST_BODY_LENGTH_OFFSET, MessageCodec.BODY_SIZE_BYTES_MAX + 1);
		assertMalformed(bytes, "Request", "at offset " + REQUEST_BODY_LENGTH_OFFSET,
				"claims " + (MessageCodec.BODY_SIZE_BYTES_MAX + 1) + " bytes");
	}

	@Test
	void bodyLongerThanTheBytesThereIsRefused() {
		byte[] bytes = MessageCodec.encode(SampleMessages.command(1, 1, 1, "abc"));
		putInt(bytes, REQUEST_BODY_LENGTH_OFFSET, 4);
		assertMalformed(bytes, "Request", "at offset " + (REQUEST_BODY_LENGTH_OFFSET + Integer.BYTES), "truncated",
				"the body needs 4 bytes, only 3 remain");
	}

	@Test
	void negativeSnapshotLengthIsRefused() {
		byte[] bytes = MessageCodec.encode(new SnapshotChunk(1, 1, 1, 1, 1, 1, 1, 1, 8, 0, new byte[8]));
		putInt(bytes, SNAPSHOT_LENGTH_OFFSET, -8);
		assertMalformed(bytes, "SnapshotChunk", "at offset " + SNAPSHOT_LENGTH_OFFSET,
				"the snapshot bytes claims " + Integer.toUnsignedString(-8));
	}

	@Test
	void unknownOperationCodeIsRefused() {
		byte[] bytes = MessageCodec.encode(SampleMessages.command(1, 1, 1, "abc"));
		bytes[REQUEST_OPERATION_OFFSET] = 0;
		assertMalformed(bytes, "Request", "at offset " + REQUEST_OPERATION_OFFSET, "unknown operation code 0");
	}

	@Test
	void unknownReplyStatusCodeIsRefused() {
		byte[] bytes = MessageCodec.encode(new Reply(1, 1, 1, 1, 1, 1, ReplyStatus.OK, new byte[0]));
		bytes[REPLY_STATUS_OFFSET] = 7;
		assertMalformed(bytes, "Reply", "at offset " + REPLY_STATUS_OFFSET, "unknown reply status code 7");
	}

	@Test
	void requestValuesNoRequestCanHaveAreRefused() {
		byte[] bytes = MessageCodec.encode(SampleMessages.command(1, 1, 1, "abc"));
		putLong(bytes, REQUEST_NUMBER_OFFSET, 0);
		assertMalformed(bytes, "Request", "at offset " + REQUEST_NUMBER_OFFSET, "no request can have");
	}

	@Test
	void inputLargerThanAnyMessageIsRefusedUnread() {
		ByteBuffer huge = ByteBuffer.allocate(MessageCodec.MESSAGE_SIZE_BYTES_MAX + 1);
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> MessageCodec.decode(huge))
			.withMessageContaining("more than the " + MessageCodec.MESSAGE_SIZE_BYTES_MAX);
	}

	@Test
	void encodingRefusesMoreEntriesThanAMessageMayCarry() {
		List<LogEntry> entry = SampleMessages.entries(1, 1);
		List<LogEntry> tooMany = Collections.nCopies(MessageCodec.ENTRIES_PER_MESSAGE_MAX + 1,
				entry.get(0));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> MessageCodec.encode(new Prepares(1, 1, 1, 1, tooMany)))
			.withMessageContaining("more than the " + MessageCodec.ENTRIES_PER_MESSAGE_MAX);
	}

	private static byte[] encodedCommit() {
		return MessageCodec.encode(new Commit(7, 1, 1204, 0x1234));
	}

	private static void assertMalformed(byte[] bytes, String... fragments) {
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> MessageCodec.decode(ByteBuffer.wrap(bytes)))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains(fragments));
	}

	private static void putInt(byte[] bytes, int offset, int value) {
		ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
	}

	private static void putLong(byte[] bytes, int offset, long value) {
		ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(offset, value);
	}

}
