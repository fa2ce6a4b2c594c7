package io.viewstamp.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * Where the benchmarks write: a fresh directory under {@code -Dviewstamp.benchmark.dir}, by default
 * {@code target/benchmark-data} of the module, so that the disk measured is the one named in the
 * results.
 */
final class BenchmarkDirectories {

	static final String BASE_PROPERTY = "viewstamp.benchmark.dir";

	private BenchmarkDirectories() {
	}

	static Path create(String prefix) throws IOException {
		Path base = Paths.get(System.getProperty(BASE_PROPERTY, "target/benchmark-data")).toAbsolutePath();
		Files.createDirectories(base);
		return Files.createTempDirectory(base, prefix);
	}

	static void delete(@Nullable Path directory) throws IOException {
		if (directory == null || !Files.exists(directory)) {
			return;
		}
		try (Stream<Path> files = Files.walk(directory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(file);
			}
		}
	}

}
