package io.viewstamp.actuate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The live cluster page's document: whole, self-contained, and naming the endpoint relative to the
 * page so that the browser resolves both under the same context path.
 */
class ReplicationPageTest {

	@Test
	void theDocumentNamesTheEndpointRelativeToThePage() {
		String html = new ReplicationPage(ReplicationPage.PATH).html("/actuator/replication");
		assertThat(html).startsWith("<!DOCTYPE html>")
			.contains("<meta name=\"replication-endpoint\" content=\"actuator/replication\">")
			.doesNotContain("{{endpoint}}")
			.endsWith("</html>\n");
	}

	@Test
	void theDocumentLoadsNothingFromAnotherOrigin() {
		String html = new ReplicationPage(ReplicationPage.PATH).html("/actuator/replication");
		assertThat(html).doesNotContain("http://", "https://", "<link", "src=", "@import");
	}

	@Test
	void aPageDeeperDownClimbsToTheEndpoint() {
		assertThat(new ReplicationPage("/ops/cluster").relative("/actuator/replication"))
			.isEqualTo("../actuator/replication");
		assertThat(new ReplicationPage("/replication").relative("/manage/replication")).isEqualTo("manage/replication");
	}

	@Test
	void theEndpointIsEscapedForItsAttribute() {
		assertThat(new ReplicationPage(ReplicationPage.PATH).html("/a\"b<c>&'"))
			.contains("content=\"a&quot;b&lt;c&gt;&amp;&#39;\"");
	}

	@Test
	void aPathMustStartAtTheRootAndNameAPage() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ReplicationPage("replication"));
		assertThatIllegalArgumentException().isThrownBy(() -> new ReplicationPage("/replication/"));
	}

}
