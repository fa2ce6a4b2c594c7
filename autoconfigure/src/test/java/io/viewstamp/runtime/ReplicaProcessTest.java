package io.viewstamp.runtime;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line of {@link ReplicaProcess}, run in this JVM: a mistake exits with code 2 and a
 * message naming the option, a data directory that can not be used with code 1.
 */
class ReplicaProcessTest {

	private static final String PEERS = "127.0.0.1:7401,127.0.0.1:7402,127.0.0.1:7403";

	@TempDir
	Path root;

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@Test
	void whenTheCommandIsUnknownThenItExitsWithUsage() {
		assertThat(run("serve")).isEqualTo(ReplicaProcess.EXIT_USAGE);
		assertThat(err()).contains("'format' or 'start'", "got 'serve'", "usage:");
	}

	@Test
	void whenAnOptionIsMissingThenTheMessageNamesIt() {
		assertThat(run("start", "--cluster-id", "7", "--replica", "0", "--peers", PEERS, "--data-dir", dataDirectory()))
			.isEqualTo(ReplicaProcess.EXIT_USAGE);
		assertThat(err()).contains("option --control-port is required");
	}

	@Test
	void whenTheReplicaIsNotAPeerThenTheMessageNamesTheRange() {
		assertThat(run("format", "--cluster-id", "7", "--replica", "3", "--peers", PEERS, "--data-dir", dataDirectory()))
			.isEqualTo(ReplicaProcess.EXIT_USAGE);
		assertThat(err()).contains("option --replica is 3, outside 0..2");
	}

	@Test
	void whenAPeerIsMalformedThenTheMessageNamesPeers() {
		assertThat(run("format", "--cluster-id", "7", "--replica", "0", "--peers", "127.0.0.1:7401,nowhere",
				"--data-dir", dataDirectory()))
			.isEqualTo(ReplicaProcess.EXIT_USAGE);
		assertThat(err()).contains("option --peers:", "'nowhere'");
	}

	@Test
	void whenAnOptionIsUnknownThenTheMessageNamesIt() {
		assertThat(run("format", "--cluster-id", "7", "--replica", "0", "--peers", PEERS, "--data-dir", dataDirectory(),
				"--control-port", "8100"))
			.isEqualTo(ReplicaProcess.EXIT_USAGE);
		assertThat(err()).contains("unknown option '--control-port' for command format");
	}

	@Test
	void whenTheSnapshotIntervalIsTooSmallThenTheMessageNamesIt() {
		assertThat(run("start", "--cluster-id", "7", "--replica", "0", "--peers", PEERS, "--data-dir", dataDirectory(),
				"--control-port", "8100", "--snapshot-interval", "10"))
			.isEqualTo(ReplicaProcess.EXIT_USAGE);
		assertThat(err()).contains("--snapshot-interval 10 is not accepted");
	}

	@Test
	void whenADataDirectoryIsFormattedTwiceThenTheSecondFails() {
		String[] format = { "format", "--cluster-id", "7", "--replica", "1", "--peers", PEERS, "--data-dir",
				dataDirectory() };
		assertThat(run(format)).isEqualTo(ReplicaProcess.EXIT_OK);
		assertThat(this.out.toString(StandardCharsets.UTF_8)).contains("Formatted replica 1 of cluster 7");

		assertThat(run(format)).isEqualTo(ReplicaProcess.EXIT_FAILURE);
		assertThat(err()).contains("replica 1 can not format", dataDirectory());
	}

	private String dataDirectory() {
		return this.root.resolve("data").toString();
	}

	private int run(String... args) {
		return ReplicaProcess.run(args, new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

	private String err() {
		return this.err.toString(StandardCharsets.UTF_8);
	}

}
