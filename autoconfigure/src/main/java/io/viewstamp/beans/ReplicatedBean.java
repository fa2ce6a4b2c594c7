package io.viewstamp.beans;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.viewstamp.ReplicatedState;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ReflectionUtils;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * One registered {@code @Replicated} bean: the real instance, its methods by signature, and how
 * its state is captured for snapshots.
 */
final class ReplicatedBean {

	private final String name;

	private final Object target;

	private final Class<?> type;

	private final Map<String, ReplicatedMethod> methods;

	/** The proxy's lookups, by the {@link Method} it intercepted; empty for one that is neither command nor read. */
	private final Map<Method, Optional<ReplicatedMethod>> methodsByMethod = new ConcurrentHashMap<>();

	private final State state;

	private ReplicatedBean(String name, Object target, Class<?> type, Map<String, ReplicatedMethod> methods, State state) {
		this.name = name;
		this.target = target;
		this.type = type;
		this.methods = methods;
		this.state = state;
	}

	/**
	 * Describes {@code target} and checks every method and its state.
	 * @throws IllegalStateException naming the bean and what to change, when it can not be replicated
	 */
	static ReplicatedBean of(String name, Object target, Class<?> type, CommandCodec codec) {
		if (Modifier.isFinal(type.getModifiers())) {
			throw new IllegalStateException("@Replicated bean '" + name + "' (" + type.getName() + ") is a final class, "
					+ "so calls can not be intercepted and replicated: remove 'final'");
		}
		Map<String, ReplicatedMethod> methods = new LinkedHashMap<>();
		for (Method method : type.getMethods()) {
			if (isReplicated(method, type)) {
				if (Modifier.isFinal(method.getModifiers())) {
					throw new IllegalStateException(CommandCodec.describe(name, method) + " is final, so calls of it can "
							+ "not be intercepted and replicated: remove 'final'");
				}
				ReflectionUtils.makeAccessible(method);
				ReplicatedMethod described = codec.describe(name, type, method);
				methods.put(described.signature(), described);
			}
		}
		State state = ReplicatedState.class.isAssignableFrom(type) ? customState(name, type, codec)
				: fieldState(name, type, codec);
		return new ReplicatedBean(name, target, type, Collections.unmodifiableMap(methods), state);
	}

	/**
	 * Whether {@code method} is a command or a read: public methods of the bean, but not those of
	 * {@link Object} or {@link ReplicatedState}, nor static, bridge or synthetic ones.
	 */
	static boolean isReplicated(Method method, Class<?> type) {
		int modifiers = method.getModifiers();
		if (!Modifier.isPublic(modifiers) || Modifier.isStatic(modifiers) || method.isBridge() || method.isSynthetic()
				|| method.getDeclaringClass() == Object.class) {
			return false;
		}
		return !overrides(method, Object.class)
				&& !(ReplicatedState.class.isAssignableFrom(type) && overrides(method, ReplicatedState.class));
	}

	private static boolean overrides(Method method, Class<?> type) {
		for (Method candidate : type.getMethods()) {
			if (candidate.getName().equals(method.getName())
					&& candidate.getParameterCount() == method.getParameterCount()
					&& (type == ReplicatedState.class
							|| Arrays.equals(candidate.getParameterTypes(), method.getParameterTypes()))) {
				return true;
			}
		}
		return false;
	}

	private static State customState(String name, Class<?> type, CommandCodec codec) {
		JavaType declared = codec.typeFactory().constructType(type).findSuperType(ReplicatedState.class);
		JavaType stateType = (declared != null) ? declared.getBindings().getBoundType(0) : null;
		if (stateType == null || stateType.getRawClass() == Object.class) {
			throw new IllegalStateException("@Replicated bean '" + name + "' implements ReplicatedState without a concrete "
					+ "state type: declare it as ReplicatedState<YourState>, so that Jackson can decode its snapshots");
		}
		String problem = codec.problem(stateType);
		if (problem != null) {
			throw new IllegalStateException("The state type " + stateType.toCanonical() + " of @Replicated bean '" + name
					+ "' can not be snapshot: " + problem + ". Use a concrete type, a record or a class Jackson can construct.");
		}
		return new CustomState(stateType);
	}

