package com.example.todo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.example.todo.GettingStartedPage.Command;
import com.example.todo.GettingStartedPage.Step;
import com.example.todo.GettingStartedPage.Stop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Does what docs/getting-started.md has the reader do, in its order, and expects what it shows:
 * starts the three replicas with its {@code java -jar} arguments (in this JVM, with the module's
 * {@code application.yml}; see {@link PageCluster} for the ports), waits for the log lines it shows,
 * sends each of its {@code curl} requests and compares the answer with the output under it, and
 * stops the replica it has the reader stop with Ctrl+C. A command or an output changed on the page,
 * or a behaviour changed in the code, fails here with the page's line.
 */
@ExtendWith(OutputCaptureExtension.class)
class GettingStartedClusterTest {

	/** Commands of the page this test does not run, and why that is sound. */
	private static final List<String> NOT_RUN = List.of(
			// The reactor compiled this module; the jar's name is checked by GettingStartedPageTest.
			"./mvnw ",
			// Clean-up at the end; the test empties the directory before it starts instead.
			"rm -rf replication-data");

	/** Three Spring Boot applications starting on two shared cores, then forming the cluster. */
	private static final Duration LOG_LINES = Duration.ofSeconds(40);

	/** A local read sees a command once its replica applied it: a heartbeat (100 ms) later at most, or a catch-up. */
	private static final Duration READS = Duration.ofSeconds(10);

	private final PageCluster cluster = new PageCluster();

	@AfterEach
	void stopReplicas() {
		this.cluster.close();
	}

	@Test
	@Timeout(value = 150, unit = TimeUnit.SECONDS)
	void everyCommandOfThePageGivesTheOutputItShows(CapturedOutput output) throws Exception {
		Path run = emptiedRunDirectory();
		GettingStartedPage page = GettingStartedPage.read();
		List<LogLines> pending = new ArrayList<>();
		int starts = 0;
		int stops = 0;
		int requests = 0;
		for (Step step : page.script()) {
			System.out.println("getting-started.md " + step);
			try {
				if (step instanceof Stop stop) {
					awaitLogLines(pending, output);
					this.cluster.stop(stop.replica());
					stops++;
				}
				else if (step instanceof Command command && command.text().startsWith("java ")) {
					List<String> words = Curl.words(command.text());
					int mark = output.getAll().length();
					this.cluster.start(words.subList(3, words.size()));
					// Awaited later: a replica's first lines wait for its peers, which the next commands start.
					pending.add(new LogLines(command, mark));
					starts++;
				}
				else if (step instanceof Command command && command.text().startsWith("curl ")) {
					awaitLogLines(pending, output);
					expectAnswer(command);
					requests++;
				}
				else if (step instanceof Command command && NOT_RUN.stream().noneMatch(command.text()::startsWith)) {
					fail("docs/getting-started.md line " + command.line() + " has the reader run `" + command.text()
							+ "`, which this test does not run: teach it the command, or keep the command off the page");
				}
			}
			catch (RuntimeException ex) {
				// A step the page gets wrong (a port where nothing runs, a replica started twice): name it.
				throw new AssertionError("docs/getting-started.md " + step + ": " + ex.getMessage(), ex);
			}
		}
		awaitLogLines(pending, output);
		// Fewer would mean the page's script was misread, not that it ran.
		assertThat(starts).as("replicas the page starts").isGreaterThanOrEqualTo(3);
		assertThat(stops).as("replicas the page stops").isPositive();
		assertThat(requests).as("requests the page sends").isGreaterThanOrEqualTo(4);
		for (int replica = 0; replica < 3; replica++) {
			assertThat(run.resolve("replication-data").resolve(Integer.toString(replica)))
				.as("application.yml's data-dir, relative to the directory the replicas run in").isDirectory();
		}
	}

	/**
	 * Sends the command's request and expects the output the page shows. A write is sent once, as
	 * the reader sends it; a read is repeated until it answers so (boundedly), since it reads the
	 * state of its replica, which applies a write on another a moment later (the page says so). A
	 * connection refused or timed out is tried again too; any other failure ends the test at once.
	 */
	private void expectAnswer(Command command) throws Exception {
		String where = "docs/getting-started.md line " + command.line() + ": `" + command.text() + "`";
		Curl curl = Curl.parse(command.text());
		String shown = String.join("\n", command.output());
		if (!curl.method().equals("GET")) {
			String answer = this.cluster.send(curl);
			assertThat(GettingStartedPage.matches(shown, answer)).as("%s answered%n  %s%nwhere the page shows%n  %s", where,
					answer, shown).isTrue();
			return;
		}
		AtomicReference<String> last = new AtomicReference<>("(no answer)");
		try {
			await(where).atMost(READS).pollInterval(Duration.ofMillis(50)).ignoreException(IOException.class).until(() -> {
				last.set(this.cluster.send(curl));
				return GettingStartedPage.matches(shown, last.get());
			});
		}
		catch (ConditionTimeoutException ex) {
			fail("%s answered%n  %s%nwhere the page shows%n  %s%n(still after %s)", where, last.get(), shown, READS);
		}
	}

	/** Waits until each started replica has logged the lines the page shows under its command. */
	private static void awaitLogLines(List<LogLines> pending, CapturedOutput output) {
		for (LogLines lines : pending) {
			for (String shown : lines.command().output()) {
				try {
					await().atMost(LOG_LINES)
						.pollInterval(Duration.ofMillis(100))
						.until(() -> output.getAll()
							.substring(lines.mark())
							.lines()
							.anyMatch((logged) -> GettingStartedPage.matches(shown, logged)));
				}
				catch (ConditionTimeoutException ex) {
					fail("docs/getting-started.md line %d: `%s` did not log, within %s,%n  %s%nas the page shows "
							+ "(… stands for any text)", lines.command().line(), lines.command().text(), LOG_LINES, shown);
				}
			}
		}
		pending.clear();
	}

	/**
	 * The directory the replicas run in, as the reader's project directory, where the page's
	 * relative data directories land: Maven's working directory for this module's tests, under
	 * {@code target}, emptied of an earlier run's data. Elsewhere (an IDE's working directory may
	 * be the module's, where a reader's own run keeps its data) the test refuses to delete anything.
	 */
	private static Path emptiedRunDirectory() throws IOException {
		Path run = Path.of("").toAbsolutePath();
		assertThat(run.getFileName()).as("the working directory: run this test through Maven, whose surefire configuration "
				+ "runs it in target/getting-started-run").hasToString("getting-started-run");
		Path data = run.resolve("replication-data");
		if (Files.exists(data)) {
			try (Stream<Path> files = Files.walk(data)) {
				for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
					Files.delete(file);
				}
			}
		}
		return run;
	}

	/**
	 * The log lines the page shows under a {@code java} command, and where the captured output stood
	 * when it ran: they must be logged after it.
	 */
	private record LogLines(Command command, int mark) {
	}

}
