package io.viewstamp.benchmarks.w1;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Prints the table of a W1 run from the files {@link LoadRun} appended to, one per round
 * ({@code round-1.tsv}, ...): every measured phase, and for Viewstamp's rows the ratio of their
 * ops/s to the best Ratis variant's at the same number of callers in the same round; then each
 * run's correctness check; then the median ratios over the rounds.
 */
public final class ReportTable {

	private ReportTable() {
	}

	public static void main(String[] args) throws IOException {
		if (args.length != 1) {
			System.err.println("Usage: ReportTable <directory of round-N.tsv files>");
			System.exit(2);
		}
		List<Row> rows = new ArrayList<>();
		List<String> checks = new ArrayList<>();
		try (Stream<Path> files = Files.list(Path.of(args[0]))) {
			for (Path file : files.filter((path) -> path.getFileName().toString().matches("round-\\d+\\.tsv")).sorted().toList()) {
				int round = Integer.parseInt(file.getFileName().toString().replaceAll("\\D", ""));
				for (String line : Files.readAllLines(file)) {
					if (line.startsWith("#check")) {
						checks.add("round " + round + "\t" + line.substring("#check\t".length()));
					}
					else if (!line.isBlank()) {
						rows.add(Row.parse(round, line));
					}
				}
			}
		}
		System.out.print(format(rows, checks));
	}

	static String format(List<Row> rows, List<String> checks) {
		StringBuilder out = new StringBuilder();
		out.append("| round | system | variant | C | ops/s | p50 ms | p99 ms | max ms | CPU ms per op (each process) | Viewstamp / best Ratis |\n");
		out.append("|---|---|---|---|---|---|---|---|---|---|\n");
		Map<String, List<Double>> ratios = new TreeMap<>();
		for (Row row : rows.stream().sorted(Comparator.comparingInt(Row::round).thenComparingInt(Row::callers)
			.thenComparing(Row::system).thenComparing(Row::variant)).toList()) {
			OptionalDouble bestRatis = rows.stream()
				.filter((other) -> other.system().equals("ratis") && other.round() == row.round()
						&& other.callers() == row.callers())
				.mapToDouble(Row::opsPerSecond)
				.max();
			String ratio = "";
			if (row.system().equals("viewstamp") && bestRatis.isPresent() && bestRatis.getAsDouble() > 0) {
				double value = row.opsPerSecond() / bestRatis.getAsDouble();
				ratio = String.format(Locale.ROOT, "%.1f×", value);
				ratios.computeIfAbsent(row.variant() + " C=" + row.callers(), (key) -> new ArrayList<>()).add(value);
			}
			out.append(String.format(Locale.ROOT, "| %d | %s | %s | %d | %,.0f | %s | %s | %s | %s | %s |%n", row.round(),
					row.system(), row.variant(), row.callers(), row.opsPerSecond(), row.p50(), row.p99(), row.max(),
					row.cpu(), ratio));
		}
		out.append("\nCorrectness checks:\n");
		for (String check : checks) {
			out.append("- ").append(check.replace('\t', ' ')).append('\n');
		}
		if (!ratios.isEmpty()) {
			out.append("\nMedian Viewstamp / best Ratis over the rounds:\n");
			for (Map.Entry<String, List<Double>> ratio : ratios.entrySet()) {
				out.append(String.format(Locale.ROOT, "- %s: %.1f× (rounds: %s)%n", ratio.getKey(), median(ratio.getValue()),
						ratio.getValue().stream().map((value) -> String.format(Locale.ROOT, "%.1f", value)).toList()));
			}
		}
		return out.toString();
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	/** One measured phase, as {@link LoadRun} wrote it. */
	record Row(int round, String system, String variant, int callers, double opsPerSecond, String p50, String p99,
			String max, String cpu) {

		static Row parse(int round, String line) {
			String[] fields = line.split("\t");
			if (fields.length != 8) {
				throw new IllegalArgumentException("A result line needs 8 tab-separated fields (system, variant, C, "
						+ "ops/s, p50, p99, max, CPU); got " + fields.length + ": " + line);
			}
			return new Row(round, fields[0], fields[1], Integer.parseInt(fields[2]), Double.parseDouble(fields[3]),
					fields[4], fields[5], fields[6], fields[7]);
		}

	}

}