	private static State fieldState(String name, Class<?> type, CommandCodec codec) {
		JavaType beanType = codec.typeFactory().constructType(type);
		Map<String, StateField> fields = new LinkedHashMap<>();
		List<Class<?>> hierarchy = new ArrayList<>();
		for (Class<?> declaring = type; declaring != null && declaring != Object.class; declaring = declaring.getSuperclass()) {
			hierarchy.add(0, declaring);
		}
		// Superclass fields first, each class's in declaration order, so every replica writes them alike.
		for (Class<?> declaring : hierarchy) {
			JavaType declaringType = beanType.findSuperType(declaring);
			for (Field field : declaring.getDeclaredFields()) {
				if (!TypeCheck.isEncodedField(field)) {
					continue;
				}
				JavaType fieldType = codec.resolve(field.getGenericType(), declaringType);
				String problem = codec.problem(fieldType);
				if (problem != null) {
					throw new IllegalStateException("Field '" + field.getName() + "' of @Replicated bean '" + name
							+ "' can not be snapshot: its type is " + fieldType.toCanonical() + ", and " + problem
							+ ". Use a concrete type Jackson can construct, mark the field transient if it is not "
							+ "replicated state (an injected collaborator, say), or implement ReplicatedState.");
				}
				if (fields.containsKey(field.getName())) {
					throw new IllegalStateException("@Replicated bean '" + name + "' has two fields named '" + field.getName()
							+ "' (in " + declaring.getName() + " and a superclass): rename one, or implement ReplicatedState");
				}
				ReflectionUtils.makeAccessible(field);
				fields.put(field.getName(), new StateField(field, fieldType));
			}
		}
		return new FieldState(fields);
	}

	String name() {
		return this.name;
	}

	Object target() {
		return this.target;
	}

	Class<?> type() {
		return this.type;
	}

	/** The method with {@code signature}, or {@code null}. */
	@Nullable ReplicatedMethod method(String signature) {
		return this.methods.get(signature);
	}

	/** The command or read that {@code method} (as intercepted by the proxy) stands for, or {@code null}. */
	@Nullable ReplicatedMethod method(Method method) {
		return this.methodsByMethod
			.computeIfAbsent(method, (key) -> Optional.ofNullable(this.methods.get(CommandCodec.signature(key))))
			.orElse(null);
	}

	/** Every command and read, by signature. */
	Map<String, ReplicatedMethod> methods() {
		return this.methods;
	}

	void writeState(JsonGenerator generator, JsonMapper mapper) {
		this.state.write(this.target, generator, mapper);
	}

	void readState(JsonParser parser, JsonMapper mapper) {
		this.state.read(this.target, parser, mapper, this.name);
	}

	/** How a bean's state is written to and read from a snapshot. */
	private interface State {

		void write(Object target, JsonGenerator generator, JsonMapper mapper);

		/** Reads the state; the parser is at its first token and is left at its last. */
		void read(Object target, JsonParser parser, JsonMapper mapper, String beanName);

	}

	private record StateField(Field field, JavaType type) {
	}

	/** The bean's non-static, non-transient fields, as a JSON object in declaration order. */
	private record FieldState(Map<String, StateField> fields) implements State {

		@Override
		public void write(Object target, JsonGenerator generator, JsonMapper mapper) {
			generator.writeStartObject();
			for (StateField field : this.fields.values()) {
				generator.writeName(field.field().getName());
				mapper.writerFor(field.type()).writeValue(generator, ReflectionUtils.getField(field.field(), target));
			}
			generator.writeEndObject();
		}

