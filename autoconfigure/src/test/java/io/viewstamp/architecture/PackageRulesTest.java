package io.viewstamp.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

/**
 * The package rules of DESIGN.md: which package may use which, and a protocol core that stays
 * pure (no threads, clock, randomness of its own, I/O, Spring or Netty) so that it is deterministic.
 */
class PackageRulesTest {

	private static JavaClasses productionClasses;

	@BeforeAll
	static void importClasses() {
		productionClasses = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("io.viewstamp");
	}

	@Test
	void packagesDependOnlyAsDesignAllows() {
		layeredArchitecture().consideringOnlyDependenciesInLayers()
			.layer("api")
			.definedBy("io.viewstamp")
			.layer("vsr")
			.definedBy("io.viewstamp.vsr..")
			.optionalLayer("storage")
			.definedBy("io.viewstamp.storage..")
			.optionalLayer("transport")
			.definedBy("io.viewstamp.transport..")
			.optionalLayer("runtime")
			.definedBy("io.viewstamp.runtime..")
			.optionalLayer("beans")
			.definedBy("io.viewstamp.beans..")
			.optionalLayer("actuate")
			.definedBy("io.viewstamp.actuate..")
			.optionalLayer("autoconfigure")
			.definedBy("io.viewstamp.autoconfigure..")
			.whereLayer("autoconfigure")
			.mayNotBeAccessedByAnyLayer()
			.whereLayer("actuate")
			.mayOnlyBeAccessedByLayers("autoconfigure")
			// Monitoring reads what it measures: the beans' command counts, the transport's peers,
			// the storage's statistics.
			.whereLayer("beans")
			.mayOnlyBeAccessedByLayers("actuate", "autoconfigure")
			.whereLayer("runtime")
			.mayOnlyBeAccessedByLayers("beans", "actuate", "autoconfigure")
			.whereLayer("transport")
			.mayOnlyBeAccessedByLayers("runtime", "actuate", "autoconfigure")
			.whereLayer("storage")
			.mayOnlyBeAccessedByLayers("runtime", "actuate", "autoconfigure")
			.whereLayer("vsr")
			.mayOnlyBeAccessedByLayers("storage", "transport", "runtime", "beans", "actuate", "autoconfigure")
			.whereLayer("api")
			.mayOnlyBeAccessedByLayers("beans", "actuate", "autoconfigure")
			.check(productionClasses);
	}

	@Test
	void protocolCoreUsesOnlyTheJdkAndItself() {
		// JSpecify's annotations (@NullMarked, @Nullable) are the one exception: they declare nullness for
		// NullAway and carry no code.
		classes().that()
			.resideInAPackage("io.viewstamp.vsr..")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("io.viewstamp.vsr..", "java.lang..", "java.util..", "java.nio", "java.nio.charset",
					"java.security", "org.jspecify.annotations..")
			.because("the protocol core runs on the JDK alone; JSpecify's nullness annotations are only declarations")
			.check(productionClasses);
	}

	@Test
	void protocolCoreHasNoThreadsClockRandomnessOrIo() {
		noClasses().that()
			.resideInAPackage("io.viewstamp.vsr..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("java.util.concurrent..", "java.nio.file..", "java.nio.channels..", "java.net..",
					"java.time..", "java.lang.reflect..")
			.orShould()
			.dependOnClassesThat()
			.haveFullyQualifiedName("java.lang.Thread")
			.orShould()
			.dependOnClassesThat()
			.haveFullyQualifiedName("java.util.Random")
			.orShould()
			.dependOnClassesThat()
			.haveFullyQualifiedName("java.util.SplittableRandom")
			.orShould()
			.callMethod(System.class, "currentTimeMillis")
			.orShould()
			.callMethod(System.class, "nanoTime")
			.orShould()
			.callMethod(Math.class, "random")
			.check(productionClasses);
	}

	@Test
	void protocolCoreHasNoFileAccess() {
		noClasses().that()
			.resideInAPackage("io.viewstamp.vsr..")
			.should()
			.dependOnClassesThat()
			.haveNameMatching("java\\.io\\.(File|RandomAccessFile|FileInputStream|FileOutputStream|FileReader|FileWriter)")
			.check(productionClasses);
	}

}
