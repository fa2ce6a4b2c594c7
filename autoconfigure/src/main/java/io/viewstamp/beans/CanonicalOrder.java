package io.viewstamp.beans;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.atomic.AtomicReference;

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

/**
 * A mapper that writes equal states as equal bytes on every replica, as snapshots and the
 * replicas' state checks need: map entries sorted by key, and the elements of a set whose order
 * is not part of its value sorted too.
 *
 * <p>A {@code HashSet}'s or {@code HashMap}'s order depends on its capacity, so on its history:
 * a replica that restored a snapshot has a fresh one, and a replica that applied every command
 * may have one grown by entries since removed. {@code Set.of}'s order even depends on a random
 * salt drawn by each JVM. Sets that do keep an order ({@link SortedSet}, {@link LinkedHashSet},
 * {@link EnumSet}) are written in it.
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
		module.setSerializerModifier(new SetSorting(canonical));
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

	/** Wraps the serializer of every unordered set type. */
	private static final class SetSorting extends ValueSerializerModifier {

		private static final long serialVersionUID = 1L;

		private final transient AtomicReference<JsonMapper> mapper;

		SetSorting(AtomicReference<JsonMapper> mapper) {
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
			return new SortedSetSerializer((ValueSerializer<Object>) serializer, this.mapper);
		}

	}

	/** Writes a set's elements sorted, through the serializer Jackson chose for it. */
	private static final class SortedSetSerializer extends ValueSerializer<Object> {

		private final ValueSerializer<Object> delegate;

		private final AtomicReference<JsonMapper> mapper;

		SortedSetSerializer(ValueSerializer<Object> delegate, AtomicReference<JsonMapper> mapper) {
			this.delegate = delegate;
			this.mapper = mapper;
		}

		@Override
		public void serialize(Object value, JsonGenerator generator, SerializationContext context)
				throws JacksonException {
			this.delegate.serialize(canonical(value), generator, context);
		}

		@Override
		public void serializeWithType(Object value, JsonGenerator generator, SerializationContext context,
				TypeSerializer typeSerializer) throws JacksonException {
			this.delegate.serializeWithType(canonical(value), generator, context, typeSerializer);
		}

		@Override
		@SuppressWarnings("unchecked")
		public ValueSerializer<?> createContextual(SerializationContext context, BeanProperty property) {
			ValueSerializer<?> contextual = this.delegate.createContextual(context, property);
			return (contextual == this.delegate) ? this
					: new SortedSetSerializer((ValueSerializer<Object>) contextual, this.mapper);
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

		private Object canonical(Object value) {
			if (!(value instanceof Collection<?> set) || isOrdered(set)) {
				return value;
			}
			JsonMapper canonical = Objects.requireNonNull(this.mapper.get(), "set once built, before it writes");
			return new LinkedHashSet<>(sorted(set, canonical));
		}

	}

}