		@Override
		public void read(Object target, JsonParser parser, JsonMapper mapper, String beanName) {
			if (parser.currentToken() != JsonToken.START_OBJECT) {
				throw new IllegalStateException("The snapshot of bean '" + beanName + "' is not an object of fields");
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				StateField field = this.fields.get(parser.currentName());
				if (field == null) {
					throw new IllegalStateException("The snapshot holds field '" + parser.currentName() + "' of bean '"
							+ beanName + "', which this application's bean does not have: run the same version of the "
							+ "application on every replica");
				}
				parser.nextToken();
				Object current = ReflectionUtils.getField(field.field(), target);
				if (field.type().isContainerType() && current != null && refill(current, parser, field.type(), mapper)) {
					continue;
				}
				Object value = CommandCodec.reader(mapper, field.type()).readValue(parser);
				// Final fields too: a snapshot replaces the whole state, whatever the bean's constructor set.
				ReflectionUtils.setField(field.field(), target, value);
			}
		}

	}

	/**
	 * Reads a map or collection field's state into the instance the bean holds there, rather than
	 * into a new one of Jackson's choosing: a {@code TreeMap} keeps its class and its comparator, a
	 * {@code LinkedHashMap} gets its entries in the snapshot's order, which is its insertion order.
	 * Jackson's own choice for a field declared {@code Map} is a {@code LinkedHashMap}: a
	 * {@code TreeMap} restored as one would iterate in insertion order, and the restored replica's
	 * commands would compute other results than the replicas that never restored.
	 * @return whether the state was read into {@code current}; {@code false}, with nothing read, for
	 * an instance that can not be changed (an immutable collection), which is replaced instead
	 */
	@SuppressWarnings("unchecked")
	private static boolean refill(Object current, JsonParser parser, JavaType declared, JsonMapper mapper) {
		boolean isMap = current instanceof Map<?, ?>;
		if (!isMap && !(current instanceof Collection<?>) || !isMutable(current)) {
			return false;
		}
		// Read into a container that keeps the snapshot's order, then into the bean's own.
		Class<?> ordered = isMap ? LinkedHashMap.class : (current instanceof Set<?>) ? LinkedHashSet.class : ArrayList.class;
		JavaType type = declared.getRawClass().isAssignableFrom(ordered)
				? mapper.getTypeFactory().constructSpecializedType(declared, ordered) : declared;
		Object read = CommandCodec.reader(mapper, type).readValue(parser);
		if (isMap) {
			((Map<Object, Object>) current).clear();
			((Map<Object, Object>) current).putAll((Map<Object, Object>) read);
		}
		else {
			((Collection<Object>) current).clear();
			((Collection<Object>) current).addAll((Collection<Object>) read);
		}
		return true;
	}

	/** Whether {@code container} takes changes: the JDK's immutable and unmodifiable ones refuse even clear(). */
	private static boolean isMutable(Object container) {
		String name = container.getClass().getName();
		return !name.startsWith("java.util.ImmutableCollections$") && !name.startsWith("java.util.Collections$Unmodifiable")
				&& !name.startsWith("java.util.Collections$Empty") && !name.startsWith("java.util.Collections$Singleton")
				&& !name.equals("java.util.Arrays$ArrayList");
	}

	/** The state a {@link ReplicatedState} bean returns, with its declared type. */
	private record CustomState(JavaType stateType) implements State {

		@Override
		@SuppressWarnings("unchecked")
		public void write(Object target, JsonGenerator generator, JsonMapper mapper) {
			mapper.writerFor(this.stateType).writeValue(generator, ((ReplicatedState<Object>) target).snapshot());
		}

		@Override
		@SuppressWarnings("unchecked")
		public void read(Object target, JsonParser parser, JsonMapper mapper, String beanName) {
			((ReplicatedState<Object>) target).restore(CommandCodec.reader(mapper, this.stateType).readValue(parser));
		}

	}

}
