package io.viewstamp.benchmarks.w1.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * One replica of W1's Spring variants. Started by {@code benchmarks/run.sh} with the replica's
 * settings as command-line properties; the replica that runs the load also gets {@code bench.variant}.
 */
@SpringBootApplication
public class CounterApplication {

	public static void main(String[] args) {
		SpringApplication.run(CounterApplication.class, args);
	}

}
