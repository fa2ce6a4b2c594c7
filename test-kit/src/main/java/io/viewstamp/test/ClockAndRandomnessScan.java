package io.viewstamp.test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.viewstamp.ReadOnly;
import io.viewstamp.ReplicatedState;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Reads the bytecode of every command of the replicated beans, and of what they call in the
 * application's own package, for reads of the clock and of randomness: each replica would apply
 * the command at its own moment, or with its own numbers, and their states would differ. Found
 * before anything runs, as such a command may diverge only rarely, or only in what it stores.
 *
 * <p>A seeded generator ({@code new Random(seed)}) is deterministic and allowed; lambdas are read
 * as part of the method that declares them (ArchUnit gives their accesses to it).
 */
final class ClockAndRandomnessScan {

	private static final String CLOCK_FIX = "Use ReplicatedContext.now(), the time of the command's op, the same on "
			+ "every replica";

	private static final String RANDOM_FIX = "Use ReplicatedContext.random(), seeded from the command's op, the same "
			+ "on every replica";

	/** Calls that read the clock or unseeded randomness: owner, method name, the forms that do, and the fix. */
	private static final List<Forbidden> FORBIDDEN = List.of(
			new Forbidden("java.lang.System", "currentTimeMillis", Arguments.ANY, CLOCK_FIX),
			new Forbidden("java.lang.System", "nanoTime", Arguments.ANY, CLOCK_FIX),
			new Forbidden("java.time.Instant", "now", Arguments.NOT_A_CLOCK, CLOCK_FIX),
			new Forbidden("java.time.LocalDate", "now", Arguments.NOT_A_CLOCK, CLOCK_FIX),
			new Forbidden("java.time.LocalDateTime", "now", Arguments.NOT_A_CLOCK, CLOCK_FIX),
			new Forbidden("java.time.LocalTime", "now", Arguments.NOT_A_CLOCK, CLOCK_FIX),
			new Forbidden("java.time.OffsetDateTime", "now", Arguments.NOT_A_CLOCK, CLOCK_FIX),
			new Forbidden("java.time.OffsetTime", "now", Arguments.NOT_A_CLOCK, CLOCK_FIX),
			new Forbidden("java.time.ZonedDateTime", "now", Arguments.NOT_A_CLOCK, CLOCK_FIX),
			new Forbidden("java.time.Year", "now", Arguments.NOT_A_CLOCK, CLOCK_FIX),
			new Forbidden("java.time.YearMonth", "now", Arguments.NOT_A_CLOCK, CLOCK_FIX),
			new Forbidden("java.time.MonthDay", "now", Arguments.NOT_A_CLOCK, CLOCK_FIX),
			new Forbidden("java.time.Clock", "systemUTC", Arguments.ANY, CLOCK_FIX),
			new Forbidden("java.time.Clock", "systemDefaultZone", Arguments.ANY, CLOCK_FIX),
			new Forbidden("java.time.Clock", "system", Arguments.ANY, CLOCK_FIX),
			new Forbidden("java.util.Calendar", "getInstance", Arguments.ANY, CLOCK_FIX),
			new Forbidden("java.util.Date", "<init>", Arguments.NONE, CLOCK_FIX),
			new Forbidden("java.util.GregorianCalendar", "<init>", Arguments.NONE, CLOCK_FIX),
			new Forbidden("java.lang.Math", "random", Arguments.ANY, RANDOM_FIX),
			new Forbidden("java.lang.StrictMath", "random", Arguments.ANY, RANDOM_FIX),
			new Forbidden("java.util.UUID", "randomUUID", Arguments.ANY, RANDOM_FIX),
			new Forbidden("java.util.concurrent.ThreadLocalRandom", "current", Arguments.ANY, RANDOM_FIX),
			new Forbidden("java.util.random.RandomGenerator", "getDefault", Arguments.ANY, RANDOM_FIX),
			new Forbidden("java.util.random.RandomGenerator", "of", Arguments.ANY, RANDOM_FIX),
			new Forbidden("java.util.Random", "<init>", Arguments.NONE, RANDOM_FIX),
			new Forbidden("java.util.SplittableRandom", "<init>", Arguments.NONE, RANDOM_FIX),
			new Forbidden("java.security.SecureRandom", "<init>", Arguments.ANY, RANDOM_FIX),
			new Forbidden("java.security.SecureRandom", "getInstance", Arguments.ANY, RANDOM_FIX),
			new Forbidden("java.security.SecureRandom", "getInstanceStrong", Arguments.ANY, RANDOM_FIX));

	/** The packages read so far, by name: a test class runs many times over the same beans. */
	private static final Map<String, JavaClasses> IMPORTED = new ConcurrentHashMap<>();

	private ClockAndRandomnessScan() {
	}

