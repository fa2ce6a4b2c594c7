package io.viewstamp.test;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

import org.assertj.core.api.Assertions;
import org.jspecify.annotations.Nullable;

/**
 * Compares the replicated beans of an application restored from a snapshot with those of the
 * application that took it, field by field: a field the snapshot misses (a {@code transient} one
 * that holds state, or one a {@code ReplicatedState.snapshot()} leaves out) comes back empty, and
 * the replica restored from it would go on from another state than the others.
 *
 * <p>Static fields, the application's other beans (collaborators, not state), locks and loggers
 * are not state and are left out. Values must be of the same class, and equal field by field
 * (AssertJ's recursive comparison, with strict type checking): a {@code TreeMap} restored as a
 * {@code LinkedHashMap} holds equal entries but iterates them in another order.
 */
final class RestoredBeanComparison {

	/** Longer values are cut, so that a failure stays readable. */
	private static final int VALUE_CHARS_MAX = 200;

	private RestoredBeanComparison() {
	}

	/**
	 * The fields of {@code restored}'s replicated beans that differ from {@code original}'s.
	 * @return one line per field that differs; empty when the beans are equal
	 */
	static List<String> differences(ReplicaApplication original, ReplicaApplication restored) {
		List<String> differences = new ArrayList<>();
		Map<String, Object> originals = original.replicatedBeans();
		Map<String, Object> restoreds = restored.replicatedBeans();
		for (Map.Entry<String, Object> bean : originals.entrySet()) {
			Object restoredBean = restoreds.get(bean.getKey());
			if (restoredBean == null) {
				continue;
			}
			for (Class<?> type = bean.getValue().getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
				for (Field field : type.getDeclaredFields()) {
					String difference = difference(original, bean.getKey(), field, bean.getValue(), restoredBean);
					if (difference != null) {
						differences.add(difference);
					}
				}
			}
		}
		return differences;
	}

	private static @Nullable String difference(ReplicaApplication original, String beanName, Field field, Object bean,
			Object restoredBean) {
		if (Modifier.isStatic(field.getModifiers()) || field.isSynthetic()) {
			return null;
		}
		Object expected = read(field, bean);
		Object actual = read(field, restoredBean);
		if (expected == null || actual == null) {
			return (expected == actual) ? null : describe(beanName, field, expected, actual);
		}
		if (original.isCollaborator(expected) || isInfrastructure(expected)) {
			return null;
		}
		if (expected.getClass() != actual.getClass()) {
			// Equal contents in another class may still behave otherwise: a TreeMap restored as a LinkedHashMap iterates in another order.
			return "field '" + field.getName() + "' of bean '" + beanName + "' is a " + actual.getClass().getName()
					+ " after the restore, a " + expected.getClass().getName() + " on the replica that took the snapshot";
		}
		Object expectedValue = unwrap(expected);
		Object actualValue = unwrap(actual);
		try {
			Assertions.assertThat(actualValue).usingRecursiveComparison().withStrictTypeChecking().isEqualTo(expectedValue);
			return null;
		}
		catch (AssertionError ex) {
			return Objects.deepEquals(expectedValue, actualValue)
					? "field '" + field.getName() + "' of bean '" + beanName + "' is equal after the restore, but not "
							+ "alike: its order, or state its equals() does not compare, differs (" + firstLine(ex.getMessage())
							+ ")"
					: describe(beanName, field, expected, actual);
		}
	}

	private static @Nullable Object read(Field field, Object bean) {
		try {
			field.setAccessible(true);
			return field.get(bean);
		}
		catch (IllegalAccessException | InaccessibleObjectException ex) {
			throw new IllegalStateException("Can not read field " + field.getName() + " of " + bean.getClass().getName()
					+ " to compare it after a restore: open its package to the test", ex);
		}
	}

	/** Locks, loggers and threads hold no state a command computes with. */
	private static boolean isInfrastructure(Object value) {
		String name = value.getClass().getName();
		return name.startsWith("java.util.concurrent.locks.") || name.startsWith("org.slf4j.")
				|| name.startsWith("org.apache.commons.logging.") || name.startsWith("ch.qos.logback.")
				|| name.startsWith("org.apache.logging.log4j.") || value instanceof System.Logger
				|| value instanceof java.util.logging.Logger || value instanceof Thread;
	}

	/** Atomic holders compare by identity; their values are the state. */
	private static @Nullable Object unwrap(Object value) {
		if (value instanceof AtomicLong atomic) {
			return atomic.get();
		}
		if (value instanceof AtomicInteger atomic) {
			return atomic.get();
		}
		if (value instanceof AtomicBoolean atomic) {
			return atomic.get();
		}
		if (value instanceof AtomicReference<?> atomic) {
			return atomic.get();
		}
		if (value instanceof LongAdder adder) {
			return adder.sum();
		}
		if (value instanceof DoubleAdder adder) {
			return adder.sum();
		}
		return value;
	}

	private static String describe(String beanName, Field field, @Nullable Object expected, @Nullable Object actual) {
		return "field '" + field.getName() + "' of bean '" + beanName + "' is " + shortText(actual)
				+ " after the restore, " + shortText(expected) + " on the replica that took the snapshot";
	}

	private static String firstLine(@Nullable String message) {
		if (message == null) {
			return "";
		}
		String text = message.strip().replaceAll("\\s+", " ");
		return (text.length() <= VALUE_CHARS_MAX * 2) ? text : text.substring(0, VALUE_CHARS_MAX * 2) + "…";
	}

	/** A value as a short text for a failure. */
	private static String shortText(@Nullable Object value) {
		String text = String.valueOf(value);
		return (text.length() <= VALUE_CHARS_MAX) ? text : text.substring(0, VALUE_CHARS_MAX) + "…";
	}

}
