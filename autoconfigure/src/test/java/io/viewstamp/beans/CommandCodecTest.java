package io.viewstamp.beans;

import java.io.IOException;
import java.lang.reflect.Method;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.annotation.JsonValue;
import io.viewstamp.ReplicationException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Commands and results travel as JSON with the methods' declared generic types, and come back as
 * the same values; exceptions come back as the same class where the caller can rebuild it.
 */
class CommandCodecTest {

	private final CommandCodec codec = new CommandCodec(JsonMapper.builder().build());

	@Test
	void aCallRoundTripsWithItsDeclaredGenericTypes() throws Exception {
		ReplicatedMethod method = describe("ship", List.class, Map.class, Optional.class, int.class, long[].class);
		List<Item> items = List.of(new Item("apple", 3), new Item("pear", 1));
		Object[] arguments = { items, Map.of("a", 1, "b", 2), Optional.of(new Item("fig", 9)), 7, new long[] { 1, 2 } };

		CommandCodec.Call call = this.codec.decodeCall(this.codec.encodeCall("shop", method, arguments),
				(bean, signature) -> method);

		assertThat(call.bean()).isEqualTo("shop");
		assertThat(call.signature()).isEqualTo(method.signature());
		assertThat(call.arguments()[0]).isEqualTo(items);
		assertThat(((List<?>) call.arguments()[0]).get(0)).isInstanceOf(Item.class);
		assertThat(call.arguments()[1]).isEqualTo(Map.of("a", 1, "b", 2));
		assertThat(call.arguments()[2]).isEqualTo(Optional.of(new Item("fig", 9)));
		assertThat(call.arguments()[3]).isEqualTo(7);
		assertThat(call.arguments()[4]).isEqualTo(new long[] { 1, 2 });
	}

	@Test
	void theWireFormatNamesTheBeanTheSignatureAndTheArguments() throws Exception {
		ReplicatedMethod method = describe("add", String.class, int.class);

		byte[] command = this.codec.encodeCall("inventory", method, new Object[] { "apple", 3 });

		assertThat(new String(command, StandardCharsets.UTF_8))
			.isEqualTo("{\"b\":\"inventory\",\"m\":\"add(java.lang.String,int)\",\"a\":[\"apple\",3]}");
	}

	@Test
	void signaturesAreTheNameAndTheErasedParameterTypes() throws Exception {
		assertThat(CommandCodec.signature(Shop.class.getMethod("add", String.class, int.class)))
			.isEqualTo("add(java.lang.String,int)");
		assertThat(CommandCodec.signature(Shop.class.getMethod("ship", List.class, Map.class, Optional.class, int.class,
				long[].class)))
			.isEqualTo("ship(java.util.List,java.util.Map,java.util.Optional,int,long[])");
		assertThat(CommandCodec.signature(Shop.class.getMethod("clear"))).isEqualTo("clear()");
	}

	@Test
	void resultsRoundTripWithTheGenericReturnType() throws Exception {
		ReplicatedMethod items = describe("items");
		List<Item> value = List.of(new Item("apple", 3));

		CommandCodec.Outcome outcome = this.codec.decodeResult(items, this.codec.encodeResult(items, value), loader());

		assertThat(outcome.thrown()).isNull();
		assertThat(outcome.get()).isEqualTo(value);
		assertThat(((List<?>) outcome.get()).get(0)).isInstanceOf(Item.class);
	}

	@Test
	void voidResultsAreNull() throws Exception {
		ReplicatedMethod clear = describe("clear");

		byte[] result = this.codec.encodeResult(clear, null);

		assertThat(new String(result, StandardCharsets.UTF_8)).isEqualTo("{\"r\":null}");
		assertThat(this.codec.decodeResult(clear, result, loader()).get()).isNull();
	}

	@Test
	void theResultOfAFutureIsItsContent() throws Exception {
		ReplicatedMethod later = describe("addLater", String.class, int.class);

		assertThat(later.returnsFuture()).isTrue();
		assertThat(this.codec.decodeResult(later, this.codec.encodeResult(later, 5), loader()).get()).isEqualTo(5);
	}

	@Test
	void anUncheckedExceptionComesBackAsTheSameClassWithItsMessage() throws Exception {
		ReplicatedMethod add = describe("add", String.class, int.class);

		CommandCodec.Outcome outcome = this.codec.decodeResult(add,
				this.codec.encodeException(new IllegalArgumentException("Quantity -1 is not positive")), loader());

		assertThat(outcome.thrown()).isExactlyInstanceOf(IllegalArgumentException.class)
			.hasMessage("Quantity -1 is not positive");
	}

	@Test
	void aCheckedExceptionTheMethodDeclaresComesBackAsTheSameClass() throws Exception {
		ReplicatedMethod reserve = describe("reserve", String.class, int.class);

		CommandCodec.Outcome outcome = this.codec.decodeResult(reserve,
				this.codec.encodeException(new OutOfStockException("Only 2 of fig in stock")), loader());

		assertThat(outcome.thrown()).isExactlyInstanceOf(OutOfStockException.class).hasMessage("Only 2 of fig in stock");
		assertThatThrownBy(outcome::get).isSameAs(outcome.thrown());
	}

