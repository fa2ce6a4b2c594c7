package com.example.todo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.example.todo.GettingStartedPage.Command;
import com.example.todo.GettingStartedPage.FileBlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * docs/getting-started.md shows this module's files as they are: a file the page shows whole is
 * the module's file, an excerpt is a part of it, every file of the application is on the page,
 * the jar it runs is the one this module builds, and the starter and Spring Boot it names are this
 * repository's. Code edited on one side only fails here, naming the file.
 */
class GettingStartedPageTest {

	private final GettingStartedPage page = GettingStartedPage.read();

	@Test
	void everyFileThePageShowsIsTheModulesFile() throws IOException {
		assertThat(this.page.files()).as("files shown on %s", this.page.path()).isNotEmpty();
		for (FileBlock shown : this.page.files()) {
			Path file = GettingStartedPage.module().resolve(shown.path());
			String where = "docs/getting-started.md (the block at line " + shown.line() + ") shows getting-started/"
					+ shown.path();
			if (!Files.isRegularFile(file)) {
				fail(where + ", which does not exist");
			}
			List<String> page = normalized(shown.text());
			List<String> module = normalized(Files.readString(file));
			if (shown.excerpt()) {
				assertThat(Collections.indexOfSubList(trimmed(module), trimmed(page)))
					.as("%s (excerpt): its lines, one after the other, are not in the file. Shown:%n%s", where,
							shown.text())
					.isNotNegative();
			}
			else if (!page.equals(module)) {
				fail(where + ", but the file differs from it" + firstDifference(page, module)
						+ "\nChange the page and the file together: the reader types what the page shows.");
			}
		}
	}

	@Test
	void everyFileOfTheApplicationIsShownWholeOnThePage() throws IOException {
		Path module = GettingStartedPage.module();
		Set<String> files = new TreeSet<>();
		try (Stream<Path> walk = Files.walk(module.resolve("src/main"))) {
			// package-info is house style for this repository; a reader's new project has none.
			walk.filter(Files::isRegularFile)
				.filter((file) -> !file.getFileName().toString().equals("package-info.java"))
				.forEach((file) -> files.add(module.relativize(file).toString().replace('\\', '/')));
		}
		Set<String> shownWhole = this.page.files()
			.stream()
			.filter((block) -> !block.excerpt())
			.map(FileBlock::path)
			.collect(Collectors.toCollection(TreeSet::new));
		assertThat(shownWhole).as("the files docs/getting-started.md shows whole: the reader must write every file "
				+ "of getting-started/src/main (a file the page leaves out is one the reader's application lacks)")
			.containsAll(files);
	}

	@Test
	void thePageRunsTheJarThisModuleBuilds() {
		String jar = "target/" + System.getProperty("getting-started.jar", "todo-0.0.1-SNAPSHOT.jar");
		List<Command> runs = this.page.script()
			.stream()
			.filter(Command.class::isInstance)
			.map(Command.class::cast)
			.filter((command) -> command.text().startsWith("java "))
			.toList();
		assertThat(runs).as("java commands on the page").isNotEmpty();
		for (Command run : runs) {
			assertThat(Arrays.asList(run.text().split(" ")).subList(0, 3))
				.as("docs/getting-started.md line %d runs the jar this module builds (artifactId-version.jar)", run.line())
				.containsExactly("java", "-jar", jar);
		}
	}

	@Test
	void theApplicationUsesThisRepositorysStarterAndSpringBoot() throws IOException {
		String root = Files.readString(GettingStartedPage.module().resolveSibling("pom.xml"));
		String example = Files.readString(GettingStartedPage.module().resolve("pom.xml"));
		assertThat(version(example, "io.viewstamp", "viewstamp-spring-boot-starter"))
			.as("the starter's version in getting-started/pom.xml (and so on the page): the version this repository builds, "
					+ "lest the example build against an old one from ~/.m2")
			.isEqualTo(version(root, "io.viewstamp", "viewstamp-parent"));
		assertThat(version(example, "org.springframework.boot", "spring-boot-starter-parent"))
			.as("the Spring Boot version of getting-started/pom.xml: the one the starter is built with")
			.isEqualTo(version(root, "org.springframework.boot", "spring-boot-starter-parent"));
	}

	/** The version right after a groupId and artifactId in a pom: a parent's, a project's or a dependency's. */
	private static String version(String pom, String groupId, String artifactId) {
		Matcher version = Pattern
			.compile("<groupId>" + Pattern.quote(groupId) + "</groupId>\\s*<artifactId>" + Pattern.quote(artifactId)
					+ "</artifactId>\\s*<version>([^<]+)</version>")
			.matcher(pom);
		assertThat(version.find()).as("%s:%s with a version in the pom", groupId, artifactId).isTrue();
		return version.group(1);
	}

	/**
	 * Lines as the reader sees them: the module is indented with tabs (house style), the page with
	 * four spaces (as the other pages); trailing blanks do not count.
	 */
	private static List<String> normalized(String text) {
		List<String> lines = new ArrayList<>();
		for (String line : text.split("\n", -1)) {
			int tabs = 0;
			while (tabs < line.length() && line.charAt(tabs) == '\t') {
				tabs++;
			}
			lines.add(("    ".repeat(tabs) + line.substring(tabs)).stripTrailing());
		}
		while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
			lines.remove(lines.size() - 1);
		}
		return lines;
	}

	/** An excerpt may sit at another depth than in the file (a pom's dependencies, for one). */
	private static List<String> trimmed(List<String> lines) {
		return lines.stream().map(String::trim).filter((line) -> !line.isEmpty()).toList();
	}

	private static String firstDifference(List<String> page, List<String> module) {
		for (int line = 0; line < Math.max(page.size(), module.size()); line++) {
			String shown = (line < page.size()) ? page.get(line) : "(nothing: the page's block ends)";
			String actual = (line < module.size()) ? module.get(line) : "(nothing: the file ends)";
			if (!shown.equals(actual)) {
				return " at its line " + (line + 1) + ":\n  page: " + shown + "\n  file: " + actual;
			}
		}
		return "";
	}

}
