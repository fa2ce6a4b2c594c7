package io.viewstamp.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link of the README and of docs/ leads somewhere: the file exists, and an anchor
 * names a heading of it (as GitHub makes one from the heading's text). A page renamed or a heading
 * reworded without its links fails here.
 */
class DocumentationLinksTest {

	/** {@code [text](target)}, not an image's, and not inside backticks. */
	private static final Pattern LINK = Pattern.compile("(?<!!)\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

	private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$");

	@Test
	void everyRelativeLinkLeadsToAFileAndAHeadingThatExist() throws IOException {
		Path docs = ConfigurationReferenceTest.docs();
		List<Path> pages = new ArrayList<>();
		pages.add(docs.resolveSibling("README.md"));
		try (Stream<Path> files = Files.walk(docs)) {
			files.filter((file) -> file.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		List<String> broken = new ArrayList<>();
		int checked = 0;
		for (Path page : pages) {
			String text = withoutCode(Files.readString(page));
			Matcher link = LINK.matcher(text);
			while (link.find()) {
				String target = link.group(1);
				if (target.contains("://") || target.startsWith("mailto:")) {
					continue;
				}
				checked++;
				int hash = target.indexOf('#');
				String file = (hash >= 0) ? target.substring(0, hash) : target;
				Path linked = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
				if (!Files.exists(linked)) {
					broken.add(page.getFileName() + ": " + target + " (no such file)");
				}
				else if (hash >= 0 && linked.toString().endsWith(".md")
						&& !anchors(linked).contains(target.substring(hash + 1))) {
					broken.add(page.getFileName() + ": " + target + " (no such heading)");
				}
			}
		}
		assertThat(checked).as("relative links checked").isPositive();
		assertThat(broken).as("broken relative links").isEmpty();
	}

	/** The page without its fenced code blocks and inline code, where brackets are not links. */
	private static String withoutCode(String text) {
		return text.replaceAll("(?s)```.*?```", "").replaceAll("`[^`\n]*`", "");
	}

	/** GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces to hyphens. */
	private static List<String> anchors(Path page) throws IOException {
		List<String> anchors = new ArrayList<>();
		// Fenced blocks hold no headings; a heading's inline code counts, its backticks do not.
		for (String line : Files.readString(page).replaceAll("(?s)```.*?```", "").split("\n")) {
			Matcher heading = HEADING.matcher(line);
			if (heading.matches()) {
				anchors.add(heading.group(1)
					.trim()
					.toLowerCase(Locale.ROOT)
					.replaceAll("[^\\p{L}\\p{N} _-]", "")
					.replace(' ', '-'));
			}
		}
		return anchors;
	}

}