	@Test
	void anExceptionClassThatIsNotPublicComesBackAsItself() throws Exception {
		ReplicatedMethod hide = describe("hide");

		CommandCodec.Outcome outcome = this.codec.decodeResult(hide, this.codec.encodeException(new HiddenException("hidden")),
				loader());

		assertThat(outcome.thrown()).isExactlyInstanceOf(HiddenException.class).hasMessage("hidden");
	}

	/** A checked exception as applications often write them: package-private, with a package-private constructor. */
	static class HiddenException extends Exception {

		private static final long serialVersionUID = 1L;

		HiddenException(String message) {
			super(message);
		}

	}

	@Test
	void aCheckedExceptionTheMethodDoesNotDeclareOrAnUnknownOneComesBackAsAReplicationExceptionThatNamesIt()
			throws Exception {
		ReplicatedMethod add = describe("add", String.class, int.class);

		CommandCodec.Outcome checked = this.codec.decodeResult(add, this.codec.encodeException(new IOException("disk full")),
				loader());

		assertThat(checked.thrown()).isExactlyInstanceOf(ReplicationException.class)
			.hasMessageContaining("java.io.IOException")
			.hasMessageContaining("disk full");
		assertThat(CommandCodec.rebuild("com.example.GoneException", "gone", loader(), new Class<?>[0]))
			.isExactlyInstanceOf(ReplicationException.class)
			.hasMessageContaining("com.example.GoneException: gone");
	}

	@Test
	void aTypeVariableIsResolvedAgainstTheBeanClass() throws Exception {
		Method save = ItemRepository.class.getMethod("save", Object.class);

		ReplicatedMethod method = this.codec.describe("items", ItemRepository.class, save);
		CommandCodec.Call call = this.codec.decodeCall(
				this.codec.encodeCall("items", method, new Object[] { new Item("kiwi", 2) }), (bean, signature) -> method);

		assertThat(call.arguments()[0]).isEqualTo(new Item("kiwi", 2));
	}

	@Test
	void bytesOfAnotherFormatAreRefusedClearly() throws Exception {
		ReplicatedMethod add = describe("add", String.class, int.class);

		assertThatIllegalStateException()
			.isThrownBy(() -> this.codec.decodeCall("{\"bean\":\"x\"}".getBytes(StandardCharsets.UTF_8),
					(bean, signature) -> add))
			.withMessageContaining("not written by this version of Viewstamp");
	}

	@Test
	void aNumberLongerThanJacksonReadsIsRefusedBeforeItIsSubmittedNamingTheArgumentAndTheFix() throws Exception {
		ReplicatedMethod deposit = describe("deposit", BigInteger.class);
		BigInteger tooLong = BigInteger.TEN.pow(1_500);

		assertThatIllegalArgumentException().isThrownBy(() -> this.codec.encodeCall("shop", deposit, new Object[] { tooLong }))
			.withMessageContaining("deposit(java.math.BigInteger) of @Replicated bean 'shop'")
			.withMessageContaining("argument 1 (java.math.BigInteger)")
			.withMessageContaining("Number value length")
			.withMessageContaining("it was not submitted")
			.withMessageContaining("StreamReadConstraints");
		assertThat(this.codec.decodeCall(this.codec.encodeCall("shop", deposit, new Object[] { BigInteger.TEN.pow(900) }),
				(bean, signature) -> deposit)
			.arguments()).containsExactly(BigInteger.TEN.pow(900));
	}

	@Test
	void aValueWrittenInAShapeItsTypeCanNotBeReadFromIsRefusedBeforeItIsSubmitted() throws Exception {
		ReplicatedMethod label = describe("label", Label.class);
		Label value = new Label();
		value.text = "fragile";

		assertThatIllegalArgumentException().isThrownBy(() -> this.codec.encodeCall("shop", label, new Object[] { value }))
			.withMessageContaining("argument 1 (io.viewstamp.beans.CommandCodecTest$Label)")
			.withMessageContaining("can not read back");
	}

	private ReplicatedMethod describe(String name, Class<?>... parameterTypes) throws NoSuchMethodException {
		return this.codec.describe("shop", Shop.class, Shop.class.getMethod(name, parameterTypes));
	}

	private static ClassLoader loader() {
		return CommandCodecTest.class.getClassLoader();
	}

	record Item(String sku, int quantity) {
	}

	static class Shop {

		public int add(String sku, int quantity) {
			return quantity;
		}

		public CompletableFuture<Integer> addLater(String sku, int quantity) {
			return CompletableFuture.completedFuture(quantity);
		}

		public void ship(List<Item> items, Map<String, Integer> counts, Optional<Item> gift, int priority, long[] ids) {
		}

		public void hide() throws HiddenException {
			throw new HiddenException("hidden");
		}

		public int reserve(String sku, int quantity) throws OutOfStockException {
			throw new OutOfStockException("Only 0 of " + sku + " in stock");
		}

		public List<Item> items() {
			return List.of();
		}

		public void clear() {
		}

		public void deposit(BigInteger amount) {
		}

		public void label(Label label) {
		}

	}

	/** Written as a bare string ({@code @JsonValue}), but with no creator that reads one. */
	static class Label {

		public String text;

		@JsonValue
		String asText() {
			return this.text;
		}

	}

	static class Repository<T> {

		public void save(T value) {
		}

	}

	static class ItemRepository extends Repository<Item> {

	}

}
