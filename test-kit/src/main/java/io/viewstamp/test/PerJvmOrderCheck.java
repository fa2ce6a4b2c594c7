package io.viewstamp.test;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Finds state whose iteration order differs from one JVM to another, which three replicas in one
 * JVM can not show by running: a {@code HashMap} or {@code HashSet} whose keys hash by identity
 * (enums, and classes that do not override {@code hashCode}), and {@code Set.of} or
 * {@code Map.of}, whose order is drawn per JVM. On three hosts, a command that iterates one would
 * compute another result on each.
 */
final class PerJvmOrderCheck {

	/** How deep into maps, collections and records the check looks: a map of sets of records of sets. */
	private static final int DEPTH_MAX = 3;

	private PerJvmOrderCheck() {
	}

	/**
	 * The fields of the replicated beans that hold such state now.
	 * @param beans bean name to the real bean
	 * @return one line per field found, naming it, its keys' class and the fix
	 */
	static List<String> find(Map<String, Object> beans) {
		List<String> found = new ArrayList<>();
		for (Map.Entry<String, Object> bean : beans.entrySet()) {
			for (Class<?> type = bean.getValue().getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
				for (Field field : type.getDeclaredFields()) {
					if (Modifier.isStatic(field.getModifiers()) || field.isSynthetic()) {
						continue;
					}
					String problem = problemWithin(read(field, bean.getValue()), DEPTH_MAX);
					if (problem != null) {
						found.add("field '" + field.getName() + "' of bean '" + bean.getKey() + "' " + problem);
					}
				}
			}
		}
		return found;
	}

	/**
	 * The problem of {@code value}, or of a map value, element or record component within it, down
	 * to {@code depth} levels: a {@code Map<String, Set<Status>>} whose sets are {@code HashSet}s.
	 */
	private static @Nullable String problemWithin(@Nullable Object value, int depth) {
		String problem = problem(value);
		if (problem != null || depth == 0 || value == null) {
			return problem;
		}
		Iterable<?> within = (value instanceof Map<?, ?> map) ? map.values()
				: (value instanceof Collection<?> collection) ? collection : recordComponents(value);
		for (Object inner : within) {
			String found = problemWithin(inner, depth - 1);
			if (found != null) {
				return "holds a value that " + found;
			}
		}
		return null;
	}

	private static List<@Nullable Object> recordComponents(Object value) {
		if (!value.getClass().isRecord()) {
			return List.of();
		}
		List<@Nullable Object> components = new ArrayList<>();
		for (RecordComponent component : value.getClass().getRecordComponents()) {
			try {
				component.getAccessor().setAccessible(true);
				components.add(component.getAccessor().invoke(value));
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				// A component that can not be read is not checked.
			}
		}
		return components;
	}

	private static @Nullable String problem(@Nullable Object value) {
		if (value == null) {
			return null;
		}
		String container = value.getClass().getName();
		if (container.startsWith("java.util.ImmutableCollections$") && ((value instanceof Collection<?> c && c.size() > 1)
				|| (value instanceof Map<?, ?> m && m.size() > 1))) {
			return "is a Set.of or Map.of, whose iteration order is drawn anew by each JVM: use a List, a TreeSet, "
					+ "a TreeMap, or a LinkedHashSet or LinkedHashMap";
		}
		boolean hashed = container.equals("java.util.HashMap") || container.equals("java.util.HashSet")
				|| container.equals("java.util.Hashtable") || container.startsWith("java.util.concurrent.ConcurrentHashMap");
		if (!hashed) {
			return null;
		}
		Collection<?> keys = (value instanceof Map<?, ?> map) ? map.keySet() : (Collection<?>) value;
		if (keys.size() < 2) {
			return null;
		}
		for (Object key : keys) {
			if (key != null && hashesByIdentity(key.getClass())) {
				boolean isEnum = key instanceof Enum<?>;
				String keyClass = (key instanceof Enum<?> constant) ? constant.getDeclaringClass().getName()
						: key.getClass().getName();
				return "is a " + value.getClass().getSimpleName() + " keyed by " + (isEnum ? "enum " : "class ") + keyClass
						+ ", whose hash codes, and so its iteration order, differ from one JVM to another: use "
						+ ((value instanceof Map<?, ?>) ? "an EnumMap or a TreeMap" : "an EnumSet or a TreeSet")
						+ (isEnum ? "" : ", or give the key class equals and hashCode");
			}
		}
		return null;
	}

	/** Enums, and classes that do not override {@code hashCode}, hash by identity: per JVM, per run. */
	private static boolean hashesByIdentity(Class<?> type) {
		try {
			// Enum.hashCode is Object's identity hash, declared final in Enum.
			return Enum.class.isAssignableFrom(type) || type.getMethod("hashCode").getDeclaringClass() == Object.class;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

	private static @Nullable Object read(Field field, Object bean) {
		try {
			field.setAccessible(true);
			return field.get(bean);
		}
		catch (IllegalAccessException | InaccessibleObjectException ex) {
			return null;
		}
	}

}
