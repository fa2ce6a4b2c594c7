package io.viewstamp.beans;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import io.viewstamp.Consistency;
import io.viewstamp.ReadOnly;
import io.viewstamp.ReplicationException;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.TypeFactory;

/**
 * Encodes calls of replicated beans into commands, and their results, with the application's
 * Jackson mapper and the methods' declared generic types (never polymorphic default typing, which
 * lets the bytes choose classes to instantiate).
 *
 * <p>A command is {@code {"b": bean name, "m": signature, "a": [arguments]}}, where the signature
 * {@code name(erased parameter types)}, e.g. {@code add(java.lang.String,int)}, stays the same
 * across releases as long as the method does. A result is {@code {"r": value}}, or
 * {@code {"x": exception class, "message": message}} when the method threw.
 */
public final class CommandCodec {

	/** The bean name of the reserved no-op that a linearizable read sends through the log. */
	static final String BARRIER_BEAN = "";

	/** The signature of that no-op; no Java method has a name starting with '#'. */
	static final String BARRIER_SIGNATURE = "#barrier";

	private static final String BEAN = "b";

	private static final String METHOD = "m";

	private static final String ARGUMENTS = "a";

	private static final String RESULT = "r";

	private static final String EXCEPTION = "x";

	private static final String MESSAGE = "message";

	/** Room for a small command, so that the common case writes without growing the buffer. */
	private static final int BUFFER_SIZE_BYTES_INITIAL = 256;

	private final JsonMapper mapper;

	private final TypeCheck typeCheck;

	/**
	 * Readers and writers by type, built once: immutable and safe to share, and building one per
	 * value showed in the profile of a busy primary (docs/benchmarks.md, W1).
	 */
	private final Map<JavaType, ObjectReader> readers = new ConcurrentHashMap<>();

	private final Map<JavaType, ObjectWriter> writers = new ConcurrentHashMap<>();

	/**
	 * @param mapper the application's mapper; it must be the same, configured the same way, on every replica
	 */
	public CommandCodec(JsonMapper mapper) {
		this.mapper = Objects.requireNonNull(mapper, "mapper");
		this.typeCheck = new TypeCheck(mapper.getTypeFactory());
	}

	/**
	 * The stable name of a method in the log: its name and erased parameter types.
	 * @param method the method
	 * @return e.g. {@code add(java.lang.String,int)}
	 */
	public static String signature(Method method) {
		return method.getName() + Arrays.stream(method.getParameterTypes())
			.map(Class::getTypeName)
			.collect(Collectors.joining(",", "(", ")"));
	}

	/**
	 * The name a replica advertises for a command to its peers, so that they can tell which commands
	 * every member knows in a rolling upgrade.
	 * @param beanName the bean's name
	 * @param signature the method's {@link #signature}
	 * @return e.g. {@code ledger#add(java.lang.String,int)}
	 */
	public static String commandName(String beanName, String signature) {
		return beanName + "#" + signature;
	}

	/**
	 * Checks that Jackson can carry every argument and the result of {@code method} without
	 * default typing.
	 * @param beanName the bean's name, for the error
	 * @param beanClass the bean's class, against which the method's type variables are resolved
	 * @param method a public method of the bean
	 * @throws IllegalStateException naming the bean, the method and the type, when it can not
	 */
	public void check(String beanName, Class<?> beanClass, Method method) {
		describe(beanName, beanClass, method);
	}

	/** The method with its resolved types; checks them as {@link #check} does. */
	ReplicatedMethod describe(String beanName, Class<?> beanClass, Method method) {
		ReadOnly readOnly = AnnotatedElementUtils.findMergedAnnotation(method, ReadOnly.class);
		Consistency consistency = (readOnly != null) ? readOnly.consistency() : null;
		// A read runs on the caller's replica and its values never travel, so any type will do.
		boolean travels = (readOnly == null);
		JavaType declaring = this.mapper.getTypeFactory().constructType(beanClass).findSuperType(method.getDeclaringClass());
		List<JavaType> parameters = new ArrayList<>();
		Type[] genericParameters = method.getGenericParameterTypes();
		for (int i = 0; i < genericParameters.length; i++) {
			JavaType type = resolve(genericParameters[i], declaring);
			if (travels) {
				requireEncodable(beanName, method, "parameter " + (i + 1), type);
			}
			parameters.add(type);
		}
		Type returned = method.getGenericReturnType();
		boolean future = TypeCheck.isFuture(method.getReturnType());
		if (future && travels) {
			if (!(returned instanceof ParameterizedType parameterized)) {
				throw new IllegalStateException(describe(beanName, method) + " returns a raw CompletableFuture: declare "
						+ "its result type, e.g. CompletableFuture<Integer>, so that Jackson can decode the result");
			}
			returned = parameterized.getActualTypeArguments()[0];
		}
		JavaType result = null;
		if (returned != void.class && returned != Void.class) {
			result = resolve(returned, declaring);
			if (travels) {
				requireEncodable(beanName, method, "the result", result);
			}
		}
		return new ReplicatedMethod(method, signature(method), List.copyOf(parameters), result, future, consistency);
	}

