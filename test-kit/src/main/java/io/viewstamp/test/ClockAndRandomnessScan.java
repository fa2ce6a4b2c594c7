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

	/**
	 * Calls that read the clock or unseeded randomness: owner, method name, whether only the
	 * no-argument form counts (a seeded generator is deterministic), and the fix.
	 */
	private static final List<Forbidden> FORBIDDEN = List.of(
			new Forbidden("java.lang.System", "currentTimeMillis", false, CLOCK_FIX),
			new Forbidden("java.lang.System", "nanoTime", false, CLOCK_FIX),
			new Forbidden("java.time.Instant", "now", false, CLOCK_FIX),
			new Forbidden("java.time.LocalDate", "now", false, CLOCK_FIX),
			new Forbidden("java.time.LocalDateTime", "now", false, CLOCK_FIX),
			new Forbidden("java.time.LocalTime", "now", false, CLOCK_FIX),
			new Forbidden("java.time.OffsetDateTime", "now", false, CLOCK_FIX),
			new Forbidden("java.time.OffsetTime", "now", false, CLOCK_FIX),
			new Forbidden("java.time.ZonedDateTime", "now", false, CLOCK_FIX),
			new Forbidden("java.time.Year", "now", false, CLOCK_FIX),
			new Forbidden("java.time.YearMonth", "now", false, CLOCK_FIX),
			new Forbidden("java.time.MonthDay", "now", false, CLOCK_FIX),
			new Forbidden("java.time.Clock", "systemUTC", false, CLOCK_FIX),
			new Forbidden("java.time.Clock", "systemDefaultZone", false, CLOCK_FIX),
			new Forbidden("java.time.Clock", "system", false, CLOCK_FIX),
			new Forbidden("java.util.Calendar", "getInstance", false, CLOCK_FIX),
			new Forbidden("java.util.Date", "<init>", true, CLOCK_FIX),
			new Forbidden("java.util.GregorianCalendar", "<init>", true, CLOCK_FIX),
			new Forbidden("java.lang.Math", "random", false, RANDOM_FIX),
			new Forbidden("java.lang.StrictMath", "random", false, RANDOM_FIX),
			new Forbidden("java.util.UUID", "randomUUID", false, RANDOM_FIX),
			new Forbidden("java.util.concurrent.ThreadLocalRandom", "current", false, RANDOM_FIX),
			new Forbidden("java.util.random.RandomGenerator", "getDefault", false, RANDOM_FIX),
			new Forbidden("java.util.random.RandomGenerator", "of", false, RANDOM_FIX),
			new Forbidden("java.util.Random", "<init>", true, RANDOM_FIX),
			new Forbidden("java.util.SplittableRandom", "<init>", true, RANDOM_FIX),
			new Forbidden("java.security.SecureRandom", "<init>", false, RANDOM_FIX),
			new Forbidden("java.security.SecureRandom", "getInstance", false, RANDOM_FIX),
			new Forbidden("java.security.SecureRandom", "getInstanceStrong", false, RANDOM_FIX));

	/** The packages read so far, by name: a test class runs many times over the same beans. */
	private static final Map<String, JavaClasses> IMPORTED = new ConcurrentHashMap<>();

	private ClockAndRandomnessScan() {
	}

	/**
	 * Reads one package's classes, and nothing they refer to: the JDK's and libraries' classes are
	 * known by name, which is all the scan asks of them. Set for this thread only, so that the
	 * application's own ArchUnit tests keep their configuration.
	 */
	private static JavaClasses importPackage(String name) {
		return ArchConfiguration.withThreadLocalScope((configuration) -> {
			configuration.setResolveMissingDependenciesFromClassPath(false);
			return new ClassFileImporter().importPackages(name);
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
			Class<?> type = bean.getValue().getClass();
			JavaClasses classes = IMPORTED.computeIfAbsent(type.getPackageName(), ClockAndRandomnessScan::importPackage);
			if (!classes.contain(type)) {
				continue;
			}
			JavaClass javaClass = classes.get(type);
			for (Method method : type.getMethods()) {
				if (isCommand(method)) {
					JavaMethod command = javaClass.getMethod(method.getName(), method.getParameterTypes());
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
				if (forbidden.noArgumentsOnly && access instanceof JavaCall<?> call
						&& !call.getTarget().getRawParameterTypes().isEmpty()) {
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

	private record Forbidden(String owner, String name, boolean noArgumentsOnly, String fix) {

	}

}
