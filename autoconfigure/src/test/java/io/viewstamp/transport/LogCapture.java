package io.viewstamp.transport;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Collects what a package logs (its {@link System.Logger}s go to java.util.logging), so that tests
 * can wait for something to have happened and check that its message says what to fix: the
 * transport's by default, any other by name.
 */
public final class LogCapture implements AutoCloseable {

	// Held strongly: java.util.logging forgets unreferenced loggers, and their handlers with them.
	private final Logger logger;

	private final Queue<LogRecord> records = new ConcurrentLinkedQueue<>();

	private final Handler handler = new Handler() {

		@Override
		public void publish(LogRecord record) {
			LogCapture.this.records.add(record);
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	private final Level previousLevel;

	LogCapture() {
		this("io.viewstamp.transport");
	}

	/**
	 * Starts collecting what {@code loggerName} and the loggers below it log.
	 * @param loggerName a package or class name
	 */
	public LogCapture(String loggerName) {
		this.logger = Logger.getLogger(loggerName);
		this.previousLevel = this.logger.getLevel();
		this.handler.setLevel(Level.ALL);
		this.logger.setLevel(Level.ALL);
		this.logger.addHandler(this.handler);
	}

	/** Every message logged, at any level. */
	public List<String> all() {
		return this.records.stream().map(LogRecord::getMessage).collect(Collectors.toList());
	}

	/** The messages logged as warnings or worse. */
	List<String> warnings() {
		return this.records.stream()
			.filter((record) -> record.getLevel().intValue() >= Level.WARNING.intValue())
			.map(LogRecord::getMessage)
			.collect(Collectors.toList());
	}

	@Override
	public void close() {
		this.logger.removeHandler(this.handler);
		this.logger.setLevel(this.previousLevel);
	}

}
