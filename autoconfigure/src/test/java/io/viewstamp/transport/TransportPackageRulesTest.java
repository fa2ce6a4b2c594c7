package io.viewstamp.transport;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/**
 * The transport uses only the protocol core, Netty and the JDK: no Spring, no other library but
 * JSpecify's nullness annotations, which carry no code.
 */
class TransportPackageRulesTest {

	@Test
	void transportDependsOnlyOnTheProtocolCoreNettyAndTheJdk() {
		JavaClasses transport = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("io.viewstamp.transport");
		classes().that()
			.resideInAPackage("io.viewstamp.transport..")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("io.viewstamp.transport..", "io.viewstamp.vsr..", "io.netty..", "java..",
					"javax.net.ssl..", "javax.crypto..", "org.jspecify.annotations..")
			.check(transport);
	}

}
