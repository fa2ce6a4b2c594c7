package io.viewstamp.benchmarks.w1;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPU time processes used, from {@code /proc/<pid>/stat} (user plus system time, in clock ticks
 * of 10 ms, the Linux default): what each process of a run costs per command.
 */
final class ProcessCpu {

	/** Clock ticks per second of {@code /proc} times; {@code getconf CLK_TCK} is 100 on Linux. */
	private static final int TICKS_PER_SECOND = 100;

	private final List<Long> pids;

	private final List<String> names;

	/**
	 * @param processes the processes, as name=pid pairs
	 */
	ProcessCpu(List<String> processes) {
		this.pids = new ArrayList<>();
		this.names = new ArrayList<>();
		for (String process : processes) {
			int equals = process.indexOf('=');
			if (equals < 1) {
				throw new IllegalArgumentException("bench.pids must list name=pid pairs, such as replica0=1234; got "
						+ process);
			}
			this.names.add(process.substring(0, equals));
			this.pids.add(Long.valueOf(process.substring(equals + 1)));
		}
	}

	List<String> names() {
		return this.names;
	}

	/** Each process's CPU time so far, in milliseconds; -1 where it can not be read. */
	long[] sample() {
		long[] millis = new long[this.pids.size()];
		for (int index = 0; index < millis.length; index++) {
			millis[index] = cpuMillis(this.pids.get(index));
		}
		return millis;
	}

	private static long cpuMillis(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			// The command name in parentheses may hold spaces; the fields after it are fixed.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			return ticks * 1000 / TICKS_PER_SECOND;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

}
