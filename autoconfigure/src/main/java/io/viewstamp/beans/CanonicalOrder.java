package io.viewstamp.beans;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.TypeSerializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.ValueSerializerModifier;
import tools.jackson.databind.type.CollectionType;
import tools.jackson.databind.type.MapType;

/**
 * A mapper that writes equal states as equal bytes on every replica, as snapshots and the
 * replicas' state checks need: the entries of a map and the elements of a set whose order is not
 * part of its value sorted, and those whose order is kept in it.
 *
 * <p>A {@code HashSet}'s or {@code HashMap}'s order depends on its capacity, so on its history:
 * a replica that restored a snapshot has a fresh one, and a replica that applied every command
 * may have one grown by entries since removed. {@code Set.of}'s order even depends on a random
 * salt drawn by each JVM. Sets and maps that do keep an order ({@link SortedSet}, {@link LinkedHashSet},
 * {@link EnumSet}, {@link SortedMap}, {@link LinkedHashMap}) are written in it, so that a replica
 * restored from the snapshot iterates them as the others do.
 */
final class CanonicalOrder {

	private CanonicalOrder() {
	}

	/** {@code mapper}, rebuilt to write in canonical order. */
	static JsonMapper of(JsonMapper mapper) {
		Objects.requireNonNull(mapper, "mapper");
		// Sort keys of elements that are not comparable are their canonical JSON, so the mapper
		// that writes the snapshot also writes the keys.
		AtomicReference<JsonMapper> canonical = new AtomicReference<>();
		SimpleModule module = new SimpleModule("viewstamp-canonical-order");
		module.setSerializerModifier(new CanonicalForms(canonical));
		JsonMapper built = mapper.rebuild()
			.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
			.addModule(module)
			.build();
		canonical.set(built);
		return built;
	}

	/** Whether {@code set}'s iteration order is part of its value, so it must be kept. */
	static boolean isOrdered(Collection<?> set) {
		return !(set instanceof Set) || set instanceof SortedSet || set instanceof LinkedHashSet
				|| set instanceof EnumSet;
	}

	/** The elements of {@code set} in canonical order. */
	static List<Object> sorted(Collection<?> set, JsonMapper mapper) {
		List<Object> elements = new ArrayList<>(set);
		if (isNaturallyOrdered(elements)) {
			// Ties are broken by the JSON: 1.0 and 1.00 are equal to compareTo, not to a HashSet.
			elements.sort((first, second) -> {
				int order = compareNaturally(first, second);
				return (order != 0) ? order
						: mapper.writeValueAsString(first).compareTo(mapper.writeValueAsString(second));
			});
			return elements;
		}
		List<Map.Entry<String, Object>> keyed = new ArrayList<>(elements.size());
		for (Object element : elements) {
			keyed.add(new AbstractMap.SimpleImmutableEntry<>(mapper.writeValueAsString(element), element));
		}
		keyed.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
		elements.clear();
		for (Map.Entry<String, Object> entry : keyed) {
			elements.add(entry.getValue());
		}
		return elements;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static int compareNaturally(Object first, Object second) {
		return ((Comparable) first).compareTo(second);
	}

	/** Strings, numbers of one type, enums: all non-null, of one class, comparable. */
	private static boolean isNaturallyOrdered(List<Object> elements) {
		if (elements.isEmpty() || !(elements.get(0) instanceof Comparable<?>)) {
			return elements.isEmpty();
		}
		Class<?> type = elements.get(0).getClass();
		for (Object element : elements) {
			if (element == null || element.getClass() != type) {
				return false;
			}
		}
		return true;
	}

	/**
	 * A {@code LinkedHashMap} as a sorted map whose order is its insertion order: Jackson sorts the
	 * entries of every map but a {@link SortedMap} by key, and a map whose order is its value must
	 * keep it, or a replica restored from the snapshot iterates it otherwise than the replicas that
	 * never restored.
	 */
	static Object keepingInsertionOrder(Object value) {
		if (!(value instanceof LinkedHashMap<?, ?> map) || map.size() < 2) {
			return value;
		}
		Map<Object, Integer> positions = new HashMap<>(map.size() * 2);
		for (Object key : map.keySet()) {
			positions.put(key, positions.size());
		}
		SortedMap<Object, Object> ordered = new TreeMap<>(Comparator.comparingInt(positions::get));
		ordered.putAll(map);
		return ordered;
	}

	/** Wraps the serializers of unordered sets, to sort them, and of maps, to keep an insertion order. */
	private static final class CanonicalForms extends ValueSerializerModifier {

		private static final long serialVersionUID = 1L;

		private final transient AtomicReference<JsonMapper> mapper;

		CanonicalForms(AtomicReference<JsonMapper> mapper) {
			this.mapper = mapper;
		}

		@Override
		@SuppressWarnings("unchecked")
		public ValueSerializer<?> modifyCollectionSerializer(SerializationConfig config, CollectionType type,
				BeanDescription.Supplier description, ValueSerializer<?> serializer) {
			Class<?> raw = type.getRawClass();
			if (!Set.class.isAssignableFrom(raw) || SortedSet.class.isAssignableFrom(raw)
					|| LinkedHashSet.class.isAssignableFrom(raw) || EnumSet.class.isAssignableFrom(raw)) {
				return serializer;
			}
			AtomicReference<JsonMapper> canonical = this.mapper;
			return new ConvertingSerializer((ValueSerializer<Object>) serializer, (value) -> {
				if (!(value instanceof Collection<?> set) || isOrdered(set)) {
					return value;
				}
				return new LinkedHashSet<>(sorted(set, Objects.requireNonNull(canonical.get(), "set once built")));
			});
		}

		@Override
		@SuppressWarnings("unchecked")
		public ValueSerializer<?> modifyMapSerializer(SerializationConfig config, MapType type,
				BeanDescription.Supplier description, ValueSerializer<?> serializer) {
			if (SortedMap.class.isAssignableFrom(type.getRawClass())) {
				return serializer;
			}
			return new ConvertingSerializer((ValueSerializer<Object>) serializer, CanonicalOrder::keepingInsertionOrder);
		}

	}

	/** Writes a value in its canonical form, through the serializer Jackson chose for it. */
	private static final class ConvertingSerializer extends ValueSerializer<Object> {

		private final ValueSerializer<Object> delegate;

		private final UnaryOperator<Object> canonical;

		ConvertingSerializer(ValueSerializer<Object> delegate, UnaryOperator<Object> canonical) {
			this.delegate = delegate;
			this.canonical = canonical;
		}

		@Override
		public void serialize(Object value, JsonGenerator generator, SerializationContext context)
				throws JacksonException {
			this.delegate.serialize(this.canonical.apply(value), generator, context);
		}

		@Override
		public void serializeWithType(Object value, JsonGenerator generator, SerializationContext context,
				TypeSerializer typeSerializer) throws JacksonException {
			this.delegate.serializeWithType(this.canonical.apply(value), generator, context, typeSerializer);
		}

		@Override
		@SuppressWarnings("unchecked")
		public ValueSerializer<?> createContextual(SerializationContext context, BeanProperty property) {
			ValueSerializer<?> contextual = this.delegate.createContextual(context, property);
			return (contextual == this.delegate) ? this
					: new ConvertingSerializer((ValueSerializer<Object>) contextual, this.canonical);
		}

		@Override
		public void resolve(SerializationContext context) {
			this.delegate.resolve(context);
		}

		@Override
		public boolean isEmpty(SerializationContext context, Object value) {
			return this.delegate.isEmpty(context, value);
		}

		@Override
		public Class<?> handledType() {
			return this.delegate.handledType();
		}

	}

}