	/**
	 * Reads one package's classes, and nothing they refer to: the JDK's and libraries' classes are
	 * known by name, which is all the scan asks of them. Set for this thread only, so that the
	 * application's own ArchUnit tests keep their configuration.
	 */
	private static JavaClasses importPackage(String name, Class<?> declaring) {
		return ArchConfiguration.withThreadLocalScope((configuration) -> {
			configuration.setResolveMissingDependenciesFromClassPath(false);
			// The default package would be the whole class path: then the class alone.
			return name.isEmpty() ? new ClassFileImporter().importClasses(declaring)
					: new ClassFileImporter().importPackages(name);
		});
	}

	/**
	 * The reads of the clock or randomness in the commands of {@code beans}.
	 * @param beans bean name to the real bean
	 * @return one line per read found, naming the command, the call and where it is; empty when none
	 */
	static List<String> findReads(Map<String, Object> beans) {
		List<String> found = new ArrayList<>();
		for (Map.Entry<String, Object> bean : beans.entrySet()) {
			Class<?> type = ClassUtils.getUserClass(bean.getValue());
			for (Method method : type.getMethods()) {
				if (!isCommand(method)) {
					continue;
				}
				// Read where it is declared: the bean's class, a superclass, or an interface's default method.
				Class<?> declaring = method.getDeclaringClass();
				JavaClasses classes = IMPORTED.computeIfAbsent(declaring.getPackageName(),
						(name) -> importPackage(name, declaring));
				if (classes.contain(declaring)) {
					JavaMethod command = classes.get(declaring).getMethod(method.getName(), method.getParameterTypes());
					found.addAll(readsOf(bean.getKey(), command, classes));
				}
			}
		}
		return found;
	}

	/** The public methods a proxy sends through the log, as {@code ReplicatedBean} decides. */
	private static boolean isCommand(Method method) {
		if (method.getDeclaringClass() == Object.class || Modifier.isStatic(method.getModifiers()) || method.isBridge()
				|| method.isSynthetic() || AnnotatedElementUtils.hasAnnotation(method, ReadOnly.class)) {
			return false;
		}
		if (ReplicatedState.class.isAssignableFrom(method.getDeclaringClass())
				&& (method.getName().equals("snapshot") && method.getParameterCount() == 0
						|| method.getName().equals("restore") && method.getParameterCount() == 1)) {
			return false;
		}
		return true;
	}

	/** Walks what {@code command} calls within the imported classes, reporting each forbidden call once. */
	private static List<String> readsOf(String beanName, JavaMethod command, JavaClasses classes) {
		List<String> found = new ArrayList<>();
		Set<JavaCodeUnit> seen = new HashSet<>();
		Deque<JavaCodeUnit> toRead = new ArrayDeque<>();
		toRead.add(command);
		while (!toRead.isEmpty()) {
			JavaCodeUnit unit = toRead.poll();
			if (!seen.add(unit)) {
				continue;
			}
			for (JavaAccess<?> access : unit.getAccessesFromSelf()) {
				String owner = access.getTargetOwner().getName();
				String name = access.getTarget().getName();
				Forbidden forbidden = forbidden(access, owner, name);
				if (forbidden != null) {
					found.add("command " + command.getOwner().getSimpleName() + "." + command.getName()
							+ parameters(command) + " of bean '" + beanName + "' calls " + simpleName(owner) + "."
							+ name + "() at " + access.getSourceCodeLocation().getSourceFileName() + ":"
							+ access.getLineNumber() + ". " + forbidden.fix + ".");
				}
				else if (classes.contain(owner)) {
					// Overloads are read too: more than the call needs, never less.
					classes.get(owner)
						.getCodeUnits()
						.stream()
						.filter((candidate) -> candidate.getName().equals(name))
						.forEach(toRead::add);
				}
			}
		}
		return found;
	}

	private static @Nullable Forbidden forbidden(JavaAccess<?> access, String owner, String name) {
		for (Forbidden forbidden : FORBIDDEN) {
			if (forbidden.owner.equals(owner) && forbidden.name.equals(name)) {
				if (!forbidden.arguments.matches(access)) {
					return null;
				}
				return forbidden;
			}
		}
		return null;
	}

	private static String parameters(JavaMethod method) {
		List<String> names = method.getRawParameterTypes().stream().map(JavaClass::getSimpleName).toList();
		return "(" + String.join(", ", names) + ")";
	}

	private static String simpleName(String className) {
		return className.substring(className.lastIndexOf('.') + 1);
	}

	private record Forbidden(String owner, String name, Arguments arguments, String fix) {

	}

	/** Which forms of a call read the clock or randomness. */
	private enum Arguments {

		/** Every form. */
		ANY,

		/** Only the form without arguments: a seeded generator is deterministic. */
		NONE,

		/** Every form but the one that takes a {@code Clock}, which the caller chose. */
		NOT_A_CLOCK;

		boolean matches(JavaAccess<?> access) {
			if (this == ANY || !(access instanceof JavaCall<?> call)) {
				return true;
			}
			List<JavaClass> parameters = call.getTarget().getRawParameterTypes();
			return (this == NONE) ? parameters.isEmpty()
					: parameters.size() != 1 || !parameters.get(0).getName().equals("java.time.Clock");
		}

	}

}