	/** The type of a member declared in {@code declaring}, with the bean's type arguments. */
	JavaType resolve(Type type, @Nullable JavaType declaring) {
		return this.mapper.getTypeFactory().resolveMemberType(type, (declaring != null) ? declaring.getBindings() : null);
	}

	/** The mapper's type factory. */
	TypeFactory typeFactory() {
		return this.mapper.getTypeFactory();
	}

	/** The application's mapper. */
	JsonMapper mapper() {
		return this.mapper;
	}

	/**
	 * Checks that {@code type} can be encoded, for a state field or a {@code ReplicatedState}'s state.
	 * @return the problem, or {@code null}
	 */
	@Nullable String problem(JavaType type) {
		return this.typeCheck.problem(type);
	}

	private void requireEncodable(String beanName, Method method, String what, JavaType type) {
		String problem = this.typeCheck.problem(type);
		if (problem != null) {
			throw new IllegalStateException(describe(beanName, method) + " can not be replicated: " + what + " has type "
					+ type.toCanonical() + ", and " + problem + ". Use a concrete type, a record or a class Jackson can "
					+ "construct, or mark the method @ReadOnly if it does not change the bean's state.");
		}
	}

	static String describe(String beanName, Method method) {
		return "Method " + signature(method) + " of @Replicated bean '" + beanName + "'";
	}

	/**
	 * Encodes a call.
	 * @param beanName the bean's name
	 * @param method the method called
	 * @param arguments its arguments ({@code null} for none)
	 * @return the command
	 */
	byte[] encodeCall(String beanName, ReplicatedMethod method, Object @Nullable [] arguments) {
		Object[] values = (arguments != null) ? arguments : new Object[0];
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(BUFFER_SIZE_BYTES_INITIAL);
		try (JsonGenerator generator = this.mapper.createGenerator(bytes)) {
			generator.writeStartObject();
			generator.writeStringProperty(BEAN, beanName);
			generator.writeStringProperty(METHOD, method.signature());
			generator.writeName(ARGUMENTS);
			generator.writeStartArray();
			for (int i = 0; i < values.length; i++) {
				writer(method.parameterTypes().get(i)).writeValue(generator, values[i]);
			}
			generator.writeEndArray();
			generator.writeEndObject();
		}
		byte[] command = bytes.toByteArray();
		requireReadable(beanName, method, command);
		return command;
	}

	/**
	 * Decodes a command just encoded, as every replica will apply it. Jackson writes some values it
	 * will not read back: a number with more digits, a string longer or a structure nested deeper
	 * than its read constraints allow, a type whose serializer has no matching deserializer. Such a
	 * command, once logged, would fail to apply on every replica and stop them all; refused here,
	 * nothing is submitted and the caller learns which argument and why.
	 */
	private void requireReadable(String beanName, ReplicatedMethod method, byte[] command) {
		if (alwaysReadsBack(method.parameterTypes())) {
			return;
		}
		try {
			decodeCall(command, (bean, signature) -> method);
		}
		catch (UnreadableArgumentException ex) {
			JavaType type = method.parameterTypes().get(ex.index);
			throw new IllegalArgumentException(describe(beanName, method.method()) + " was called with argument "
					+ (ex.index + 1) + " (" + type.toCanonical() + ") that Jackson writes as JSON but can not read back: "
					+ ex.getCause().getOriginalMessage() + ". No replica could apply the command, so it was not "
					+ "submitted. Pass a value within Jackson's read constraints (StreamReadConstraints), or give the "
					+ "parameter a type Jackson reads as it writes.", ex.getCause());
		}
	}

