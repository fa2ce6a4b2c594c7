package io.viewstamp.storage;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/**
 * The storage uses only the protocol core and the JDK: no Spring, no Netty, no other library but
 * JSpecify's nullness annotations, which carry no code.
 */
class StoragePackageRulesTest {

	@Test
	void storageDependsOnlyOnTheProtocolCoreAndTheJdk() {
		JavaClasses storage = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("io.viewstamp.storage");
		classes().that()
			.resideInAPackage("io.viewstamp.storage..")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("io.viewstamp.storage..", "io.viewstamp.vsr..", "java..", "org.jspecify.annotations..")
			.check(storage);
	}

}
