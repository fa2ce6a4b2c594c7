package io.viewstamp.beans;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.type.TypeFactory;

/**
 * Finds the types Jackson can not round-trip without polymorphic default typing, before the first
 * command needs them: {@code Object}, abstract types that are not containers, classes Jackson can
 * not construct, map keys that are not strings, numbers or enums. Containers, arrays and
 * {@code Optional} are checked through to their contents, records and other application classes
 * through to their fields.
 */
final class TypeCheck {

	private final TypeFactory typeFactory;

	TypeCheck(TypeFactory typeFactory) {
		this.typeFactory = typeFactory;
	}

	/**
	 * Says what is wrong with {@code type}.
	 * @param type the declared type
	 * @return the problem, naming the offending type (and the field that leads to it), or
	 * {@code null} when Jackson can encode and decode the type
	 */
	@Nullable String problem(JavaType type) {
		return problem(type, new HashSet<>());
	}

	private @Nullable String problem(JavaType type, Set<Class<?>> visiting) {
		Class<?> raw = type.getRawClass();
		if (raw == Object.class) {
			return "Object (any type): Jackson can not tell which class to decode";
		}
		if (type.isPrimitive() || type.isEnumType() || JsonNode.class.isAssignableFrom(raw)) {
			return null;
		}
		if (Future.class.isAssignableFrom(raw)) {
			return raw.getTypeName() + ": a future is only allowed as a method's return type";
		}
		if (type.isMapLikeType()) {
			String key = keyProblem(type.getKeyType());
			return (key != null) ? key : problem(type.getContentType(), visiting);
		}
		if (type.isContainerType()) {
			return problem(type.getContentType(), visiting);
		}
		if (type.isReferenceType()) {
			return problem(type.getReferencedType(), visiting);
		}
		if (raw.isInterface() || Modifier.isAbstract(raw.getModifiers())) {
			return hasExplicitSubtypes(raw) ? null : raw.getTypeName()
					+ " is abstract: Jackson can not tell which class to decode (polymorphic default typing is off)";
		}
		if (isJdkType(raw) || !visiting.add(raw)) {
			// The JDK's value types (String, BigDecimal, Instant, UUID...) are Jackson's own business.
			return null;
		}
		String construction = constructionProblem(raw, type.isRecordType());
		return (construction != null) ? construction : memberProblem(type, visiting);
	}

	private @Nullable String memberProblem(JavaType type, Set<Class<?>> visiting) {
		Class<?> raw = type.getRawClass();
		if (type.isRecordType()) {
			for (RecordComponent component : raw.getRecordComponents()) {
				String problem = problem(this.typeFactory.resolveMemberType(component.getGenericType(), type.getBindings()),
						visiting);
				if (problem != null) {
					return raw.getSimpleName() + "." + component.getName() + ": " + problem;
				}
			}
			return null;
		}
		for (Class<?> declaring = raw; declaring != null && declaring != Object.class; declaring = declaring.getSuperclass()) {
			JavaType declaringType = type.findSuperType(declaring);
			for (Field field : declaring.getDeclaredFields()) {
				if (!isEncodedField(field)) {
					continue;
				}
				String problem = problem(
						this.typeFactory.resolveMemberType(field.getGenericType(), declaringType.getBindings()), visiting);
				if (problem != null) {
					return raw.getSimpleName() + "." + field.getName() + ": " + problem;
				}
			}
		}
		return null;
	}

	private @Nullable String keyProblem(JavaType key) {
		Class<?> raw = key.getRawClass();
		boolean concreteJdkType = isJdkType(raw) && !raw.isInterface() && !Modifier.isAbstract(raw.getModifiers());
		if (key.isEnumType() || key.isPrimitive() || concreteJdkType) {
			return null;
		}
		return "map keys of type " + raw.getTypeName()
				+ ": JSON keys are strings, so use String, a number, an enum or a JDK value type such as UUID";
	}

	private static @Nullable String constructionProblem(Class<?> raw, boolean record) {
		if (raw.isMemberClass() && !Modifier.isStatic(raw.getModifiers())) {
			return raw.getTypeName() + " is an inner class: Jackson can not construct it without its enclosing instance "
					+ "(make it static or a record)";
		}
		if (record || hasNoArgumentConstructor(raw) || hasCreator(raw)) {
			return null;
		}
		return raw.getTypeName() + " has no constructor Jackson can use: give it a no-argument constructor or a "
				+ "@JsonCreator, or make it a record";
	}

	private static boolean hasNoArgumentConstructor(Class<?> raw) {
		return Arrays.stream(raw.getDeclaredConstructors()).anyMatch((constructor) -> constructor.getParameterCount() == 0);
	}

	/** A {@code @JsonCreator}, or a single constructor whose parameter names were compiled in ({@code -parameters}). */
	private static boolean hasCreator(Class<?> raw) {
		Constructor<?>[] constructors = raw.getDeclaredConstructors();
		for (Constructor<?> constructor : constructors) {
			if (constructor.isAnnotationPresent(JsonCreator.class)) {
				return true;
			}
		}
		for (Method method : raw.getDeclaredMethods()) {
			if (Modifier.isStatic(method.getModifiers()) && method.isAnnotationPresent(JsonCreator.class)) {
				return true;
			}
		}
		return constructors.length == 1 && hasParameterNames(constructors[0]);
	}

	private static boolean hasParameterNames(Executable executable) {
		return Arrays.stream(executable.getParameters()).allMatch(Parameter::isNamePresent);
	}

	/**
	 * An abstract type whose subtypes are named by {@code @JsonTypeInfo} (by name, not by class):
	 * Jackson decodes only the subtypes the application listed, which is safe.
	 */
	private static boolean hasExplicitSubtypes(Class<?> raw) {
		JsonTypeInfo info = raw.getAnnotation(JsonTypeInfo.class);
		return info != null && info.use() != JsonTypeInfo.Id.CLASS && info.use() != JsonTypeInfo.Id.MINIMAL_CLASS
				&& info.use() != JsonTypeInfo.Id.NONE;
	}

	private static boolean isJdkType(Class<?> raw) {
		String name = raw.getName();
		return name.startsWith("java.") || name.startsWith("javax.");
	}

	/** Whether Jackson (and a field-based snapshot) would carry the field. */
	static boolean isEncodedField(Field field) {
		int modifiers = field.getModifiers();
		return !Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers) && !field.isSynthetic()
				&& !field.isAnnotationPresent(JsonIgnore.class);
	}

	/** Whether {@code raw} is a future type, whose content is the method's real result. */
	static boolean isFuture(Class<?> raw) {
		return raw == CompletableFuture.class;
	}

}