	/**
	 * The no-op command that linearizable reads sent through the log before the runtime's own
	 * barrier ({@code ReadBarriers}) replaced it; journals may still hold it, and it still applies as
	 * nothing.
	 */
	byte[] encodeBarrier() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(BUFFER_SIZE_BYTES_INITIAL);
		try (JsonGenerator generator = this.mapper.createGenerator(bytes)) {
			generator.writeStartObject();
			generator.writeStringProperty(BEAN, BARRIER_BEAN);
			generator.writeStringProperty(METHOD, BARRIER_SIGNATURE);
			generator.writeEndObject();
		}
		return bytes.toByteArray();
	}

	/**
	 * Decodes a command.
	 * @param command the command's bytes
	 * @param methods finds the method that a bean name and signature stand for; {@code null} for the
	 * barrier, which has no arguments
	 * @return the call
	 * @throws JacksonException or {@link IllegalStateException} when the bytes are not a command of
	 * this application
	 */
	Call decodeCall(byte[] command, BiFunction<String, String, @Nullable ReplicatedMethod> methods) {
		try (JsonParser parser = this.mapper.createParser(command)) {
			expect(parser, parser.nextToken(), JsonToken.START_OBJECT);
			String bean = expectString(parser, BEAN);
			String signature = expectString(parser, METHOD);
			ReplicatedMethod method = methods.apply(bean, signature);
			if (method == null) {
				return new Call(bean, signature, null, new Object[0]);
			}
			expect(parser, parser.nextToken(), JsonToken.PROPERTY_NAME);
			expect(parser, parser.nextToken(), JsonToken.START_ARRAY);
			List<JavaType> types = method.parameterTypes();
			Object[] arguments = new Object[types.size()];
			for (int i = 0; i < arguments.length; i++) {
				try {
					parser.nextToken();
					arguments[i] = reader(types.get(i)).readValue(parser);
				}
				catch (JacksonException ex) {
					throw new UnreadableArgumentException(i, ex);
				}
			}
			expect(parser, parser.nextToken(), JsonToken.END_ARRAY);
			return new Call(bean, signature, method, arguments);
		}
	}

	/**
	 * Encodes what a method returned.
	 * @param method the method ({@code null} for the barrier)
	 * @param value the value, or the value its future completed with
	 * @return the result
	 */
	byte[] encodeResult(@Nullable ReplicatedMethod method, @Nullable Object value) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(BUFFER_SIZE_BYTES_INITIAL);
		try (JsonGenerator generator = this.mapper.createGenerator(bytes)) {
			generator.writeStartObject();
			generator.writeName(RESULT);
			if (method == null || method.resultType() == null) {
				generator.writeNull();
			}
			else {
				writer(method.resultType()).writeValue(generator, value);
			}
			generator.writeEndObject();
		}
		return bytes.toByteArray();
	}

	/**
	 * Encodes what a method threw: its class and message, since exceptions are not values that
	 * Jackson can safely carry.
	 * @param thrown the exception
	 * @return the result
	 */
	byte[] encodeException(Throwable thrown) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(BUFFER_SIZE_BYTES_INITIAL);
		try (JsonGenerator generator = this.mapper.createGenerator(bytes)) {
			generator.writeStartObject();
			generator.writeStringProperty(EXCEPTION, thrown.getClass().getName());
			generator.writeStringProperty(MESSAGE, thrown.getMessage());
			generator.writeEndObject();
		}
		return bytes.toByteArray();
	}

	/**
	 * Decodes a result.
	 * @param method the method called ({@code null} for the barrier)
	 * @param result the result's bytes
	 * @param classLoader where to find the class of an exception the method threw
	 * @return the value, or the exception to throw in its place
	 */
	Outcome decodeResult(@Nullable ReplicatedMethod method, byte[] result, ClassLoader classLoader) {
		try (JsonParser parser = this.mapper.createParser(result)) {
			expect(parser, parser.nextToken(), JsonToken.START_OBJECT);
			expect(parser, parser.nextToken(), JsonToken.PROPERTY_NAME);
			if (EXCEPTION.equals(parser.currentName())) {
				String type = parser.nextStringValue();
				String message = null;
				if (parser.nextToken() == JsonToken.PROPERTY_NAME && MESSAGE.equals(parser.currentName())) {
					message = parser.nextStringValue();
				}
				return new Outcome(null, rebuild(type, message, classLoader,
						(method != null) ? method.method().getExceptionTypes() : new Class<?>[0]));
			}
			if (!RESULT.equals(parser.currentName())) {
				throw new IllegalStateException("A result names '" + parser.currentName() + "' where '" + RESULT + "' or '"
						+ EXCEPTION + "' belongs: the replicas run incompatible versions of Viewstamp");
			}
			parser.nextToken();
			if (method == null || method.resultType() == null) {
				return new Outcome(null, null);
			}
			return new Outcome(reader(method.resultType()).readValue(parser), null);
		}
	}

	/**
	 * The exception a method threw on the replica that applied it: the same class, with its
	 * message, when it is unchecked or a checked exception the method declares, and the class has
	 * a constructor taking a message (public or not); otherwise a {@link ReplicationException} that names it
	 * (the caller could not be made to throw a checked exception its method does not declare).
	 */
	static Throwable rebuild(String type, @Nullable String message, ClassLoader classLoader, Class<?>[] declared) {
		try {
			Class<?> exceptionClass = ClassUtils.forName(type, classLoader);
			if (isThrowable(exceptionClass, declared) && !Modifier.isAbstract(exceptionClass.getModifiers())) {
				// Not only public ones: an application's exceptions are often package-private.
				Constructor<?> constructor = exceptionClass.getDeclaredConstructor(String.class);
				ReflectionUtils.makeAccessible(constructor);
				return (Throwable) constructor.newInstance(message);
			}
		}
		catch (ReflectiveOperationException | LinkageError | RuntimeException ex) {
			// Not a class this caller can rebuild: it is named in the message below instead.
		}
		return new ReplicationException("The replicated method threw " + type + ((message != null) ? ": " + message : ""));
	}

	private static boolean isThrowable(Class<?> exceptionClass, Class<?>[] declared) {
		if (RuntimeException.class.isAssignableFrom(exceptionClass) || Error.class.isAssignableFrom(exceptionClass)) {
			return true;
		}
		for (Class<?> type : declared) {
			if (type.isAssignableFrom(exceptionClass)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether every value of these types reads back as Jackson writes it, whatever the value and the
	 * mapper's settings: no argument, or only integral primitives, booleans, characters and their
	 * boxes, which no read constraint refuses. The read-back check then has nothing to find, and a
	 * call saves a parse. (Not floating point, whose NaN a mapper may write as a token it does not
	 * read; not enums, whose serializer an application may replace.)
	 */
	static boolean alwaysReadsBack(List<JavaType> types) {
		for (JavaType type : types) {
			Class<?> raw = ClassUtils.resolvePrimitiveIfNecessary(type.getRawClass());
			if (!(raw == Boolean.class || raw == Character.class || raw == Byte.class || raw == Short.class
					|| raw == Integer.class || raw == Long.class)) {
				return false;
			}
		}
		return true;
	}

	private ObjectReader reader(JavaType type) {
		return this.readers.computeIfAbsent(type, (key) -> reader(this.mapper, key));
	}

	private ObjectWriter writer(JavaType type) {
		return this.writers.computeIfAbsent(type, this.mapper::writerFor);
	}

	/**
	 * A reader of one value inside a larger document: the tokens after the value belong to the
	 * document, so they are not an error.
	 */
	static ObjectReader reader(JsonMapper mapper, JavaType type) {
		return mapper.readerFor(type).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
	}

	private static String expectString(JsonParser parser, String name) {
		expect(parser, parser.nextToken(), JsonToken.PROPERTY_NAME);
		if (!name.equals(parser.currentName())) {
			throw new IllegalStateException("A command names '" + parser.currentName() + "' where '" + name
					+ "' belongs: it was not written by this version of Viewstamp");
		}
		String value = parser.nextStringValue();
		if (value == null) {
			throw new IllegalStateException("A command's '" + name + "' is not a string: it was not written by this "
					+ "version of Viewstamp");
		}
		return value;
	}

	private static void expect(JsonParser parser, JsonToken actual, JsonToken expected) {
		if (actual != expected) {
			throw new IllegalStateException("Expected " + expected + " but found " + actual + " at "
					+ parser.currentLocation() + ": the bytes were not written by this version of Viewstamp");
		}
	}

	/** An argument of a command that Jackson can not read as its parameter's type. */
	static final class UnreadableArgumentException extends IllegalStateException {

		private static final long serialVersionUID = 1L;

		private final int index;

		UnreadableArgumentException(int index, JacksonException cause) {
			super("Argument " + (index + 1) + " of a command can not be read: " + cause.getOriginalMessage(), cause);
			this.index = index;
		}

		@Override
		public synchronized JacksonException getCause() {
			return (JacksonException) Objects.requireNonNull(super.getCause(), "set by the constructor");
		}

	}

	/**
	 * A decoded command.
	 * @param bean the bean's name
	 * @param signature the method's signature
	 * @param method the method, {@code null} for the barrier
	 * @param arguments the arguments
	 */
	record Call(String bean, String signature, @Nullable ReplicatedMethod method, Object[] arguments) {
	}

	/**
	 * A decoded result: a value, or what the method threw.
	 * @param value the value (or {@code null})
	 * @param thrown the exception to throw instead, or {@code null}
	 */
	record Outcome(@Nullable Object value, @Nullable Throwable thrown) {

		/** The value, or throws what the method threw (unchecked, or checked and declared by the method). */
		@Nullable Object get() throws Exception {
			if (this.thrown instanceof Exception exception) {
				throw exception;
			}
			if (this.thrown instanceof Error error) {
				throw error;
			}
			return this.value;
		}

	}

}
